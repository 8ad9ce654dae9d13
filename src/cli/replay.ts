/** `replay`: rebuilds every run of the journal and compares what it derives with what is recorded. */
import { ConfigError } from '../runtime/index.js';
import {
  loadStrategyRegistry,
  openJournalToRead,
  runReplay,
  type ParamChange,
} from '../system/index.js';
import { expectOnly, parseArgs, seqOrTimeOption, stringOption } from './args.js';
import type { Command } from './command.js';
import { JOURNAL_READ, LOGGING } from './env.js';

/** `--set strategy.<id>.<param>=<value>`; the value is JSON when it parses as JSON, else text. */
export function parseParamChange(text: string): ParamChange {
  const m = /^strategy\.([a-z0-9_-]+)\.([A-Za-z0-9_]+)=(.*)$/.exec(text);
  if (!m)
    throw new ConfigError(
      `--set: received ${JSON.stringify(text)}; expected strategy.<id>.<param>=<value>, e.g. strategy.ema_cross_reliance.quantity=50`,
    );
  let value: unknown = m[3]!;
  try {
    value = JSON.parse(m[3]!);
  } catch {
    // Not JSON: keep the text.
  }
  return { strategyId: m[1]!, param: m[2]!, value };
}

export const replay: Command = {
  name: 'replay',
  summary: 'replays the journal through fresh actors and compares every derived message',
  options: [
    {
      name: 'data-dir',
      value: 'D',
      default: 'DATA_DIR',
      help: 'the LMDB journal to read (ignored with KAFKA_BROKERS, which is read read-only)',
    },
    { name: 'from', value: 'SEQ|TIME', default: '1', help: 'first seq counted and compared' },
    { name: 'until', value: 'SEQ|TIME', default: 'the end', help: 'last seq read' },
    {
      name: 'set',
      value: 'strategy.<id>.<param>=<value>',
      repeatable: true,
      help: 'a counterfactual: replays with this parameter changed and diffs the orders',
    },
  ],
  // STRATEGIES_DIR's files as they are now: where they differ from a run's recorded code, that
  // run's replay is a counterfactual (codeChanges, orderDiff).
  env: [...LOGGING, ...JOURNAL_READ, 'STRATEGIES_DIR'],
  logTo: 'stderr',
  async run({ settings, log }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const from = seqOrTimeOption(args, 'from');
    const until = seqOrTimeOption(args, 'until');
    const set = (args.options.set ?? []).map(parseParamChange);
    const files = loadStrategyRegistry(settings.strategies_dir);
    for (const p of files.problems)
      log.warn({ file: p.path, error: p.error }, 'strategy file not loaded');
    const transport = await openJournalToRead(settings, stringOption(args, 'data-dir'), 'replay');
    try {
      const result = await runReplay(transport, {
        ...(from && 'seq' in from ? { from: from.seq } : {}),
        ...(from && 'ts' in from ? { fromTs: from.ts } : {}),
        ...(until && 'seq' in until ? { until: until.seq } : {}),
        ...(until && 'ts' in until ? { untilTs: until.ts } : {}),
        set,
        registry: files.registry,
      });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      await transport.close();
    }
    return 0;
  },
};
