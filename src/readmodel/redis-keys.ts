/** The Redis key layout of the read model (SPEC §7), shared by the projection and the reader. */
import type { BrokerName, BrokerScope } from '../model/index.js';

/** Pipeline stages and the journal record type each one counts. */
export const PIPELINE_STAGES = {
  TradingSignal: 'signals',
  SignalValidated: 'validated',
  SignalRejected: 'rejected',
  SubmitOrder: 'orders',
  OrderFilled: 'fills',
  OrderRejected: 'failed',
} as const satisfies Readonly<Record<string, string>>;

export type PipelineStage = (typeof PIPELINE_STAGES)[keyof typeof PIPELINE_STAGES];

/** The stage a record type counts toward, or undefined when it is not a pipeline stage. */
export function stageOf(recordType: string): PipelineStage | undefined {
  return (PIPELINE_STAGES as Readonly<Record<string, PipelineStage>>)[recordType];
}

export const redisKeys = {
  /** JSON PortfolioView, marked to market. */
  portfolio: (b: BrokerName, strategyId: string) => `${b}:portfolio:${strategyId}`,
  /** JSON array of the view's positions. */
  positions: (b: BrokerName, strategyId: string) => `${b}:positions:${strategyId}`,
  /** JSON `{ seq, ts }` of the last record of the stage. */
  stageLast: (stage: PipelineStage, b: BrokerScope) => `pipeline:${stage}:${b}:last`,
  /** Decimal count of the stage's records. */
  stageCount: (stage: PipelineStage, b: BrokerScope) => `pipeline:${stage}:${b}:count`,
  /** Decimal seq of the last journal record applied. */
  seq: 'readmodel:seq',
  /** Set of `{broker}:{strategyId}`: the portfolios there are, for listing. */
  portfolios: 'readmodel:portfolios',
} as const;

/** SCAN patterns that cover every key the projection writes (and nothing it does not own). */
export const OWNED_KEY_PATTERNS = [
  '*:portfolio:*',
  '*:positions:*',
  'pipeline:*',
  'readmodel:*',
] as const;

/** The member of `readmodel:portfolios` for one portfolio. */
export function portfolioMember(b: BrokerName, strategyId: string): string {
  return `${b}:${strategyId}`;
}

/** Splits a `readmodel:portfolios` member at its first colon (broker names have none). */
export function parsePortfolioMember(m: string): { broker: string; strategyId: string } {
  const i = m.indexOf(':');
  return i < 0
    ? { broker: m, strategyId: '' }
    : { broker: m.slice(0, i), strategyId: m.slice(i + 1) };
}
