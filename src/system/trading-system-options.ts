/** What a trading system is built from: its clocks, journal, instruments, strategies and brokers. */
import type {
  BrokerLimits,
  BrokerName,
  Instrument,
  MarketHours,
  RunStarted,
  StrategyConfig,
} from '../model/index.js';
import type {
  BridgeOptions,
  Clock,
  InputClock,
  LogTransport,
  Random,
  RestartBudget,
} from '../runtime/index.js';
import type { BrokerAdapter } from '../brokers/index.js';
import type { StrategyRegistry } from '../strategies/index.js';
import type { SystemState } from './system-state.js';

export interface BrokerSetup {
  readonly name: BrokerName;
  readonly adapter: BrokerAdapter;
  /** The gate's limits; absent: the settings' defaults (defaultBrokerSpec). */
  readonly limits?: BrokerLimits;
  /** Starting cash of each portfolio, paise. */
  readonly startingCash?: number;
}

export interface TradingSystemOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly transport: LogTransport;
  readonly instruments: readonly Instrument[];
  readonly strategies: readonly StrategyConfig[];
  readonly brokers: readonly BrokerSetup[];
  readonly registry?: StrategyRegistry;
  /** The market hours gates and timers go by; absent: 24x7. */
  readonly hours?: MarketHours;
  /**
   * The clock the switchboard sets to each input's journal time, which gates and simulated
   * brokers read; give the one the broker adapters were built with.
   */
  readonly inputClock?: InputClock;
  readonly budget?: RestartBudget;
  readonly bridge?: BridgeOptions;
  /** Called for journal write failures and backlog changes. */
  readonly onJournalProblem?: (message: string) => void;
  /**
   * What the run was built from, journaled as its first record (`RunStarted` on system.events)
   * so that replay can build the same actors again. Absent in tests that replay nothing.
   */
  readonly run?: RunStarted;
  /**
   * A snapshot's state to continue from (recovery): the actors start from its contexts, the
   * switchboard from its counts and fingerprint, simulated brokers from their books, and nothing
   * is journaled at start (the run's RunStarted is already in the journal).
   */
  readonly restore?: SystemState;
}
