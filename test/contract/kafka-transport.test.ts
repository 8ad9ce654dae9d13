/**
 * Runs the LogTransport contract against KafkaTransport on the loopback Kafka broker that
 * `make test` starts. Each test gets its own topic prefix (its own journal) and deletes its
 * topics afterwards. The table keeps the real partition counts, so reads merge many partitions.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { JournalRecord } from '../../src/model/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalDamaged } from '../../src/runtime/errors.js';
import { entropySeed } from '../../src/runtime/ids.js';
import { KafkaTransport } from '../../src/runtime/transports/kafka.js';
import {
  bootstrapTopics,
  topicTable,
  type TopicSpec,
} from '../../src/runtime/transports/kafka-topics.js';
import { encodedBatch, journalRecords } from '../helpers/journal-records.js';
import { infraUrl } from '../helpers/infra.js';
import { logTransportContract } from './log-transport.case.js';

const brokers = infraUrl('KAFKA_BROKERS').split(',');
const kafka = new Kafka({ clientId: 'contract-test', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const run = entropySeed().toString(36);
let n = 0;

beforeAll(() => admin.connect());
afterAll(() => admin.disconnect());

/** A fresh journal namespace with the topics the test records use (every partition count real). */
async function namespace(): Promise<{ prefix: string; table: TopicSpec[] }> {
  const prefix = `ct-${run}-${++n}.`;
  const used = new Set([
    ...journalRecords(200).map((r) => prefix + r.topic),
    `${prefix}alpha.journal`,
  ]);
  const table = topicTable({
    brokerCount: 1,
    partitionsMultiplier: 1,
    dlqForAll: false,
    prefix,
  }).filter((t) => used.has(t.name));
  await bootstrapTopics(admin, table);
  return { prefix, table };
}

logTransportContract('KafkaTransport', async () => {
  const { prefix, table } = await namespace();
  const make = () => new KafkaTransport({ brokers, topics: table, prefix });
  return {
    transport: make(),
    reopen: () => Promise.resolve(make()),
    cleanup: async () => {
      await admin.deleteTopics({ topics: table.map((t) => t.name) }).catch(() => undefined);
    },
  };
});

