/** What the sweep pool and its workers send each other (structured-cloned). */
import type { Settings } from '../../config/index.js';
import type { StrategyConfig } from '../../model/index.js';
import type { BacktestResult } from '../backtest.js';
import type { BacktestRunOptions } from '../backtest-run.js';
import type { RunFigures } from './rank-sweep.js';

/** The run every worker shares: the settings and the backtest options without callbacks. */
export interface SweepWorkerData {
  readonly settings: Settings;
  readonly options: Omit<BacktestRunOptions, 'onJournalProblem' | 'onJournal' | 'registry'>;
}

/** One backtest to run: its strategies with the set's parameters in place; null: stop. */
export interface SweepJob {
  readonly index: number;
  readonly strategies: StrategyConfig[];
}

export type SweepReply =
  | {
      readonly index: number;
      readonly threadId: number;
      readonly result: BacktestResult;
      readonly figures: RunFigures | null;
    }
  | { readonly index: number; readonly threadId: number; readonly error: string };
