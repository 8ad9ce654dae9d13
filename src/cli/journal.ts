/**
 * `journal verify [--data-dir D]` and `journal repair --truncate-after SEQ [--data-dir D]`: the
 * operator's tools for the LMDB journal under D (default DATA_DIR). `verify` reads everything,
 * changes nothing, prints one JSON object and exits 0 when the journal is intact, 1 when it is
 * damaged. `repair` keeps seqs 1..SEQ and moves every batch after SEQ to a side file in D.
 */
import { join } from 'node:path';
import type { Settings } from '../config/index.js';
import { ConfigError } from '../runtime/errors.js';
import { repairJournal } from '../runtime/transports/lmdb-repair.js';
import { verifyJournal } from '../runtime/transports/lmdb-verify.js';
import { expectOnly, intOption, parseArgs, stringOption, type ParsedArgs } from './args.js';

const USAGE =
  'use `journal verify [--data-dir D]` or `journal repair --truncate-after SEQ [--data-dir D]`';

/** Runs `journal <verify|repair>`; returns the exit code. */
export async function journalCommand(settings: Settings, argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'verify':
      return verify(settings, args);
    case 'repair':
      return repair(settings, args);
    default:
      throw new ConfigError(
        `journal: unknown subcommand ${JSON.stringify(args.command ?? '')}; ${USAGE}`,
      );
  }
}

/** The data directory, and the LMDB journal in it. */
function dirs(settings: Settings, args: ParsedArgs, command: string) {
  const given = stringOption(args, 'data-dir');
  if (given === 'true') throw new ConfigError(`${command}: --data-dir needs a directory`);
  if (given === undefined && settings.kafka_brokers)
    throw new ConfigError(
      `${command}: KAFKA_BROKERS is set, so the daemon journals to Kafka; this command checks an LMDB journal: pass --data-dir`,
    );
  const dataDir = given ?? settings.data_dir;
  return { dataDir, journal: join(dataDir, 'journal') };
}

async function verify(settings: Settings, args: ParsedArgs): Promise<number> {
  expectOnly(args, 'journal verify', ['data-dir']);
  const { journal } = dirs(settings, args, 'journal verify');
  const v = await verifyJournal(journal);
  const report = {
    journal: v.journal,
    intact: v.intact,
    lastIntactSeq: v.lastIntactSeq,
    batches: v.batches,
    records: v.records,
    badBatches: v.badBatches,
    bad: v.bad,
    ...(v.identity ? { epoch: v.identity.epoch } : {}),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return v.intact ? 0 : 1;
}

async function repair(settings: Settings, args: ParsedArgs): Promise<number> {
  expectOnly(args, 'journal repair', ['data-dir', 'truncate-after']);
  if (args.options['truncate-after'] === undefined)
    throw new ConfigError(
      'journal repair: --truncate-after SEQ is required: the last seq to keep (every batch after it moves to a side file); run `journal verify` to see the bad ranges',
    );
  const after = intOption(args, 'truncate-after', undefined, 0, Number.MAX_SAFE_INTEGER);
  const { dataDir, journal } = dirs(settings, args, 'journal repair');
  const r = await repairJournal(journal, dataDir, after);
  const m = r.moved;
  process.stdout.write(
    r.sideFile === null
      ? `journal repair: the journal at ${r.journal} holds nothing after seq ${after}; nothing was changed\n`
      : `journal repair: moved ${m.batches} batches (seqs ${m.fromSeq}..${m.toSeq}, ${m.bytes} bytes, ${m.damagedBatches} of them damaged) ` +
          `from ${r.journal} to ${r.sideFile}; the journal now ends at seq ${after}, epoch ${r.epoch}\n`,
  );
  process.stdout.write(`${JSON.stringify(r)}\n`);
  return 0;
}
