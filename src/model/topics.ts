/** Topic names and partition keys (SPEC §1): `{broker}.{domain}.{event}[.dlq]`, as the original named them. */
import type { BrokerName, BrokerScope, InstrumentToken, StrategyId } from './ids.js';

export const MARKET_TICKS = 'market.ticks';
export const CONTROL_COMMANDS = 'control.commands';
export const SYSTEM_EVENTS = 'system.events';
export const MARKET_TIMERS = 'market.timers';
/** Gaps in the live market data (FeedGap). */
export const MARKET_FEED = 'market.feed';

export const topics = {
  marketTicks: MARKET_TICKS,
  controlCommands: CONTROL_COMMANDS,
  systemEvents: SYSTEM_EVENTS,
  marketTimers: MARKET_TIMERS,
  marketFeed: MARKET_FEED,
  signalsRaw: (b: BrokerName) => `${b}.signals.raw`,
  signalsValidated: (b: BrokerName) => `${b}.signals.validated`,
  signalsRejected: (b: BrokerName) => `${b}.signals.rejected`,
  ordersSubmitted: (b: BrokerName) => `${b}.orders.submitted`,
  ordersAck: (b: BrokerName) => `${b}.orders.ack`,
  ordersFilled: (b: BrokerName) => `${b}.orders.filled`,
  ordersFailed: (b: BrokerName) => `${b}.orders.failed`,
  ordersCanceled: (b: BrokerName) => `${b}.orders.canceled`,
  /** Cancel and modify requests to the broker. */
  ordersCommands: (b: BrokerName) => `${b}.orders.commands`,
  /** Modifications and refused cancels or modifies. */
  ordersUpdates: (b: BrokerName) => `${b}.orders.updates`,
  pnlSnapshots: (b: BrokerName) => `${b}.pnl.snapshots`,
  portfolioSnapshots: (b: BrokerName) => `${b}.portfolio.snapshots`,
  brokerReplies: (b: BrokerName) => `${b}.broker.replies`,
  dlq: (topic: string) => `${topic}.dlq`,
} as const;

export const keys = {
  tick: (token: InstrumentToken) => String(token),
  signal: (s: StrategyId, token: InstrumentToken) => `${s}:${token}`,
  order: (s: StrategyId, token: InstrumentToken) => `${s}:${token}`,
  pnl: (b: BrokerName, s: StrategyId) => `${b}:${s}`,
} as const;

/** Returns the broker scope of a topic: its first segment when a broker, else shared/system. */
export function brokerOfTopic(topic: string): BrokerScope {
  const first = topic.slice(0, topic.indexOf('.'));
  if (first === 'paper' || first === 'zerodha') return first;
  return first === 'market' ? 'shared' : 'system';
}
