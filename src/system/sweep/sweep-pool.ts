/**
 * A sweep: every parameter set of the grid runs as its own backtest in a pool of worker threads
 * (one per available core, at most one per set), each over the same data and in its own
 * temporary journal folder; the results come back in grid order, then are ranked.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Settings } from '../../config/index.js';
import type { StrategyConfig } from '../../model/index.js';
import { ConfigError } from '../../runtime/index.js';
import type { BacktestResult } from '../backtest.js';
import type { SweepReply, SweepWorkerData } from './sweep-messages.js';
import type { RunFigures } from './rank-sweep.js';
import { applyParamSet, type ParamSet } from './sweep-spec.js';

/** One set's outcome. */
export interface SweepRun {
  readonly params: ParamSet;
  /** The worker thread that ran it. */
  readonly threadId: number;
  readonly result: BacktestResult;
  /** The run's report figures (Sharpe, max drawdown, return); null when it has none. */
  readonly figures: RunFigures | null;
}

/**
 * The compiled worker: beside this file when it runs from dist/, else the build's copy (a run
 * from the TypeScript sources, as tests do after `npm run build`).
 */
export function sweepWorkerPath(): string {
  const here = fileURLToPath(import.meta.url);
  const own = join(dirname(here), 'sweep-worker.js');
  if (here.endsWith('.js')) return own;
  const built = join(dirname(here), '..', '..', '..', 'dist', 'system', 'sweep', 'sweep-worker.js');
  if (!existsSync(built))
    throw new ConfigError(`sweep: no compiled worker at ${built}; run \`npm run build\` first`);
  return built;
}

/** Runs every set; rejects with the first set that failed, naming its parameters. */
export async function runSweepPool(
  data: SweepWorkerData,
  strategies: readonly StrategyConfig[],
  sets: readonly ParamSet[],
  workers = availableParallelism(),
): Promise<SweepRun[]> {
  const path = sweepWorkerPath();
  const count = Math.max(1, Math.min(workers, sets.length));
  const out = new Array<SweepRun | undefined>(sets.length);
  let next = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const w = new Worker(path, { workerData: data });
      const feed = () => {
        if (next >= sets.length) {
          w.postMessage(null);
          return;
        }
        const index = next++;
        w.postMessage({ index, strategies: applyParamSet(strategies, sets[index]!) });
      };
      w.on('message', (r: SweepReply) => {
        if ('error' in r) {
          void w.terminate();
          reject(new ConfigError(`sweep: set ${JSON.stringify(sets[r.index])} failed: ${r.error}`));
          return;
        }
        out[r.index] = {
          params: sets[r.index]!,
          threadId: r.threadId,
          result: r.result,
          figures: r.figures,
        };
        feed();
      });
      w.on('error', reject);
      w.on('exit', () => resolve());
      feed();
    });
  await Promise.all(Array.from({ length: count }, one));
  const missing = out.findIndex((r) => r === undefined);
  if (missing >= 0) throw new ConfigError(`sweep: set ${missing} did not report a result`);
  return out as SweepRun[];
}

/** The settings as a worker can receive them (structured clone keeps plain data only). */
export function cloneableSettings(settings: Settings): Settings {
  return JSON.parse(JSON.stringify(settings)) as Settings;
}
