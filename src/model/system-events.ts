/** Runtime events: supervision, trading state, dead letters and operator commands. */
import type { BrokerName, OrderIdScope } from './ids.js';
import type { Instrument } from './instrument.js';
import type { TradingState } from './messages.js';
import type { CalendarYear, DailyMarks, MarketHoursMode } from './calendar.js';
import type { ZerodhaRates } from './zerodha-rates.js';

export interface ActorRestarted {
  readonly type: 'ActorRestarted';
  readonly actorId: string;
  /** Restarts within the current budget window, this one included. */
  readonly restarts: number;
  readonly error: string;
}

/** The supervisor spent the restart budget: the actor is stopped and marked FAULTED. */
export interface ActorFaulted {
  readonly type: 'ActorFaulted';
  readonly actorId: string;
  readonly restarts: number;
  readonly error: string;
}

export interface TradingStateChanged {
  readonly type: 'TradingStateChanged';
  readonly broker: BrokerName;
  /** Only this strategy on the broker changed state; absent: the broker's own state. */
  readonly strategyId?: string;
  readonly from: TradingState;
  readonly to: TradingState;
  readonly reason: string;
}

/** An operator (or the runtime) sets a broker's trading state. */
export interface SetTradingState {
  readonly type: 'SetTradingState';
  readonly broker: BrokerName;
  readonly state: TradingState;
  readonly reason: string;
  /**
   * Who sets it. The gate keeps one state per authority and trades on the stricter, so the
   * journal's backlog halt and its release never override an operator's halt, and an operator
   * cannot resume trading while the journal is backed up. `broker`: a remote broker's session
   * and reconciliation (a Kite token that expired, an IP Kite refuses, orders not yet reconciled
   * after a restart). Absent means `operator`.
   */
  readonly authority?: 'operator' | 'journal' | 'broker';
}

/** The record that made an actor throw, kept on `<topic>.dlq` with its failure. */
export interface DeadLettered {
  readonly type: 'DeadLettered';
  readonly actorId: string;
  readonly originalTopic: string;
  readonly originalSeq: number;
  readonly originalType: string;
  readonly originalKey: string;
  readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
  /** The original record's data (for a tick batch: the one tick being handled). */
  readonly original: unknown;
}

/** A dead letter no re-delivery has drained yet, as `dlq list` shows it. */
export interface PendingDeadLetter {
  /** Seq of the DeadLettered record. */
  readonly seq: number;
  /** When it was dead-lettered, ISO-8601. */
  readonly at: string;
  readonly actorId: string;
  readonly originalTopic: string;
  readonly originalSeq: number;
  readonly originalType: string;
  readonly originalKey: string;
  readonly error: DeadLettered['error'];
  readonly original: unknown;
}

/**
 * An operator's re-delivery of a dead letter (`dlq replay`): journaled on `control.commands` and
 * delivered to the actor that failed on it, with the original message as it was. A dead letter is
 * drained once a later DeadLetterRedelivered names it; if the actor throws again, the message is
 * dead-lettered anew (a new DeadLettered with its own seq).
 */
export interface DeadLetterRedelivered {
  readonly type: 'DeadLetterRedelivered';
  /** Seq of the DeadLettered record it drains. */
  readonly deadLetterSeq: number;
  readonly actorId: string;
  readonly originalTopic: string;
  readonly originalSeq: number;
  readonly originalType: string;
  readonly originalKey: string;
  readonly original: unknown;
}

/** A wall-clock timer fire, journaled as an input so replay sees the same time (invariant 1). */
export interface TimerFired {
  readonly type: 'TimerFired';
  readonly timer: string;
}

/** A strategy as a run was configured with it (the `StrategyConfig` of the actors, as data). */
export interface StrategySpec {
  readonly id: string;
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly instruments: readonly number[];
  readonly brokers: readonly BrokerName[];
  readonly enabled: boolean;
  /**
   * The code it ran, path relative to STRATEGIES_DIR → SHA-256 (hex): its own file (a type
   * defined in STRATEGIES_DIR) and every file its definition reads (models). Absent: built-in
   * code only. A replay whose files differ is a counterfactual.
   */
  readonly code?: Readonly<Record<string, string>>;
}

