/**
 * Every message that crosses an actor boundary or enters through ingress, as one discriminated
 * union on `type`, and the subsets each part of the runtime handles. A tick is journaled as
 * `MarketTick` and delivered in batches as `TicksReceived`.
 */
import type {
  BrokerReplied,
  OrderEvent,
  PnlSnapshot,
  PortfolioSnapshot,
  SignalRejected,
  SignalValidated,
  StrategyConfigured,
  SubmitOrder,
  TicksReceived,
  TradingSignal,
} from './messages.js';
import type {
  ActorFaulted,
  ActorRestarted,
  BrokerReconciled,
  BrokerSessionChanged,
  DeadLettered,
  DeadLetterRedelivered,
  FeedGap,
  JournalRepaired,
  OrderThrottled,
  ReplayDivergence,
  RunStarted,
  SetTradingState,
  TimerFired,
  TradingStateChanged,
} from './system-events.js';
import type {
  CancelOrder,
  KillSwitch,
  MarketTimerFired,
  ModifyOrder,
  TradingCommand,
} from './orders.js';

/** What actors emit: the switchboard gives each a seq, journals it and routes it (routes.ts). */
export type ActorOutput =
  | TradingSignal
  | SignalValidated
  | SignalRejected
  | SubmitOrder
  | CancelOrder
  | ModifyOrder
  | OrderEvent
  | PnlSnapshot
  | PortfolioSnapshot
  | SetTradingState
  | TradingStateChanged
  | ActorRestarted
  | ActorFaulted;

/** What enters through ingress besides ticks: operator commands, broker replies, timers, runs. */
export type Input =
  | SetTradingState
  | StrategyConfigured
  | BrokerReplied
  | RunStarted
  | DeadLetterRedelivered
  | JournalRepaired
  | ReplayDivergence
  | TimerFired
  | MarketTimerFired
  | TradingCommand
  | KillSwitch
  | FeedGap
  | BrokerReconciled
  | BrokerSessionChanged
  | OrderThrottled;

/** Every message with a `type`: actor output, inputs, dead letters and tick batches. */
export type Message = ActorOutput | Input | DeadLettered | TicksReceived;

/** What the switchboard delivers to an actor. */
export type Delivery = ActorOutput | Input | TicksReceived;
