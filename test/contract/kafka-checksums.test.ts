/**
 * Checksums of the Kafka journal: a record whose value changed, an index entry whose counts
 * changed, and an index that lists records where there are none are each refused (at open or
 * read) naming the first bad seq, and `verify` lists the bad range. The damage is written the
 * way the journal's writer writes (one transaction: the records, then their index entry) by a
 * plain transactional producer, with one thing changed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/model/index.js';
import { JournalDamaged } from '../../src/runtime/errors.js';
import { entropySeed } from '../../src/runtime/ids.js';
import { KafkaTransport } from '../../src/runtime/transports/kafka.js';
import { indexChecksum, type IndexPart } from '../../src/runtime/transports/kafka-index.js';
import {
  bootstrapTopics,
  topicTable,
  type TopicSpec,
} from '../../src/runtime/transports/kafka-topics.js';
import { toWire, type WireMessage } from '../../src/runtime/transports/kafka-wire.js';
import { encodedBatch, journalRecords } from '../helpers/journal-records.js';
import { infraUrl } from '../helpers/infra.js';
import { ROOT } from '../helpers/system.js';

const brokers = infraUrl('KAFKA_BROKERS').split(',');
const kafka = new Kafka({ clientId: 'checksum-test', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const run = entropySeed().toString(36);
const META = { nonce: 2 ** 33 + 77, createdMs: 1_767_584_700_000 };
let n = 0;
const tables: TopicSpec[][] = [];

beforeAll(() => admin.connect());
afterAll(async () => {
  for (const table of tables)
    await admin.deleteTopics({ topics: table.map((t) => t.name) }).catch(() => undefined);
  await admin.disconnect();
});

/**
 * A fresh journal of 20 records, written by KafkaTransport; returns how to open it again. `full`:
 * on every topic of the table, as `topics bootstrap` makes them (what the commands open).
 */
async function journalOf20(full = false): Promise<{
  prefix: string;
  make: (readOnly?: boolean) => KafkaTransport;
}> {
  const prefix = `ck-${run}-${++n}.`;
  const used = new Set([
    ...journalRecords(60).map((r) => prefix + r.topic),
    `${prefix}alpha.journal`,
  ]);
  const table = topicTable({ brokerCount: 1, partitionsMultiplier: 1, dlqForAll: false, prefix });
  const mine = full ? table : table.filter((t) => used.has(t.name));
  tables.push(mine);
  await bootstrapTopics(admin, mine);
  const make = (readOnly = false) =>
    new KafkaTransport({ brokers, topics: mine, prefix, readOnly });
  const t = make();
  try {
    await t.open(META);
    await t.append([encodedBatch(journalRecords(20), META.nonce)]);
  } finally {
    await t.close();
  }
  return { prefix, make };
}

/** Where each record of an append goes: the writer's partitioner over the real partitions. */
async function placed(prefix: string, records: readonly JournalRecord[]) {
  const partitionOf = Partitioners.DefaultPartitioner();
  const out = new Map<string, { t: string; p: number; records: JournalRecord[] }>();
  for (const r of records) {
    const md = await admin.fetchTopicMetadata({ topics: [prefix + r.topic] });
    const p = partitionOf({
      topic: prefix + r.topic,
      partitionMetadata: md.topics[0]!.partitions,
      message: { key: r.key, value: null },
    });
    const k = `${r.topic}/${p}`;
    if (!out.has(k)) out.set(k, { t: r.topic, p, records: [] });
    out.get(k)!.records.push(r);
  }
  return [...out.values()];
}

/**
 * Appends `records` in one transaction as the journal's writer does, letting `change` alter a
 * record on the wire, and `entry` the index entry (before or after its checksum is taken).
 */
async function rawAppend(
  prefix: string,
  records: readonly JournalRecord[],
  change: {
    wire?: (r: JournalRecord, w: WireMessage) => void;
    parts?: (parts: IndexPart[]) => void;
    partsAfterChecksum?: (parts: IndexPart[]) => void;
  } = {},
): Promise<void> {
  const groups = await placed(prefix, records);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    transactionalId: `ck-raw-${run}-${++n}`,
  });
  await producer.connect();
  try {
    const txn = await producer.transaction();
    const sent = await txn.sendBatch({
      acks: -1,
      topicMessages: groups.map((g) => ({
        topic: prefix + g.t,
        messages: g.records.map((r) => {
          const w = toWire(META, r);
          change.wire?.(r, w);
          return { ...w, partition: g.p };
        }),
      })),
    });
    const parts: IndexPart[] = groups.map((g) => ({
      t: g.t,
      p: g.p,
      o: sent.find((s) => s.topicName === prefix + g.t && s.partition === g.p)!.baseOffset!,
      n: g.records.length,
    }));
    change.parts?.(parts);
    const content = { first: records[0]!.seq, last: records.at(-1)!.seq, parts, meta: META };
    const crc = indexChecksum(content);
    change.partsAfterChecksum?.(parts);
    await txn.send({
      topic: `${prefix}alpha.journal`,
      acks: -1,
      messages: [
        { key: 'append', value: JSON.stringify({ kind: 'append', ...content, crc }), partition: 0 },
      ],
    });
    await txn.commit();
  } finally {
    await producer.disconnect();
  }
}

