/**
 * The Kafka journal's writer, run in a worker thread (ARCHITECTURE: kafkajs's CPU must not
 * compete with the actors). It owns one idempotent, transactional producer. Each append is one
 * Kafka transaction holding every record of its batches (each on its topic, partitioned by its
 * key) plus one index record on `alpha.journal` naming the seq range and where each partition's
 * records start; a crash mid-transaction leaves none of it visible to read-committed readers, so
 * the journal stays a gap-free prefix.
 *
 * After any failure the producer is thrown away: the next request connects a new one with the
 * same transactional id, which makes Kafka finish (or abort) whatever the old one left open
 * before anything new is written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Kafka, logLevel, Partitioners, type PartitionMetadata, type Producer } from 'kafkajs';
import { decodeBatch } from '../codec.js';
import {
  indexChecksum,
  type IndexEntryRecord,
  type IndexPart,
  type IndexRecord,
} from './kafka-index.js';
import { toWire, type WireMessage } from './kafka-wire.js';

export interface WriterConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly transactionalId: string;
  readonly prefix: string;
  readonly indexTopic: string;
  /** Partition count of every journal topic (unprefixed name). */
  readonly partitions: Readonly<Record<string, number>>;
}

export type WriterRequest =
  | { readonly id: number; readonly op: 'connect' }
  | { readonly id: number; readonly op: 'mark'; readonly record: IndexRecord }
  | {
      readonly id: number;
      readonly op: 'append';
      readonly meta: { nonce: number; createdMs: number };
      readonly batches: { firstSeq: number; lastSeq: number; bytes: Uint8Array }[];
    }
  | { readonly id: number; readonly op: 'close' };

export type WriterReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly offset?: string;
      /** The appends committed, in seq order (an append may take several transactions). */
      readonly entries?: IndexEntryRecord[];
      readonly bytes?: number;
    }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { name: string; message: string; fenced: boolean; unknownTopic?: string };
      /** Transactions of this append that committed before the failure. */
      readonly entries?: IndexEntryRecord[];
      readonly bytes?: number;
    };

