/**
 * `backtest`: the mock feed for N ticks, or recorded history (`--data`), through the real actors
 * on a simulated clock, as fast as possible; `--sweep` runs a parameter grid in worker threads.
 */
import { writeFileSync } from 'node:fs';
import {
  backtestRun,
  buildReport,
  renderReportHtml,
  type BacktestReport,
} from '../system/index.js';
import { KITE_INTERVALS, RANK_BY, sweepRun } from '../system/index.js';
import { ConfigError } from '../runtime/index.js';
import { choiceOption, expectOnly, intOption, parseArgs, stringOption } from './args.js';
import type { Command } from './command.js';
import { LOGGING, RUN } from './env.js';

export const backtest: Command = {
  name: 'backtest',
  summary:
    'runs N mock ticks, or recorded candles or ticks (--data), through the real actors on a simulated clock; prints the result',
  options: [
    {
      name: 'ticks',
      value: 'N',
      help: 'mock ticks to run (required without --data; with it, the most ticks read)',
    },
    {
      name: 'data',
      value: 'FILE|DIR',
      help: 'Kite candle CSV, tick CSV, a folder of them (one per instrument) or a data dir with a journal (docs/backtesting.md)',
    },
    { name: 'from', value: 'DATE', help: 'first day (IST) or time of the data to run' },
    {
      name: 'until',
      value: 'DATE',
      help: 'last day (IST, included) or time (excluded) of the data to run',
    },
    { name: 'instruments', value: 'T,T', help: 'tokens or trading symbols of the data to run' },
    {
      name: 'interval',
      value: 'INTERVAL',
      default: 'inferred from the dates',
      help: 'candle interval: minute, 3minute, 5minute, 10minute, 15minute, 30minute, 60minute or day',
    },
    {
      name: 'config',
      value: 'FILE',
      default: "CONFIG_DIR's strategies.yaml",
      help: 'a strategies YAML (the format of config/strategies.yaml)',
    },
    {
      name: 'seed',
      value: 'S',
      default: '1',
      help: 'seed of the mock market, the OHLC path and the run',
    },
    { name: 'batch', value: 'B', default: '100', help: 'ticks per delivery batch' },
    {
      name: 'data-dir',
      value: 'D',
      default: 'a temporary folder, removed afterwards',
      help: 'where the LMDB journal goes',
    },
    {
      name: 'sweep',
      value: 'strategy.ID.PARAM=a..b:step',
      repeatable: true,
      help: 'runs the grid of parameter sets in worker threads and ranks them (also =5,8,13)',
    },
    { name: 'rank-by', value: 'pnl|return|sharpe', default: 'pnl', help: "a sweep's ranking" },
    {
      name: 'report',
      value: 'FILE',
      help: 'writes the HTML report of the run (one self-contained page)',
    },
  ],
  env: [
    ...LOGGING,
    ...RUN,
    'STRATEGIES_DIR',
    'FEED__BATCH_MS',
    'JOURNAL__BATCH_RECORDS',
    'JOURNAL__MAX_BACKLOG',
  ],
  logTo: 'stderr',
  async run({ settings, log }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const data = stringOption(args, 'data');
    const interval =
      args.options['interval'] === undefined
        ? undefined
        : choiceOption(args, 'interval', Object.keys(KITE_INTERVALS), undefined);
    if (data === undefined)
      for (const o of ['from', 'until', 'instruments', 'interval'])
        if (args.options[o] !== undefined) throw new ConfigError(`--${o} needs --data`);
    const instruments = stringOption(args, 'instruments')
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const opts = {
      ticks: intOption(
        args,
        'ticks',
        data === undefined ? undefined : Number.MAX_SAFE_INTEGER,
        1,
        Number.MAX_SAFE_INTEGER,
      ),
      seed: intOption(args, 'seed', 1, 0, 4294967295),
      batch: intOption(args, 'batch', 100, 1, 100_000),
      dataDir: stringOption(args, 'data-dir'),
      data,
      from: stringOption(args, 'from'),
      until: stringOption(args, 'until'),
      instruments,
      intervalMs: interval === undefined ? undefined : KITE_INTERVALS[interval],
      config: stringOption(args, 'config'),
    };
    const sweeps = args.options['sweep'] ?? [];
    const rankBy = choiceOption(args, 'rank-by', RANK_BY, 'pnl');
    if (sweeps.length > 0) {
      if (stringOption(args, 'report') !== undefined)
        throw new ConfigError('--report writes one run; drop it with --sweep');
      const outcome = await sweepRun(settings, opts, sweeps, rankBy);
      process.stdout.write(`${JSON.stringify(outcome)}\n`);
      return 0;
    }
    const reportFile = stringOption(args, 'report');
    // A data backtest, or one asked for an HTML page, carries the report of its journal.
    let report: BacktestReport | undefined;
    const result = await backtestRun(settings, {
      ...opts,
      onJournalProblem: (m) => log.warn(m),
      onStrategyProblem: (file, error) => log.error({ file, error }, 'strategy file not loaded'),
      ...(data !== undefined || reportFile !== undefined
        ? {
            onJournal: async (journal) => {
              report = await buildReport(journal.read(1));
            },
          }
        : {}),
    });
    // A strategy refused at start (a misspelled type, a broken file) or faulted on the way trades
    // nothing: say so, beside its status in the result.
    for (const s of result.strategies)
      if (s.status === 'FAULTED') log.error({ strategy: s.id, error: s.error }, 'strategy faulted');
    if (reportFile !== undefined && report !== undefined) {
      try {
        writeFileSync(reportFile, renderReportHtml(report));
      } catch (err) {
        throw new ConfigError(`--report: cannot write ${reportFile}: ${(err as Error).message}`);
      }
    }
    process.stdout.write(
      `${JSON.stringify(report === undefined ? result : { ...result, report })}\n`,
    );
    return 0;
  },
};