/**
 * The limits a broker's risk gate enforces, as a run recorded them (quantities in shares, money
 * in paise, rates in basis points, times in minutes after IST midnight). The gate's RiskLimits
 * are these plus the starting cash.
 */
export interface BrokerLimits {
  /** Largest absolute position per strategy and instrument, shares (filled plus validated). */
  readonly maxPositionPerInstrument: number;
  /** Largest distance of the order price from the last tick, basis points (1000 = 10%). */
  readonly priceBandBps: number;
  /** Largest value of one order, paise. */
  readonly maxNotionalPerOrder: number;
  /** Smallest quantity of one signal, shares. */
  readonly minQuantity: number;
  /** Largest quantity of one signal (before slicing), shares. */
  readonly maxQuantity: number;
  /** Margin over a buy's value kept for slippage and charges, basis points. */
  readonly cashBufferBps: number;
  /** The product of an order whose signal names none. */
  readonly defaultProduct: 'CNC' | 'MIS';
  /**
   * Market protection of MARKET and SL-M orders, basis points from the reference price (SEBI
   * 2026: never unprotected, so it must be more than 0; at most 10000).
   */
  readonly marketProtectionBps: number;
  /** Largest quantity of one order the exchange accepts, shares; larger ones are sliced. 0: no slicing. */
  readonly freezeQuantity: number;
  /** Most slices one signal may be split into, orders. */
  readonly maxSlices: number;
  /** Most open orders (slices placed and not yet final) per strategy, orders. */
  readonly maxOpenOrders: number;
  /** Most validated signals per strategy per IST trading day, signals. */
  readonly maxDailyTrades: number;
  /** Orders (slices) per calendar second for the whole account, orders. */
  readonly ordersPerSecond: number;
  /** Orders (slices) per calendar minute for the whole account, orders. */
  readonly ordersPerMinute: number;
  /** Orders (slices) per IST trading day for the whole account, orders. */
  readonly ordersPerDay: number;
  /** The instrument tokens that may be traded; null: every tradable instrument of the run. */
  readonly allowedInstruments: readonly number[] | null;
  /**
   * New MIS positions (opening or growing) are refused from this minute after IST midnight on,
   * minutes (0–1440; 1440: never).
   */
  readonly misEntryCutoffMinute: number;
  /** Loss since the day's start past which a strategy is restricted, paise; 0: off. */
  readonly dailyLossLimitPerStrategy: number;
  /** Loss of all the broker's strategies together since the day's start, paise; 0: off. */
  readonly dailyLossLimitPerBroker: number;
  /** Fall of a strategy's equity from its peak past which it is restricted, paise; 0: off. */
  readonly maxDrawdownPerStrategy: number;
  /** What a breached loss limit moves the strategy (or the broker) to. */
  readonly lossLimitAction: 'REDUCING' | 'HALTED';
}

/** A broker as a run set it up: risk limits, starting cash and the paper broker's model. */
export interface BrokerSpec {
  readonly name: BrokerName;
  /** Paise per portfolio; null for the default. */
  readonly startingCash: number | null;
  readonly limits: BrokerLimits;
  readonly paper: {
    readonly slippageBps: number;
    /**
     * The flat model's rate as its decimal text (a percent of value, e.g. "0.1"), or the zerodha
     * model's rates as the charges file held them when the run started, so a replay charges the
     * same whatever the file says later.
     */
    readonly charges:
      | { readonly kind: 'flat'; readonly percent: string }
      | { readonly kind: 'zerodha'; readonly rates: ZerodhaRates };
    readonly product: 'CNC' | 'MIS';
    readonly latencyMs: number;
    readonly latencyJitterMs: number;
    readonly maxModifications: number;
    /** Market protection of bracket stop exits whose entry implies none, basis points. */
    readonly bracketProtectionBps: number;
  };
}

/** The market a run traded in: its hours (and the calendar they came from) and daily marks. */
export interface MarketSpec {
  readonly hours: MarketHoursMode;
  /** The calendar years of `calendar` hours, as loaded when the run started; [] for `always`. */
  readonly calendar: readonly CalendarYear[];
  /** Zerodha's MIS entry cut-off and square-off, minutes after IST midnight. */
  readonly marks: DailyMarks;
  /** Interval of PNL_INTERVAL timers, ms; 0: none. */
  readonly pnlIntervalMs: number;
}