async function readAll(t: KafkaTransport, from: number): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of t.read(from)) out.push(r);
  return out;
}

async function indexEnd(prefix: string): Promise<string> {
  return (await admin.fetchTopicOffsets(`${prefix}alpha.journal`))[0]!.high;
}

/** A one-digit change inside record 25's data, on the wire. */
function changeSeq25(r: JournalRecord, w: WireMessage): void {
  if (r.seq !== 25) return;
  // One digit inside `data`: still JSON, still seq 25, no longer what was written.
  const at = w.value.indexOf('"data":') + 7;
  const d = w.value.subarray(at).findIndex((b) => b >= 0x30 && b <= 0x39) + at;
  w.value = Buffer.from(w.value);
  w.value[d] = w.value[d] === 0x39 ? 0x30 : w.value[d]! + 1;
}

describe('Kafka journal checksums', () => {
  it('refuses a record whose value has one changed byte, and verify lists it', async () => {
    const { prefix, make } = await journalOf20();
    const recs = journalRecords(40);
    await rawAppend(prefix, recs.slice(20), { wire: changeSeq25 });
    const t = make();
    try {
      expect(await t.open({ nonce: 1, createdMs: 1 })).toMatchObject({ ...META, lastSeq: 40 });
      const reading = readAll(t, 1);
      await expect(reading).rejects.toBeInstanceOf(JournalDamaged);
      await expect(reading).rejects.toMatchObject({
        firstBadSeq: 25,
        problem: expect.stringMatching(/record seq 25 on .* fails its checksum/),
      });
      expect(await readAll(t, 26)).toEqual(recs.slice(25));
      expect(await t.verify()).toEqual({
        lastSeq: 40,
        records: 39,
        bad: [{ fromSeq: 25, toSeq: 25, problem: expect.stringMatching(/fails its checksum/) }],
      });
    } finally {
      await t.close();
    }
  });

  it('refuses at open an index entry whose record count was changed; verify, changing nothing, lists its range', async () => {
    const { prefix, make } = await journalOf20();
    await rawAppend(prefix, journalRecords(30).slice(20), {
      partsAfterChecksum: (parts) => {
        parts[0] = { ...parts[0]!, n: parts[0]!.n + 1 };
      },
    });
    const t = make();
    try {
      const opening = t.open(META);
      await expect(opening).rejects.toBeInstanceOf(JournalDamaged);
      await expect(opening).rejects.toMatchObject({
        firstBadSeq: 21,
        problem: expect.stringMatching(/index entry for seq 21\.\.30 .* fails its checksum/),
      });
    } finally {
      await t.close();
    }
    const before = await indexEnd(prefix);
    const v = make(true);
    try {
      expect(await v.verify()).toEqual({
        lastSeq: 30,
        records: 20,
        bad: [{ fromSeq: 21, toSeq: 30, problem: expect.stringMatching(/fails its checksum/) }],
      });
    } finally {
      await v.close();
    }
    expect(await indexEnd(prefix)).toBe(before);
  });

  it('refuses to read records the index miscounts, though its checksum holds', async () => {
    const { prefix, make } = await journalOf20();
    const recs = journalRecords(34);
    const groups = await placed(prefix, recs.slice(20));
    // Move one record's count from a partition with several to another partition.
    const from = groups.findIndex((g) => g.records.length >= 2);
    const to = from === 0 ? 1 : 0;
    await rawAppend(prefix, recs.slice(20), {
      parts: (parts) => {
        parts[from] = { ...parts[from]!, n: parts[from]!.n - 1 };
        parts[to] = { ...parts[to]!, n: parts[to]!.n + 1 };
      },
    });
    // The last record on the partition whose count went down is one the index does not list.
    const unlisted = groups[from]!.records.at(-1)!.seq;
    const t = make();
    try {
      expect((await t.open(META)).lastSeq).toBe(34);
      const reading = readAll(t, 1);
      await expect(reading).rejects.toBeInstanceOf(JournalDamaged);
      await expect(reading).rejects.toMatchObject({ firstBadSeq: unlisted });
      expect(await t.verify()).toMatchObject({
        lastSeq: 34,
        records: 33,
        bad: [{ fromSeq: unlisted, toSeq: unlisted }],
      });
    } finally {
      await t.close();
    }
  });

  it('verifies an intact journal as whole', async () => {
    const { make } = await journalOf20();
    const t = make(true);
    try {
      expect(await t.verify()).toEqual({ lastSeq: 20, records: 20, bad: [] });
    } finally {
      await t.close();
    }
  });

  it('is what `journal verify` reads with KAFKA_BROKERS set: it lists the range and exits 1', async () => {
    const { prefix } = await journalOf20(true);
    await rawAppend(prefix, journalRecords(40).slice(20), { wire: changeSeq25 });
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), 'journal', 'verify'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        // The table journalOf20 made: DLQs for consumed topics only.
        CREATE_DLQ_FOR_ALL: 'false',
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      journal: 'kafka',
      intact: false,
      lastSeq: 40,
      records: 39,
      bad: [{ fromSeq: 25, toSeq: 25, problem: expect.stringMatching(/fails its checksum/) }],
    });
  });
});
