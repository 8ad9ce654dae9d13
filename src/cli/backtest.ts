/** `backtest`: the mock feed for N ticks through the real actors, as fast as possible. */
import { backtestRun } from '../system/index.js';
import { expectOnly, intOption, parseArgs, stringOption } from './args.js';
import type { Command } from './command.js';
import { LOGGING, RUN } from './env.js';

export const backtest: Command = {
  name: 'backtest',
  summary: 'runs N mock ticks through the real actors on a simulated clock; prints the result',
  options: [
    { name: 'ticks', value: 'N', required: true, help: 'ticks to run' },
    { name: 'seed', value: 'S', default: '1', help: 'seed of the mock market and the run' },
    { name: 'batch', value: 'B', default: '100', help: 'ticks per delivery batch' },
    {
      name: 'data-dir',
      value: 'D',
      default: 'a temporary folder, removed afterwards',
      help: 'where the LMDB journal goes',
    },
  ],
  env: [...LOGGING, ...RUN, 'JOURNAL__BATCH_RECORDS', 'JOURNAL__MAX_BACKLOG'],
  logTo: 'stderr',
  async run({ settings, log }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const result = await backtestRun(settings, {
      ticks: intOption(args, 'ticks', undefined, 1, 1e10),
      seed: intOption(args, 'seed', 1, 0, 4294967295),
      batch: intOption(args, 'batch', 100, 1, 100_000),
      dataDir: stringOption(args, 'data-dir'),
      onJournalProblem: (m) => log.warn(m),
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  },
};