/**
 * The first record of every run: everything replay needs to build the same actors again (the
 * random seed, instruments, strategies, brokers, restart budget, market). Journaled on
 * `system.events`.
 */
export interface RunStarted {
  readonly type: 'RunStarted';
  readonly seed: number;
  readonly instruments: readonly Instrument[];
  readonly strategies: readonly StrategySpec[];
  readonly brokers: readonly BrokerSpec[];
  readonly budget: { readonly maxRestarts: number; readonly windowMs: number } | null;
  readonly market: MarketSpec;
  /** The version of each machine that ran (actors/versions.ts); replay refuses other versions. */
  readonly machines: Readonly<Record<string, number>>;
  /**
   * The journal's nonce and epoch its client order ids carry (filled in when the run starts on
   * its journal, so a replay elsewhere hands out the same ids).
   */
  readonly orderIds?: OrderIdScope;
}

/**
 * An operator's `journal repair --truncate-after SEQ` removed every record after SEQ (set aside in
 * a side file) and advanced the journal's epoch. Journaled at SEQ + 1, as an input, so recovery
 * and replay move client order ids to the new epoch at the same point.
 */
export interface JournalRepaired {
  readonly type: 'JournalRepaired';
  /** The journal's epoch from here on. */
  readonly epoch: number;
  readonly truncatedAfter: number;
  /** The highest seq the removed records held. */
  readonly removedThrough: number;
  /** Where the removed records are. */
  readonly sideFile: string;
}

/** Recovery re-derived a message differently from the recorded one (both records kept). */
export interface ReplayDivergence {
  readonly type: 'ReplayDivergence';
  readonly seq: number;
  readonly recorded: unknown;
  readonly replayed: unknown;
}

/**
 * Market data is missing: a ticker connection lost (every instrument it carried), or one
 * instrument silent in market hours. Journaled on `market.feed` as an input when the gap opens
 * and again when data resumes, so replay and anyone reading the journal know what was not seen.
 */
export interface FeedGap {
  readonly type: 'FeedGap';
  readonly phase: 'opened' | 'closed';
  readonly scope: 'connection' | 'instrument';
  /** The ticker connection (0, 1, 2). */
  readonly connection: number;
  /** The instruments without data. */
  readonly tokens: readonly number[];
  /** Epoch ms of the last frame (connection) or tick (instrument) before the gap. */
  readonly since: number;
  /** Epoch ms data resumed (closed only). */
  readonly until?: number;
  readonly reason: string;
}

/**
 * What a remote broker's reconciliation found that the journal did not say: orders placed
 * outside this runtime (EXTERNAL), orders whose state or filled quantity differ, positions that
 * differ. Journaled on `{broker}.broker.replies` as an input; the events that bring the journal
 * in line (fills, cancels) follow it as BrokerReplied inputs.
 */
export interface BrokerReconciled {
  readonly type: 'BrokerReconciled';
  readonly broker: BrokerName;
  /** `start`, `periodic`, `recovery`, `login`. */
  readonly reason: string;
  readonly orders: number;
  readonly differences: readonly {
    readonly kind: 'EXTERNAL' | 'ORDER' | 'POSITION' | 'NOT_FOUND';
    readonly detail: string;
    readonly clientOrderId?: string;
    readonly brokerOrderId?: string;
    readonly token?: number;
  }[];
}

/**
 * The broker refused an order for the account's rate (Kite's 429: the limit is shared with every
 * app on the account, so our own count cannot know it). Journaled on `{broker}.broker.replies`
 * and delivered to the broker's risk gate, which refuses new orders until `until`
 * (RATE_LIMIT_PER_SECOND); the adapter retries the refused order itself after the window.
 */
export interface OrderThrottled {
  readonly type: 'OrderThrottled';
  readonly broker: BrokerName;
  readonly clientOrderId: string;
  /** Epoch ms until which the gate validates no new order. */
  readonly until: number;
  readonly detail: string;
}

/** A remote broker's session changed state (login, token expiry, IP refusal). On system.events. */
export interface BrokerSessionChanged {
  readonly type: 'BrokerSessionChanged';
  readonly broker: BrokerName;
  readonly state: 'NONE' | 'VALID' | 'EXPIRED' | 'RENEWED';
  readonly reason: string;
  /** Kite's user id, when known. */
  readonly userId?: string;
}
