/** What a snapshot keeps of a trading system (TradingSystem.snapshotState, and its `restore`). */
import type { RunStatsState, SupervisorState } from '../runtime/index.js';

/** Everything a running system holds beyond the journal, taken between inputs (`snapshotState`). */
export interface SystemState {
  /** Per supervisor (strategies and each broker's): restarts, faults and children's contexts. */
  readonly supervisors: Readonly<Record<string, SupervisorState>>;
  readonly switchboard: RunStatsState;
  /** State of each simulated broker adapter. */
  readonly brokers: Readonly<Record<string, unknown>>;
}