describe('KafkaTransport on the wire', () => {
  it('writes each record on its topic with its key and the envelope, partitioned by key', async () => {
    const { prefix, table } = await namespace();
    const t = new KafkaTransport({ brokers, topics: table, prefix });
    try {
      await t.open({ nonce: 42, createdMs: 1_767_584_700_000 });
      const recs = journalRecords(60);
      await t.append([encodedBatch(recs, 42)]);
      // Read the raw Kafka records of one topic with a plain consumer.
      const fills = recs.filter((r) => r.topic === 'paper.orders.filled');
      const consumer = kafka.consumer({ groupId: `raw-${run}-${n}`, maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topics: [prefix + 'paper.orders.filled'], fromBeginning: true });
      const seen: { key: string; value: Record<string, unknown>; partition: number }[] = [];
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message, partition }) => {
              seen.push({
                key: message.key!.toString(),
                value: JSON.parse(message.value!.toString()) as Record<string, unknown>,
                partition,
              });
              if (seen.length === fills.length) resolve();
            },
          })
          .catch(reject);
      });
      await consumer.disconnect();
      expect(seen.length).toBe(fills.length);
      for (const s of seen) {
        const r = fills.find((f) => f.seq === s.value.seq)!;
        expect(s.key).toBe(r.key);
        expect(s.value).toMatchObject({
          type: 'order_filled',
          seq: r.seq,
          broker: 'paper',
          key: r.key,
          version: 1,
          source: r.source,
        });
        expect(s.value.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(s.value.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
      }
      // One key, one partition.
      const byKey = new Map<string, Set<number>>();
      for (const s of seen) byKey.set(s.key, (byKey.get(s.key) ?? new Set()).add(s.partition));
      for (const parts of byKey.values()) expect(parts.size).toBe(1);
    } finally {
      await t.close();
      await admin.deleteTopics({ topics: table.map((x) => x.name) }).catch(() => undefined);
    }
  });

  it('writes an append too big for one Kafka request (a drained backlog) as several transactions', async () => {
    const { prefix, table } = await namespace();
    const t = new KafkaTransport({ brokers, topics: table, prefix });
    try {
      await t.open({ nonce: 7, createdMs: 1_767_584_700_000 });
      const recs = journalRecords(30_000);
      const batches = [];
      for (let i = 0; i < recs.length; i += 1000)
        batches.push(encodedBatch(recs.slice(i, i + 1000), 7));
      await t.append(batches);
      expect(t.lastSeq()).toBe(30_000);
      const back: JournalRecord[] = [];
      for await (const r of t.read(29_000, { untilSeq: 30_000 })) back.push(r);
      expect(back).toEqual(recs.slice(28_999));
      let n = 0;
      for await (const r of t.read(1))
        if (r.seq === ++n) continue;
        else break;
      expect(n).toBe(30_000);
    } finally {
      await t.close();
      await admin.deleteTopics({ topics: table.map((x) => x.name) }).catch(() => undefined);
    }
  }, 120_000);

  it('opens read-only beside a live writer without fencing it, and refuses to append', async () => {
    const { prefix, table } = await namespace();
    const writer = new KafkaTransport({ brokers, topics: table, prefix });
    const reader = new KafkaTransport({ brokers, topics: table, prefix, readOnly: true });
    try {
      await writer.open({ nonce: 11, createdMs: 1_767_584_700_000 });
      const recs = journalRecords(40);
      await writer.append([encodedBatch(recs.slice(0, 20), 11)]);
      const meta = await reader.open({ nonce: 99, createdMs: 99 });
      expect(meta).toEqual({ nonce: 11, createdMs: 1_767_584_700_000, lastSeq: 20, epoch: 0 });
      const back: JournalRecord[] = [];
      for await (const r of reader.read(1)) back.push(r);
      expect(back).toEqual(recs.slice(0, 20));
      // The writer was not fenced.
      await writer.append([encodedBatch(recs.slice(20), 11)]);
      expect(writer.lastSeq()).toBe(40);
      await expect(
        reader.append([encodedBatch(journalRecords(41).slice(40), 11)]),
      ).rejects.toMatchObject({
        code: 'JOURNAL_READ_ONLY',
      });
    } finally {
      await reader.close();
      await writer.close();
      await admin.deleteTopics({ topics: table.map((x) => x.name) }).catch(() => undefined);
    }
  });

  it('opens a journal whose oldest index records retention deleted, keeping its identity', async () => {
    const { prefix, table } = await namespace();
    const INIT = { nonce: 2 ** 33 + 5, createdMs: 1_767_584_700_000 };
    const t = new KafkaTransport({ brokers, topics: table, prefix });
    const recs = journalRecords(30);
    try {
      await t.open(INIT);
      for (const [a, b] of [
        [0, 10],
        [10, 20],
        [20, 30],
      ] as const)
        await t.append([encodedBatch(recs.slice(a, b), INIT.nonce)]);
    } finally {
      await t.close();
    }
    // Find the index record of the last append, and delete everything before it (the first
    // `open` record that set the identity included), as retention would.
    const consumer = kafka.consumer({ groupId: `raw-${run}-${n}-idx`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [`${prefix}alpha.journal`], fromBeginning: true });
    const at = await new Promise<string>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const v = JSON.parse(message.value!.toString()) as { kind: string; first?: number };
            if (v.kind === 'append' && v.first === 21) resolve(message.offset);
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    // The admin client learns the new topic's leader first (else "broker not found").
    await admin.fetchTopicMetadata({ topics: [`${prefix}alpha.journal`] });
    await admin
      .deleteTopicRecords({
        topic: `${prefix}alpha.journal`,
        partitions: [{ partition: 0, offset: at }],
      })
      .catch((e: unknown) => {
        throw new Error(
          `${String(e)} at ${at}: ${JSON.stringify((e as { partitions?: unknown }).partitions)}`,
        );
      });
    const again = new KafkaTransport({ brokers, topics: table, prefix });
    try {
      expect(await again.open({ nonce: 1, createdMs: 1 })).toEqual({
        ...INIT,
        lastSeq: 30,
        epoch: 0,
      });
      const back: JournalRecord[] = [];
      for await (const r of again.read(1)) back.push(r);
      expect(back).toEqual(recs.slice(20));
      await again.append([encodedBatch(journalRecords(35).slice(30), INIT.nonce)]);
      expect(again.lastSeq()).toBe(35);
    } finally {
      await again.close();
      await admin.deleteTopics({ topics: table.map((x) => x.name) }).catch(() => undefined);
    }
  });

  it('refuses, at once and naming the first missing seq, a journal whose records Kafka deleted', async () => {
    const { prefix, table } = await namespace();
    const t = new KafkaTransport({ brokers, topics: table, prefix });
    const recs = journalRecords(30);
    try {
      await t.open({ nonce: 3, createdMs: 1_767_584_700_000 });
      await t.append([encodedBatch(recs.slice(0, 10), 3)]);
      await t.append([encodedBatch(recs.slice(10), 3)]);
      // Delete the first record of seq 1's partition, as retention would.
      const ticks = `${prefix}market.ticks`;
      const md = await admin.fetchTopicMetadata({ topics: [ticks] });
      const partition = Partitioners.DefaultPartitioner()({
        topic: ticks,
        partitionMetadata: md.topics[0]!.partitions,
        message: { key: recs[0]!.key, value: null },
      });
      await admin.deleteTopicRecords({ topic: ticks, partitions: [{ partition, offset: '1' }] });
      const reading = (async () => {
        for await (const _ of t.read(1));
      })();
      await expect(reading).rejects.toBeInstanceOf(JournalDamaged);
      await expect(reading).rejects.toMatchObject({
        code: 'JOURNAL_DAMAGED',
        firstBadSeq: 1,
        problem: expect.stringMatching(/no longer holds offsets below 1/),
      });
      // What is left reads whole.
      const back: JournalRecord[] = [];
      for await (const r of t.read(2)) back.push(r);
      expect(back).toEqual(recs.slice(1));
    } finally {
      await t.close();
      await admin.deleteTopics({ topics: table.map((x) => x.name) }).catch(() => undefined);
    }
  });

  it('refuses to open when the journal topics are missing, naming the fix', async () => {
    const prefix = `ct-${run}-missing.`;
    const t = new KafkaTransport({
      brokers,
      topics: topicTable({ brokerCount: 1, partitionsMultiplier: 1, dlqForAll: false, prefix }),
      prefix,
    });
    await expect(t.open({ nonce: 1, createdMs: 1 })).rejects.toMatchObject({
      code: 'JOURNAL_TOPICS_MISSING',
      message: expect.stringMatching(/topics bootstrap/),
    });
    await t.close();
  });
});

