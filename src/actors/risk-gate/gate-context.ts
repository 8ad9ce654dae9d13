/**
 * The risk gate's context: the data it keeps (JSON, snapshotted) and the environment it is given
 * (clock, market hours, instruments), which a restore takes from the input again.
 */
import type {
  BrokerName,
  Instrument,
  MarketTimerFired,
  OrderCanceled,
  OrderFilled,
  OrderRejected,
  HaltTrading,
  KillSwitch,
  ReduceOnly,
  ResumeTrading,
  OrderThrottled,
  SetTradingState,
  SignalRejected,
  SignalValidated,
  Side,
  SubmitOrder,
  TicksReceived,
  TradingSignal,
  TradingStateChanged,
} from '../../model/index.js';
import type { Clock } from '../../runtime/index.js';
import type { RiskLimits } from './risk-limits.js';
import { ACTIVE_SCOPE, type ScopeState } from './trading-state.js';

/**
 * A market calendar as the gate needs it (a calendar from elsewhere satisfies it structurally):
 * whether the market is open at a time, and the IST trading day a time belongs to (YYYY-MM-DD).
 */
export interface MarketHours {
  isOpen(t: number): boolean;
  tradingDay(t: number): string;
}

export interface RiskGateInput {
  readonly broker: BrokerName;
  /** Checked by `riskLimits` at a fresh start; a restore keeps the snapshot's. */
  readonly limits: RiskLimits;
  /** The run's instruments: lot and tick sizes, and which are indices. */
  readonly instruments: readonly Instrument[];
  readonly hours: MarketHours;
  /** The time of the input being handled; every time-based decision reads it. */
  readonly clock: Clock;
  /** A snapshot's context (with or without its environment) to continue from. */
  readonly restore?: RiskGateData;
}

/** An order placed (SubmitOrder seen) and not yet final. */
export interface OpenOrder {
  readonly token: number;
  readonly side: Side;
  readonly quantity: number;
  readonly filled: number;
}

/** One strategy's equity as the loss limits follow it, paise. */
export interface EquityRecord {
  /** The IST trading day `dayStart` belongs to. */
  readonly day: string;
  /** Equity at the day's start. */
  readonly dayStart: number;
  /** The strategy's daily loss forgiven by a ResumeTrading of the strategy in `day`. */
  readonly forgiven: number;
  /** Highest equity seen (since the last ResumeTrading of the strategy). */
  readonly peak: number;
  /** Equity at the last evaluation: cash plus positions at their last prices. */
  readonly equity: number;
}

/** Orders (slices) validated for the account in the current calendar second, minute and day. */
export interface OrderRate {
  /** floor(t / 1000) of the second `inSecond` counts. */
  readonly second: number;
  readonly inSecond: number;
  /** floor(t / 60000) of the minute `inMinute` counts. */
  readonly minute: number;
  readonly inMinute: number;
  /** In the trading day `RiskGateData.day`. */
  readonly inDay: number;
  /** Epoch ms until which the broker throttles the account (its 429); absent: not throttled. */
  readonly throttledUntil?: number;
}

/** What the gate keeps: plain JSON, snapshotted and restored as is. */
export interface RiskGateData {
  readonly broker: BrokerName;
  readonly limits: RiskLimits;
  /** The broker's own trading state (operator, journal, broker daily loss). */
  readonly brokerState: ScopeState;
  /** Each strategy's own trading state on this broker (operator, daily loss, drawdown); absent: ACTIVE. */
  readonly strategyStates: Readonly<Record<string, ScopeState>>;
  /** Last tick price per instrument (or, before any tick, its last fill price), paise. */
  readonly lastPrice: Readonly<Record<number, number>>;
  /** Filled position per strategy and instrument, signed shares; no zero entries. */
  readonly positions: Readonly<Record<string, Readonly<Record<number, number>>>>;
  /** The strategies holding a position in each instrument (whose equity its ticks move). */
  readonly holders: Readonly<Record<number, readonly string[]>>;
  /** Validated, not yet filled or refused, per strategy and instrument, signed shares. */
  readonly pending: Readonly<Record<string, Readonly<Record<number, number>>>>;
  /** Each strategy's cash after its fills, paise (absent: the starting cash). */
  readonly cash: Readonly<Record<string, number>>;
  /** Open orders per strategy, by client order id. */
  readonly openOrders: Readonly<Record<string, Readonly<Record<string, OpenOrder>>>>;
  /** Slices validated per strategy whose SubmitOrder has not been seen yet. */
  readonly unplaced: Readonly<Record<string, number>>;
  /** The IST trading day the daily counters belong to ('' before the first). */
  readonly day: string;
  /** Signals validated per strategy in `day`. */
  readonly tradesToday: Readonly<Record<string, number>>;
  readonly rate: OrderRate;
  /** Per strategy, from its first fill on. */
  readonly equity: Readonly<Record<string, EquityRecord>>;
  /** The broker's daily loss forgiven by a broker-wide ResumeTrading in `day`, paise. */
  readonly brokerLossForgiven: number;
  readonly validated: number;
  readonly rejected: number;
}

/** What the gate is given and never snapshots: its `toJSON` drops it from a snapshot. */
export interface GateEnv {
  readonly clock: Clock;
  readonly hours: MarketHours;
  readonly instruments: Readonly<Record<number, Instrument>>;
  toJSON(): undefined;
}

export interface RiskGateContext extends RiskGateData {
  readonly env: GateEnv;
}

export type RiskGateEvent =
  | TicksReceived
  | TradingSignal
  | SubmitOrder
  | OrderFilled
  | OrderRejected
  | OrderCanceled
  | SetTradingState
  | HaltTrading
  | ReduceOnly
  | ResumeTrading
  | KillSwitch
  | MarketTimerFired
  | OrderThrottled;

export type RiskGateEmitted = SignalValidated | SignalRejected | TradingStateChanged;

/** The environment from an input. */
export function envOf(input: RiskGateInput): GateEnv {
  const instruments: Record<number, Instrument> = {};
  for (const i of input.instruments) instruments[i.token] = i;
  return { clock: input.clock, hours: input.hours, instruments, toJSON: () => undefined };
}

/** A fresh gate's data. */
export function initialData(broker: BrokerName, limits: RiskLimits): RiskGateData {
  return {
    broker,
    limits,
    brokerState: ACTIVE_SCOPE,
    strategyStates: {},
    lastPrice: {},
    positions: {},
    holders: {},
    pending: {},
    cash: {},
    openOrders: {},
    unplaced: {},
    day: '',
    tradesToday: {},
    rate: { second: -1, inSecond: 0, minute: -1, inMinute: 0, inDay: 0 },
    equity: {},
    brokerLossForgiven: 0,
    validated: 0,
    rejected: 0,
  };
}

/** Returns `record` with `key` set to `value`, or without `key` when `value` is 0 (copy on write). */
export function withCount<K extends string | number>(
  record: Readonly<Record<K, number>>,
  key: K,
  value: number,
): Readonly<Record<K, number>> {
  const out: Record<K, number> = { ...record };
  if (value === 0) delete out[key];
  else out[key] = value;
  return out;
}
