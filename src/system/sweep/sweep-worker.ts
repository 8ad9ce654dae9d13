/**
 * A sweep's worker thread: runs the backtests the pool sends it, one at a time, each in its own
 * temporary journal folder, and posts each result back, with its report's figures (Sharpe, max
 * drawdown, return) and this thread's id.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { Settings } from '../../config/index.js';
import type { StrategyConfig } from '../../model/index.js';
import { backtestRun, type BacktestRunOptions } from '../backtest-run.js';
import { buildReport } from '../report/index.js';
import type { RunFigures } from './rank-sweep.js';
import type { SweepJob, SweepReply, SweepWorkerData } from './sweep-messages.js';

const data = workerData as SweepWorkerData;
const settings: Settings = data.settings;
const base: BacktestRunOptions = { ...data.options, onJournalProblem: () => {} };

parentPort!.on('message', (job: SweepJob | null) => {
  if (job === null) {
    parentPort!.close();
    return;
  }
  void run(job.index, job.strategies);
});

async function run(index: number, strategies: StrategyConfig[]): Promise<void> {
  let reply: SweepReply;
  try {
    let figures: RunFigures | null = null;
    const result = await backtestRun(settings, {
      ...base,
      strategies,
      dataDir: undefined,
      onJournal: async (journal) => {
        const r = await buildReport(journal.read(1));
        figures = { sharpe: r.sharpe, maxDrawdown: r.maxDrawdown.fraction, return: r.return };
      },
    });
    reply = { index, threadId, result, figures };
  } catch (err) {
    reply = { index, threadId, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(reply);
}
