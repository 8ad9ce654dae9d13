/** The `backtest --sweep` run: the grid of the specs over the run's strategies, run and ranked. */
import { availableParallelism } from 'node:os';
import { loadStrategies, type Settings } from '../../config/index.js';
import { loadStrategiesFile, type BacktestRunOptions } from '../backtest-run.js';
import { rankSweep, type RankBy, type RankedRun } from './rank-sweep.js';
import { parseSweepAxis, sweepGrid } from './sweep-spec.js';
import { cloneableSettings, runSweepPool } from './sweep-pool.js';

export interface SweepOutcome {
  readonly sets: number;
  readonly rankBy: RankBy;
  /** Worker threads that ran a set. */
  readonly workers: number;
  readonly runs: readonly RankedRun[];
}

/** Runs each set of `specs`' grid as its own backtest of `opts` in worker threads; ranks them. */
export async function sweepRun(
  settings: Settings,
  opts: Omit<BacktestRunOptions, 'onJournalProblem' | 'onJournal' | 'registry' | 'strategies'>,
  specs: readonly string[],
  rankBy: RankBy,
  workers = availableParallelism(),
): Promise<SweepOutcome> {
  const strategies =
    opts.config !== undefined
      ? loadStrategiesFile(opts.config)
      : loadStrategies(settings.config_dir);
  const sets = sweepGrid(specs.map((s) => parseSweepAxis(s, strategies)));
  const { dataDir: _own, ...shared } = opts;
  const runs = await runSweepPool(
    { settings: cloneableSettings(settings), options: shared },
    strategies,
    sets,
    workers,
  );
  const startingCash =
    Math.round(settings.paper_trading.starting_cash * 100) *
    strategies.filter((s) => s.enabled).length;
  return {
    sets: sets.length,
    rankBy,
    workers: new Set(runs.map((r) => r.threadId)).size,
    runs: rankSweep(runs, rankBy, startingCash, (r) => r.figures),
  };
}