const ROOT = join(import.meta.dirname, '..', '..');
const url = (p: string) => pathToFileURL(join(ROOT, p)).href;

describe('KafkaTransport crash', () => {
  it('leaves a gap-free prefix when the process dies with a transaction open', async () => {
    const { prefix, table } = await namespace();
    const dir = await mkdtemp(join(tmpdir(), 'ap-kafka-crash-'));
    try {
      const script = join(dir, 'writer.mjs');
      // The child commits 25 records, starts a 4,000-record append and is killed while that
      // transaction is open (no close, no flush, no exit handlers).
      await writeFile(
        script,
        `
import { KafkaTransport } from ${JSON.stringify(url('src/runtime/transports/kafka.ts'))};
import { encodedBatch, journalRecords } from ${JSON.stringify(url('test/helpers/journal-records.ts'))};
const t = new KafkaTransport({ brokers: ${JSON.stringify(brokers)}, topics: ${JSON.stringify(table)}, prefix: ${JSON.stringify(prefix)} });
await t.open({ nonce: 5, createdMs: 1000 });
const recs = journalRecords(4025);
await t.append([encodedBatch(recs.slice(0, 25), 5)]);
void t.append([encodedBatch(recs.slice(25), 5)]);
setTimeout(() => process.kill(process.pid, 'SIGKILL'), 5);
`,
      );
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.stderr).not.toMatch(/Error/);
      expect(child.signal).toBe('SIGKILL');

      const t = new KafkaTransport({ brokers, topics: table, prefix });
      try {
        const meta = await t.open({ nonce: 9, createdMs: 9 });
        expect(meta.nonce).toBe(5);
        // Either the open transaction was aborted (25) or it had committed whole (4,025).
        expect([25, 4025]).toContain(meta.lastSeq);
        const back: JournalRecord[] = [];
        for await (const r of t.read(1)) back.push(r);
        expect(back).toEqual(journalRecords(meta.lastSeq));
        // The journal goes on from its prefix.
        const more = journalRecords(meta.lastSeq + 10).slice(meta.lastSeq);
        await t.append([encodedBatch(more, 5)]);
        expect(t.lastSeq()).toBe(meta.lastSeq + 10);
      } finally {
        await t.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
      await admin.deleteTopics({ topics: table.map((x) => x.name) }).catch(() => undefined);
    }
  });
});
