/** The `backtest --sweep` run: the grid of the specs over the run's strategies, run and ranked. */
import { availableParallelism } from 'node:os';
import { loadStrategies, unknownParameters, type Settings } from '../../config/index.js';
import type { StrategyConfig } from '../../model/index.js';
import { ConfigError } from '../../runtime/index.js';
import type { StrategyRegistry } from '../../strategies/index.js';
import { loadStrategiesFile, type BacktestRunOptions } from '../backtest-run.js';
import { loadStrategyRegistry } from '../strategy-files/index.js';
import { rankSweep, type RankBy, type RankedRun } from './rank-sweep.js';
import {
  applyParamSet,
  parseSweepAxis,
  sweepGrid,
  type ParamSet,
  type SweepAxis,
} from './sweep-spec.js';
import { cloneableSettings, runSweepPool } from './sweep-pool.js';

export interface SweepOutcome {
  readonly sets: number;
  readonly rankBy: RankBy;
  /** Worker threads that ran a set. */
  readonly workers: number;
  readonly runs: readonly RankedRun[];
  /** Sets the strategy's own schema refuses (fast_period ≥ slow_period, say): not run. */
  readonly skipped: readonly { readonly params: ParamSet; readonly error: string }[];
}

/** Refuses an axis whose parameter its strategy's type does not declare, naming the nearest. */
function checkAxis(
  axis: SweepAxis,
  strategies: readonly StrategyConfig[],
  registry: StrategyRegistry,
): void {
  const s = strategies.find((x) => x.id === axis.strategyId)!;
  const unknown = unknownParameters(s.type, { [axis.param]: 0 }, registry);
  if (unknown !== null) throw new ConfigError(`--sweep ${axis.key}: ${unknown}`);
}

/** Why the strategies' schemas refuse `set`, or null. */
function setProblem(
  set: ParamSet,
  strategies: readonly StrategyConfig[],
  registry: StrategyRegistry,
): string | null {
  for (const s of applyParamSet(strategies, set)) {
    const def = registry.lookup(s.type);
    if (!def.ok) continue; // reported by the run itself, as FAULTED
    const parsed = def.value.params.safeParse(s.params);
    if (!parsed.success)
      return `strategy ${s.id}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
  }
  return null;
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
  const registry = loadStrategyRegistry(settings.strategies_dir).registry;
  const axes = specs.map((s) => parseSweepAxis(s, strategies));
  for (const a of axes) checkAxis(a, strategies, registry);
  const skipped: { params: ParamSet; error: string }[] = [];
  const sets = sweepGrid(axes).filter((set) => {
    const error = setProblem(set, strategies, registry);
    if (error !== null) skipped.push({ params: set, error });
    return error === null;
  });
  if (sets.length === 0)
    throw new ConfigError(
      `--sweep: every parameter set is refused by its strategy; the first: ${skipped[0]?.error ?? 'none'}`,
    );
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
    skipped,
  };
}
