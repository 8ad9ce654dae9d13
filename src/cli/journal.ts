/**
 * `journal verify [--data-dir D]` and `journal repair --truncate-after SEQ [--data-dir D]`: the
 * operator's tools for a damaged journal. `verify` reads everything, changes nothing, prints one
 * JSON object and exits 0 when the journal is intact, 1 when it is damaged (the LMDB journal
 * under D, default DATA_DIR; with KAFKA_BROKERS and no --data-dir, the Kafka journal).
 * `repair` keeps seqs 1..SEQ of an LMDB journal and moves every batch after SEQ to a side file.
 */
import { join } from 'node:path';
import type { Settings } from '../config/index.js';
import { ConfigError, repairJournal, verifyJournal } from '../runtime/index.js';
import { kafkaJournal } from '../system/index.js';
import { expectOnly, intOption, parseArgs, stringOption, type ParsedArgs } from './args.js';
import type { Command } from './command.js';
import { JOURNAL_READ, LOGGING } from './env.js';

const DATA_DIR_OPTION = {
  name: 'data-dir',
  value: 'D',
  default: 'DATA_DIR',
  help: 'the data directory whose LMDB journal to read (with KAFKA_BROKERS set and no --data-dir, the Kafka journal)',
};

/** The data directory and its LMDB journal, or null for the Kafka journal. */
function dirs(settings: Settings, args: ParsedArgs, command: string) {
  const given = stringOption(args, 'data-dir');
  if (given === 'true') throw new ConfigError(`${command}: --data-dir needs a directory`);
  if (given === undefined && settings.kafka_brokers) return null;
  const dataDir = given ?? settings.data_dir;
  return { dataDir, journal: join(dataDir, 'journal') };
}

export const journalVerify: Command = {
  name: 'journal verify',
  summary: 'reads the whole journal and lists every bad range; changes nothing',
  options: [DATA_DIR_OPTION],
  env: [...LOGGING, ...JOURNAL_READ],
  logTo: 'stderr',
  async run({ settings }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const where = dirs(settings, args, this.name);
    if (where === null) {
      const t = kafkaJournal(settings, settings.kafka_brokers!, true);
      try {
        const v = await t.verify();
        const report = { journal: 'kafka', intact: v.bad.length === 0, ...v };
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return report.intact ? 0 : 1;
      } finally {
        await t.close();
      }
    }
    const v = await verifyJournal(where.journal);
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
  },
};

export const journalRepair: Command = {
  name: 'journal repair',
  summary:
    'keeps seqs 1..SEQ of the LMDB journal, moves the rest to a side file and advances its epoch',
  options: [
    {
      name: 'truncate-after',
      value: 'SEQ',
      required: true,
      help: 'the last seq to keep: the end of a batch of the intact part (`journal verify` shows them)',
    },
    { ...DATA_DIR_OPTION, help: 'the data directory whose LMDB journal to repair' },
  ],
  env: [...LOGGING, 'DATA_DIR', 'KAFKA_BROKERS'],
  logTo: 'stderr',
  async run({ settings }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    if (args.options['truncate-after'] === undefined)
      throw new ConfigError(
        'journal repair: --truncate-after SEQ is required: the last seq to keep (every batch after it moves to a side file); run `journal verify` to see the bad ranges',
      );
    const after = intOption(args, 'truncate-after', undefined, 0, Number.MAX_SAFE_INTEGER);
    const where = dirs(settings, args, this.name);
    if (where === null)
      throw new ConfigError(
        'journal repair: KAFKA_BROKERS is set, and a Kafka journal is never cut (its records stay in Kafka); start a new journal on the same cluster with another KAFKA_TOPIC_PREFIX, or pass --data-dir to repair an LMDB journal',
      );
    const r = await repairJournal(where.journal, where.dataDir, after);
    const m = r.moved;
    process.stdout.write(
      r.sideFile === null
        ? `journal repair: the journal at ${r.journal} holds nothing after seq ${after}; nothing was changed\n`
        : `journal repair: moved ${m.batches} batches (seqs ${m.fromSeq}..${m.toSeq}, ${m.bytes} bytes, ${m.damagedBatches} of them damaged) ` +
            `from ${r.journal} to ${r.sideFile}; the journal now ends with the repair's record at seq ${after + 1}, epoch ${r.epoch}\n`,
    );
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return 0;
  },
};
