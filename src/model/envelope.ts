/** The journal record and the wire envelope of SPEC §1 (the original's field names). */
import { z } from 'zod';
import type { BrokerScope } from './ids.js';

/**
 * One journal record: every input and every actor message is one. `seq` is global and contiguous
 * from 1. Ids are derived from the journal's nonce and the seq (see runtime/ids.ts), so they are
 * not stored per record.
 */
export interface JournalRecord<D = unknown> {
  readonly seq: number;
  /** Record time from the injected clock, epoch ms. */
  readonly ts: number;
  /** PascalCase message name (`MarketTick`, `TradingSignal`, ...). */
  readonly type: string;
  readonly topic: string;
  /** The actor (or ingress source) that produced it. */
  readonly source: string;
  /** The actor it was addressed to, when one; otherwise every subscriber of the topic. */
  readonly target: string | null;
  /** Seq of the input that started the chain (its own seq for an input). */
  readonly correlationSeq: number;
  /** Seq of the message that directly caused this one; 0 for an input. */
  readonly causationSeq: number;
  readonly broker: BrokerScope;
  readonly key: string;
  readonly data: D;
  /**
   * On the first tick of a delivery batch only: how many ticks the batch holds. Batch boundaries
   * are part of the input (actors see ticks a batch at a time), so they are journaled.
   */
  readonly batch?: number;
}

/** Envelope `type` values: the original's names, then ours in the same style. */
export const ENVELOPE_TYPES: Readonly<Record<string, string>> = {
  MarketTick: 'market_tick',
  TradingSignal: 'trading_signal',
  SignalValidated: 'validated_signal',
  SignalRejected: 'rejected_signal',
  SubmitOrder: 'order_placed',
  OrderAccepted: 'order_accepted',
  OrderFilled: 'order_filled',
  OrderRejected: 'order_failed',
  OrderCanceled: 'order_canceled',
  PnlSnapshot: 'pnl_snapshot',
  PortfolioSnapshot: 'portfolio_snapshot',
  DeadLettered: 'system_error',
  DeadLetterRedelivered: 'dead_letter_redelivered',
  ActorRestarted: 'actor_restarted',
  ActorFaulted: 'actor_faulted',
  TradingStateChanged: 'trading_state_changed',
  SetTradingState: 'set_trading_state',
  TimerFired: 'timer_fired',
};

export function envelopeType(type: string): string {
  return ENVELOPE_TYPES[type] ?? type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export const ENVELOPE_VERSION = 1;

/** The wire envelope (SPEC §1) plus `seq` and `target`. */
export const EnvelopeSchema = z.object({
  id: z.string().uuid(),
  seq: z.number().int().positive(),
  type: z.string(),
  ts: z.string().datetime(),
  correlation_id: z.string().uuid(),
  causation_id: z.string().uuid().nullable(),
  source: z.string(),
  target: z.string().nullable(),
  version: z.number().int(),
  broker: z.enum(['paper', 'zerodha', 'shared', 'system']),
  key: z.string(),
  data: z.unknown(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;