const config = workerData as WriterConfig;
const kafka = new Kafka({
  clientId: config.clientId,
  brokers: [...config.brokers],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 3000,
  retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 3000 },
});
const partitionOf = Partitioners.DefaultPartitioner();
const metadataOf = new Map<string, PartitionMetadata[]>();
for (const [t, n] of Object.entries(config.partitions)) {
  metadataOf.set(
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

let producer: Producer | null = null;

async function connected(): Promise<Producer> {
  if (producer) return producer;
  const p = kafka.producer({
    idempotent: true,
    transactionalId: config.transactionalId,
    maxInFlightRequests: 1,
    transactionTimeout: 60_000,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    await p.connect();
  } catch (err) {
    await p.disconnect().catch(() => undefined);
    throw err;
  }
  producer = p;
  return p;
}

async function drop(): Promise<void> {
  const p = producer;
  producer = null;
  if (p) await p.disconnect().catch(() => undefined);
}

class UnknownTopic extends Error {
  constructor(readonly topic: string) {
    super(`the journal has no topic ${topic}; run \`node dist/main.js topics bootstrap\``);
  }
}

async function mark(record: IndexRecord): Promise<string> {
  const p = await connected();
  const txn = await p.transaction();
  try {
    const [meta] = await txn.send({
      topic: config.prefix + config.indexTopic,
      acks: -1,
      messages: [{ key: record.kind, value: JSON.stringify(record), partition: 0 }],
    });
    await txn.commit();
    return meta!.baseOffset!;
  } catch (err) {
    await txn.abort().catch(() => undefined);
    throw err;
  }
}

/** One transaction's worth of whole batches, grouped by topic and partition in seq order. */
interface Group {
  first: number;
  last: number;
  byTopic: Map<string, Map<number, WireMessage[]>>;
  partBytes: Map<string, number>;
  bytes: number;
}

/**
 * Kafka refuses a record batch (all of one partition's records in one request) above the
 * broker's `message.max.bytes`, 1 MiB by default. After an outage the bridge hands over
 * everything it held in one append, so an append is written as several transactions, each of
 * whole bridge batches and under these bounds; each commits a contiguous seq range, so the
 * journal stays a prefix whatever happens between them.
 */
const MAX_PARTITION_BYTES = 512 * 1024;
const MAX_GROUP_BYTES = 8 * 1024 * 1024;

function groupBatches(
  meta: { nonce: number; createdMs: number },
  batches: { firstSeq: number; lastSeq: number; bytes: Uint8Array }[],
): Group[] {
  const groups: Group[] = [];
  let g: Group | null = null;
  for (const b of batches) {
    const byTopic = new Map<string, Map<number, WireMessage[]>>();
    const partBytes = new Map<string, number>();
    let bytes = 0;
    for (const r of decodeBatch(b.bytes, meta.nonce)) {
      const pm = metadataOf.get(r.topic);
      if (!pm) throw new UnknownTopic(config.prefix + r.topic);
      const w = toWire(meta, r);
      const size = w.value.length + w.key.length + 64;
      bytes += size;
      const partition = partitionOf({
        topic: r.topic,
        partitionMetadata: pm,
        message: { key: w.key, value: w.value },
      });
      let parts = byTopic.get(r.topic);
      if (!parts) byTopic.set(r.topic, (parts = new Map()));
      let list = parts.get(partition);
      if (!list) parts.set(partition, (list = []));
      list.push(w);
      const k = `${r.topic}/${partition}`;
      partBytes.set(k, (partBytes.get(k) ?? 0) + size);
    }
    const fits =
      g !== null &&
      g.bytes + bytes <= MAX_GROUP_BYTES &&
      [...partBytes].every(([k, n]) => (g!.partBytes.get(k) ?? 0) + n <= MAX_PARTITION_BYTES);
    if (!fits || g === null) {
      g = { first: b.firstSeq, last: b.lastSeq, byTopic, partBytes, bytes };
      groups.push(g);
      continue;
    }
    g.last = b.lastSeq;
    g.bytes += bytes;
    for (const [k, n] of partBytes) g.partBytes.set(k, (g.partBytes.get(k) ?? 0) + n);
    for (const [topic, parts] of byTopic) {
      let into = g.byTopic.get(topic);
      if (!into) g.byTopic.set(topic, (into = new Map()));
      for (const [partition, list] of parts) {
        const l = into.get(partition);
        if (l) l.push(...list);
        else into.set(partition, list);
      }
    }
  }
  return groups;
}

/** Writes one group in one transaction; returns its index entry. */
async function commitGroup(
  g: Group,
  meta: { nonce: number; createdMs: number },
): Promise<IndexEntryRecord> {
  const topicMessages = [...g.byTopic].map(([topic, parts]) => ({
    topic: config.prefix + topic,
    messages: [...parts].flatMap(([partition, list]) => list.map((m) => ({ ...m, partition }))),
  }));
  const p = await connected();
  const txn = await p.transaction();
  try {
    const sent = await txn.sendBatch({ topicMessages, acks: -1 });
    const parts: IndexPart[] = [];
    for (const [topic, byPartition] of g.byTopic) {
      for (const [partition, list] of byPartition) {
        const m = sent.find(
          (s) => s.topicName === config.prefix + topic && s.partition === partition,
        );
        if (!m?.baseOffset) throw new Error(`no offset reported for ${topic}/${partition}`);
        parts.push({ t: topic, p: partition, o: m.baseOffset, n: list.length });
      }
    }
    const content = {
      first: g.first,
      last: g.last,
      parts,
      meta: { nonce: meta.nonce, createdMs: meta.createdMs },
    };
    const entry: IndexEntryRecord = { kind: 'append', ...content, crc: indexChecksum(content) };
    await txn.send({
      topic: config.prefix + config.indexTopic,
      acks: -1,
      messages: [{ key: 'append', value: JSON.stringify(entry), partition: 0 }],
    });
    await txn.commit();
    return entry;
  } catch (err) {
    await txn.abort().catch(() => undefined);
    throw err;
  }
}

class PartlyCommitted extends Error {
  constructor(
    readonly committed: IndexEntryRecord[],
    readonly bytes: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

async function append(
  meta: { nonce: number; createdMs: number },
  batches: { firstSeq: number; lastSeq: number; bytes: Uint8Array }[],
): Promise<{ entries: IndexEntryRecord[]; bytes: number }> {
  const groups = groupBatches(meta, batches);
  const entries: IndexEntryRecord[] = [];
  let bytes = 0;
  for (const g of groups) {
    try {
      entries.push(await commitGroup(g, meta));
    } catch (err) {
      if (entries.length === 0) throw err;
      throw new PartlyCommitted(entries, bytes, err);
    }
    bytes += g.bytes;
  }
  return { entries, bytes };
}

function isFenced(err: unknown): boolean {
  const type = (err as { type?: string } | null)?.type;
  return (
    type === 'INVALID_PRODUCER_EPOCH' ||
    type === 'PRODUCER_FENCED' ||
    type === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'
  );
}

async function handle(req: WriterRequest): Promise<WriterReply> {
  try {
    switch (req.op) {
      case 'connect':
        await connected();
        return { id: req.id, ok: true };
      case 'mark':
        return { id: req.id, ok: true, offset: await mark(req.record) };
      case 'append': {
        const r = await append(req.meta, req.batches);
        return { id: req.id, ok: true, entries: r.entries, bytes: r.bytes };
      }
      case 'close':
        await drop();
        return { id: req.id, ok: true };
    }
  } catch (thrown) {
    const partly = thrown instanceof PartlyCommitted ? thrown : null;
    const err = partly ? partly.cause : thrown;
    const e = err instanceof Error ? err : new Error(String(err));
    const fenced = isFenced(err);
    // Whatever state the producer is in, start the next request from a clean one.
    if (!(err instanceof UnknownTopic)) await drop();
    return {
      id: req.id,
      ok: false,
      error: {
        name: e.name,
        message: e.message,
        fenced,
        ...(err instanceof UnknownTopic ? { unknownTopic: err.topic } : {}),
      },
      ...(partly ? { entries: partly.committed, bytes: partly.bytes } : {}),
    };
  }
}

// Requests are handled one at a time, in order: one transaction in flight.
let chain: Promise<void> = Promise.resolve();
parentPort!.on('message', (req: WriterRequest) => {
  chain = chain.then(async () => {
    parentPort!.postMessage(await handle(req));
  });
});
