/**
 * Cuts the Kafka writer's appends into transactions. Kafka refuses a record batch (all of one
 * partition's records in one request) above the topic's `max.message.bytes`, 1 MiB by default.
 * After an outage the bridge hands over everything it held in one append, so an append is
 * written as several transactions, each of whole bridge batches and under these bounds; each
 * commits a contiguous seq range, so the journal stays a prefix whatever happens between them.
 *
 * Records become Kafka messages (kafka-wire-encoder.ts) with their partition set (kafkajs's
 * default partitioner, murmur2 of the key, remembered per key), grouped by topic and partition
 * in seq order, as kafkajs's `sendBatch` takes them.
 */
import type { PartitionMetadata } from 'kafkajs';
import type { JournalRecord } from '../../model/index.js';
import { decodeBatch } from '../codec.js';
import { WireEncoder } from './kafka-wire-encoder.js';
import type { WireMessage } from './kafka-wire.js';

/** Per partition in one transaction; Kafka's default limit is 1 MiB per record batch. */
export const MAX_PARTITION_BYTES = 512 * 1024;
/** Per transaction. */
export const MAX_GROUP_BYTES = 8 * 1024 * 1024;
/** Bytes a record adds to its record batch beside its key and value (headers, lengths). */
const RECORD_OVERHEAD = 64;
/** Keys remembered per topic with their partition (instrument tokens, strategy ids...). */
const KEYS_REMEMBERED = 65_536;

export type PartitionedMessage = WireMessage & { partition: number };

/** One transaction's worth of whole batches, grouped by topic and partition in seq order. */
export interface Group {
  first: number;
  last: number;
  records: number;
  readonly byTopic: Map<string, Map<number, PartitionedMessage[]>>;
  readonly partBytes: Map<string, number>;
  bytes: number;
}

/** A topic missing from the journal's table (the writer names it prefixed). */
export class UnknownTopic extends Error {
  constructor(readonly topic: string) {
    super(`the journal has no topic ${topic}; run \`node dist/main.js topics bootstrap\``);
  }
}

/** kafkajs's partitioner signature: a message's partition from its topic's partitions. */
export type Partitioner = (args: {
  topic: string;
  partitionMetadata: PartitionMetadata[];
  message: { key: string; value: Buffer };
}) => number;

export class GroupBuilder {
  private readonly encoder: WireEncoder;
  private readonly metadataOf = new Map<string, PartitionMetadata[]>();
  private readonly partitionOf = new Map<string, Map<string, number>>();
  private current: Group | null = null;

  constructor(
    private readonly meta: { nonce: number; createdMs: number },
    /** Partition count of every journal topic (unprefixed name). */
    partitions: Readonly<Record<string, number>>,
    private readonly prefix: string,
    /** kafkajs's DefaultPartitioner (murmur2 of the key), as every Kafka client places keys. */
    private readonly partitioner: Partitioner,
    private readonly limits = { partition: MAX_PARTITION_BYTES, group: MAX_GROUP_BYTES },
  ) {
    this.encoder = new WireEncoder(meta);
    for (const [t, n] of Object.entries(partitions)) {
      this.metadataOf.set(
        t,
        Array.from({ length: n }, (_, i) => ({
          partitionId: i,
          leader: 0,
          partitionErrorCode: 0,
          replicas: [0],
          isr: [0],
        })),
      );
    }
  }

  private partition(r: JournalRecord, w: WireMessage): number {
    let keys = this.partitionOf.get(r.topic);
    if (!keys) this.partitionOf.set(r.topic, (keys = new Map()));
    let p = keys.get(w.key);
    if (p === undefined) {
      const pm = this.metadataOf.get(r.topic);
      if (!pm) throw new UnknownTopic(this.prefix + r.topic);
      p = this.partitioner({
        topic: r.topic,
        partitionMetadata: pm,
        message: { key: w.key, value: w.value },
      });
      if (keys.size >= KEYS_REMEMBERED) keys.clear();
      keys.set(w.key, p);
    }
    return p;
  }

  /**
   * Adds one bridge batch; returns the group it closed (the batch did not fit beside it), if
   * any. Throws UnknownTopic for a record of a topic the table lacks, or the codec's error.
   */
  add(b: { firstSeq: number; lastSeq: number; bytes: Uint8Array }): Group | null {
    const byTopic = new Map<string, Map<number, PartitionedMessage[]>>();
    const partBytes = new Map<string, number>();
    let bytes = 0;
    const records = decodeBatch(b.bytes, this.meta.nonce);
    for (const r of records) {
      const w = this.encoder.encode(r);
      const partition = this.partition(r, w);
      const size = w.value.length + w.key.length + RECORD_OVERHEAD;
      bytes += size;
      let parts = byTopic.get(r.topic);
      if (!parts) byTopic.set(r.topic, (parts = new Map()));
      let list = parts.get(partition);
      if (!list) parts.set(partition, (list = []));
      list.push({ key: w.key, value: w.value, headers: w.headers, partition });
      const k = `${r.topic}/${partition}`;
      partBytes.set(k, (partBytes.get(k) ?? 0) + size);
    }
    const g = this.current;
    const fits =
      g !== null &&
      g.bytes + bytes <= this.limits.group &&
      [...partBytes].every(([k, n]) => (g.partBytes.get(k) ?? 0) + n <= this.limits.partition);
    if (g === null || !fits) {
      this.current = {
        first: b.firstSeq,
        last: b.lastSeq,
        records: records.length,
        byTopic,
        partBytes,
        bytes,
      };
      return g;
    }
    g.last = b.lastSeq;
    g.records += records.length;
    g.bytes += bytes;
    for (const [k, n] of partBytes) g.partBytes.set(k, (g.partBytes.get(k) ?? 0) + n);
    for (const [topic, parts] of byTopic) {
      let into = g.byTopic.get(topic);
      if (!into) g.byTopic.set(topic, (into = new Map()));
      for (const [partition, list] of parts) {
        const l = into.get(partition);
        if (l) for (const m of list) l.push(m);
        else into.set(partition, list);
      }
    }
    return null;
  }

  /** The group being filled, and starts over. */
  finish(): Group | null {
    const g = this.current;
    this.current = null;
    return g;
  }
}
