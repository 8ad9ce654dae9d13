/**
 * The raw kafkajs baseline of the Kafka journal: the same wire messages (kafka-wire.ts's
 * `toWire`, so the same keys, values, headers and partitions) written by a plain idempotent,
 * transactional kafkajs producer, transactions cut as the journal's writer cuts them (at most
 * `recordsPerTransaction` records, at most MAX_PARTITION_BYTES on any partition), every
 * transaction one `sendBatch` over all its partitions, on topics of a prefix of its own that
 * are deleted afterwards. Only the producer's time is counted: records are read and turned into
 * wire messages before each transaction's clock starts, and nothing else runs meanwhile.
 */
import {
  CompressionTypes,
  Kafka,
  logLevel,
  Partitioners,
  type Message,
  type PartitionMetadata,
  type TopicMessages,
} from 'kafkajs';
import type { JournalRecord } from '../../src/model/index.js';
import { hrtimeNs } from '../../src/runtime/clock.js';
import { entropySeed } from '../../src/runtime/ids.js';
import { MAX_PARTITION_BYTES } from '../../src/runtime/transports/kafka-groups.js';
import {
  bootstrapTopics,
  topicTable,
  type TopicSpec,
} from '../../src/runtime/transports/kafka-topics.js';
import { toWire } from '../../src/runtime/transports/kafka-wire.js';

export interface BaselineOptions {
  readonly brokers: readonly string[];
  /** The journal's identity: record ids and checksums are derived from it. */
  readonly meta: { readonly nonce: number; readonly createdMs: number };
  /** The journal's records in seq order, in chunks; each chunk is read whole before it is written. */
  readonly records: AsyncIterable<readonly JournalRecord[]> | Iterable<readonly JournalRecord[]>;
  /**
   * Records per transaction at most (the journal's mean transaction); a transaction also ends
   * before any of its partitions would pass the journal's bound (MAX_PARTITION_BYTES).
   */
  readonly recordsPerTransaction: number;
  /** Compression of the record batches; none by default, as a plain producer writes. */
  readonly compression?: CompressionTypes;
}

export interface BaselineResult {
  readonly records: number;
  readonly transactions: number;
  /** Time spent in the producer: transaction, sendBatch, commit (s). */
  readonly seconds: number;
  readonly recordsPerSecond: number;
}

/** Cuts the records into transactions as the journal's writer bounds them. */
async function* transactions(
  meta: BaselineOptions['meta'],
  table: readonly TopicSpec[],
  prefix: string,
  chunks: BaselineOptions['records'],
  most: number,
): AsyncGenerator<{ records: number; topicMessages: TopicMessages[] }> {
  const partitioner = Partitioners.DefaultPartitioner();
  const metadata = new Map<string, PartitionMetadata[]>();
  for (const t of table)
    metadata.set(
      t.name,
      Array.from({ length: t.partitions }, (_, i) => ({
        partitionId: i,
        leader: 0,
        partitionErrorCode: 0,
        replicas: [0],
        isr: [0],
      })),
    );
  let byTopic = new Map<string, Message[]>();
  let partBytes = new Map<string, number>();
  let n = 0;
  const cut = () => {
    const out = {
      records: n,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    };
    byTopic = new Map();
    partBytes = new Map();
    n = 0;
    return out;
  };
  for await (const chunk of chunks) {
    for (const r of chunk) {
      const topic = prefix + r.topic;
      const m = toWire(meta, r);
      const pm = metadata.get(topic);
      if (!pm) throw new Error(`the topic table has no ${r.topic}`);
      const k = `${topic}/${partitioner({ topic, partitionMetadata: pm, message: m })}`;
      const size = m.value.length + m.key.length + 64;
      if (n >= most || (partBytes.get(k) ?? 0) + size > MAX_PARTITION_BYTES) yield cut();
      partBytes.set(k, (partBytes.get(k) ?? 0) + size);
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      list.push(m);
      n++;
    }
  }
  if (n > 0) yield cut();
}

/**
 * Writes the records with a plain kafkajs transactional producer on fresh topics (the journal's
 * topic table under a prefix of its own, deleted afterwards) and returns the producer's rate.
 */
export async function rawProducerBaseline(o: BaselineOptions): Promise<BaselineResult> {
  const prefix = `bench-raw-${entropySeed().toString(36)}.`;
  const kafka = new Kafka({
    clientId: 'alpha-panda-bench-raw',
    brokers: [...o.brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const table = topicTable({ brokerCount: 1, partitionsMultiplier: 1, dlqForAll: false, prefix });
  const producer = kafka.producer({
    idempotent: true,
    transactionalId: `${prefix}producer`,
    maxInFlightRequests: 1,
  });
  let records = 0;
  let count = 0;
  let ns = 0n;
  try {
    await bootstrapTopics(admin, table);
    await producer.connect();
    for await (const run of transactions(
      o.meta,
      table,
      prefix,
      o.records,
      o.recordsPerTransaction,
    )) {
      const t0 = hrtimeNs();
      const txn = await producer.transaction();
      try {
        await txn.sendBatch({
          topicMessages: run.topicMessages,
          acks: -1,
          ...(o.compression === undefined ? {} : { compression: o.compression }),
        });
        await txn.commit();
      } catch (err) {
        await txn.abort().catch(() => undefined);
        throw err;
      }
      ns += hrtimeNs() - t0;
      records += run.records;
      count++;
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: table.map((t) => t.name) }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  const seconds = Number(ns) / 1e9;
  return {
    records,
    transactions: count,
    seconds: Number(seconds.toFixed(3)),
    recordsPerSecond: seconds > 0 ? Math.round(records / seconds) : 0,
  };
}

export { CompressionTypes };
