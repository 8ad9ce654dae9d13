/** Parameter sweeps: the grid of `--sweep` specs, run in worker threads, ranked. */
export {
  parseSweepAxis,
  sweepGrid,
  applyParamSet,
  MAX_SWEEP_SETS,
  type SweepAxis,
  type ParamSet,
} from './sweep-spec.js';
export { runSweepPool, sweepWorkerPath, cloneableSettings, type SweepRun } from './sweep-pool.js';
export {
  rankSweep,
  netPnl,
  RANK_BY,
  type RankBy,
  type RankedRun,
  type RunFigures,
} from './rank-sweep.js';
export type { SweepWorkerData } from './sweep-messages.js';
export { sweepRun, type SweepOutcome } from './sweep-run.js';
