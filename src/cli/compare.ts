/** `compare A B`: lines up the orders of two LMDB journals and prints the differences as JSON. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../config/index.js';
import { ConfigError, type LogTransport } from '../runtime/index.js';
import { compareJournals, DEFAULT_WINDOW_MS, openJournalToRead } from '../system/index.js';
import { expectOnly, intOption, parseArgs } from './args.js';
import type { Command } from './command.js';
import { LOGGING } from './env.js';

/** Options that take a value, so their value is not read as a journal. */
const VALUED = new Set(['window-ms']);

/** Splits argv into the positional journals and the rest (options and their values). */
export function splitJournals(argv: readonly string[]): { journals: string[]; rest: string[] } {
  const journals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      rest.push(a);
      if (!a.includes('=') && VALUED.has(a.slice(2)) && i + 1 < argv.length) rest.push(argv[++i]!);
    } else journals.push(a);
  }
  return { journals, rest };
}

/**
 * Writes to stdout and waits until the text is handed over: a pipe's write is not finished
 * when write() returns, and the process exits right after the command.
 */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    process.stdout.write(text, (e) => (e ? reject(e) : resolve())),
  );
}

/** The settings with the LMDB journal whatever KAFKA_BROKERS says: compare reads data dirs. */
function lmdbOnly(settings: Settings): Settings {
  const { kafka_brokers: _ignored, ...rest } = settings;
  return rest;
}

export const compare: Command = {
  name: 'compare',
  summary: "lines up two journals' orders (backtest, paper, live) and reports what changed",
  argument: 'JOURNAL_A JOURNAL_B',
  options: [
    {
      name: 'window-ms',
      value: 'MS',
      default: String(DEFAULT_WINDOW_MS),
      help: 'the furthest apart in time two orders may be to be paired',
    },
  ],
  env: [...LOGGING],
  logTo: 'stderr',
  async run({ settings }, argv) {
    const { journals, rest } = splitJournals(argv);
    const args = parseArgs(rest);
    expectOnly(args, this);
    if (journals.length !== 2)
      throw new ConfigError(
        `compare: received ${journals.length} journal${journals.length === 1 ? '' : 's'} (${journals.map((j) => JSON.stringify(j)).join(', ') || 'none'}); expected two data directories, e.g. compare data/backtest data/paper`,
      );
    const windowMs = intOption(args, 'window-ms', DEFAULT_WINDOW_MS, 0, Number.MAX_SAFE_INTEGER);
    const opened: LogTransport[] = [];
    try {
      for (const dir of journals) {
        if (!existsSync(join(dir, 'journal')))
          throw new ConfigError(
            `compare: no journal at ${join(dir, 'journal')}; name the data directory of a run (a backtest's --data-dir or the daemon's DATA_DIR)`,
          );
        opened.push(await openJournalToRead(lmdbOnly(settings), dir, 'compare'));
      }
      const result = await compareJournals(opened[0]!, opened[1]!, { windowMs });
      await writeOut(`${JSON.stringify(result)}\n`);
    } finally {
      for (const t of opened) await t.close();
    }
    return 0;
  },
};
