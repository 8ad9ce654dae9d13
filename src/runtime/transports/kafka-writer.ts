/**
 * The Kafka journal's writer, run in a worker thread (ARCHITECTURE: kafkajs's CPU must not
 * compete with the actors). It owns one idempotent, transactional producer. An append is
 * written as one or more Kafka transactions of whole bridge batches (kafka-groups.ts), one at a
 * time, the next one encoded while the last is in flight. Each holds its records (each on its
 * topic, partitioned by its key) plus one index record on `alpha.journal` naming the seq range
 * and where each partition's records start; a crash mid-transaction leaves none of it visible
 * to read-committed readers, so the journal stays a gap-free prefix.
 *
 * After any failure the producer is thrown away: the next request connects a new one with the
 * same transactional id, which makes Kafka finish (or abort) whatever the old one left open
 * before anything new is written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Producer } from 'kafkajs';
import { installFastRecords } from './kafka-fast-records.js';
import {
  indexChecksum,
  type IndexEntryRecord,
  type IndexPart,
  type IndexRecord,
} from './kafka-index.js';
import { compressionType, type JournalCompression } from './kafka-compression.js';
import { GroupBuilder, UnknownTopic, type Group, type Partitioner } from './kafka-groups.js';

export interface WriterConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly transactionalId: string;
  readonly prefix: string;
  readonly indexTopic: string;
  /** Partition count of every journal topic (unprefixed name). */
  readonly partitions: Readonly<Record<string, number>>;
  /** Of the record batches (kafka-compression.ts). */
  readonly compression: JournalCompression;
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
// Before kafkajs loads: its record encoding is most of this thread's work.
installFastRecords();
const { Kafka, logLevel, Partitioners } = await import('kafkajs');
const compression = compressionType(config.compression);
const partitioner: Partitioner = Partitioners.DefaultPartitioner();
const kafka = new Kafka({
  clientId: config.clientId,
  brokers: [...config.brokers],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 3000,
  retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 3000 },
});
/** Every message carries its partition (kafka-groups.ts): kafkajs need not compute it again. */
const partitionGiven =
  () =>
  ({ message }: { message: { partition?: number } }): number =>
    message.partition!;

let producer: Producer | null = null;

async function connected(): Promise<Producer> {
  if (producer) return producer;
  const p = kafka.producer({
    idempotent: true,
    transactionalId: config.transactionalId,
    maxInFlightRequests: 1,
    transactionTimeout: 60_000,
    createPartitioner: partitionGiven,
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

/** Writes one group in one transaction; returns its index entry. */
async function commitGroup(
  g: Group,
  meta: { nonce: number; createdMs: number },
): Promise<IndexEntryRecord> {
  const topicMessages = [...g.byTopic].map(([topic, parts]) => ({
    topic: config.prefix + topic,
    messages: [...parts.values()].flat(),
  }));
  const p = await connected();
  const txn = await p.transaction();
  try {
    const sent = await txn.sendBatch({ topicMessages, acks: -1, compression });
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

let builder: { nonce: number; createdMs: number; builder: GroupBuilder } | null = null;

/** The group builder of the journal of `meta` (it remembers keys' partitions across appends). */
function builderFor(meta: { nonce: number; createdMs: number }): GroupBuilder {
  if (builder?.nonce !== meta.nonce || builder.createdMs !== meta.createdMs) {
    const b = new GroupBuilder(meta, config.partitions, config.prefix, partitioner);
    builder = { nonce: meta.nonce, createdMs: meta.createdMs, builder: b };
  }
  builder.builder.finish();
  return builder.builder;
}

/** Lets the transaction in flight make progress (its replies, its next request). */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes the batches as one transaction per group, in seq order, one transaction in flight
 * while the next group is encoded.
 */
async function append(
  meta: { nonce: number; createdMs: number },
  batches: { firstSeq: number; lastSeq: number; bytes: Uint8Array }[],
): Promise<{ entries: IndexEntryRecord[]; bytes: number }> {
  const builder = builderFor(meta);
  const entries: IndexEntryRecord[] = [];
  let bytes = 0;
  let inFlight: { group: Group; done: Promise<IndexEntryRecord> } | null = null;
  const settle = async (): Promise<void> => {
    if (inFlight === null) return;
    const { group, done } = inFlight;
    inFlight = null;
    try {
      entries.push(await done);
    } catch (err) {
      if (entries.length === 0) throw err;
      throw new PartlyCommitted(entries, bytes, err);
    }
    bytes += group.bytes;
  };
  const start = (group: Group): void => {
    const done = commitGroup(group, meta);
    // Awaited by settle(); until then a failure must not count as unhandled.
    done.catch(() => undefined);
    inFlight = { group, done };
  };
  try {
    for (const b of batches) {
      const closed = builder.add(b);
      if (closed !== null) {
        await settle();
        start(closed);
      }
      if (inFlight !== null) await yieldToIo();
    }
    const last = builder.finish();
    await settle();
    if (last !== null) {
      start(last);
      await settle();
    }
  } catch (err) {
    // An encoding failure with a transaction in flight: what it commits still counts.
    // A failure of the transaction itself is the one to report (it throws from settle).
    if (inFlight !== null && !(err instanceof PartlyCommitted)) {
      await settle();
      if (entries.length > 0) throw new PartlyCommitted(entries, bytes, err);
    }
    throw err;
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
