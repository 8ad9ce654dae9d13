/**
 * KafkaTransport: the journal on Kafka or Redpanda. Every record is one Kafka record on its own
 * topic (SPEC §1 names, envelope and keys; see kafka-wire.ts), written by a transactional
 * producer in a worker thread (kafka-writer.ts), in transactions of whole bridge batches, so the
 * journal is always a gap-free prefix.
 *
 * The index topic `alpha.journal` (one partition) records, per committed append, its seq range
 * and where its records start on each partition, and, per open, the journal identity that open
 * proposed (the first one ever is the journal's). Opening writes an `open` record and reads the
 * index up to it: everything committed before is then known, with no timeouts. Reading a seq
 * range uses the index to seek each partition to its first record and to know how many records
 * to expect at which offsets, then merges the partitions by seq; a record that is missing (Kafka
 * deleted it), not where the index says, or fails its checksum (kafka-wire.ts) stops the read
 * with `JournalDamaged`, naming the first seq that cannot be read (kafka-cursor.ts). Index
 * entries carry checksums too, verified as they are read (kafka-index.ts); `verify` reads
 * everything and lists every bad range (kafka-verify.ts).
 *
 * A failed append may still have committed (the commit reply can be lost). The next append
 * first reconnects (which makes Kafka finish or abort the old transaction), writes another
 * `open` record and re-reads the index tail; an append found committed is not written again.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { JournalRecord } from '../../model/index.js';
import { JournalDamaged, JournalError } from '../errors.js';
import { entropySeed } from '../ids.js';
import type { EncodedBatch, JournalMeta, LogTransport } from '../transport.js';
import { readRanges, ReadDamage, type PartitionRange } from './kafka-read.js';
import { JOURNAL_INDEX_TOPIC, type TopicSpec } from './kafka-topics.js';
import { verifyJournal, type KafkaVerifyReport } from './kafka-verify.js';
import { fromWire } from './kafka-wire.js';
import { DEFAULT_JOURNAL_COMPRESSION, type JournalCompression } from './kafka-compression.js';
import { JournalIndex, type IndexRecord } from './kafka-index.js';
import type { WriterReply } from './kafka-writer.js';
import { notRunning, WriterThread } from './kafka-writer-thread.js';

export interface KafkaTransportOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** The topic table (kafka-topics.ts), prefixed names; every journal topic must be in it. */
  readonly topics: readonly TopicSpec[];
  /** The table's name prefix; empty in production. */
  readonly prefix?: string;
  /**
   * Open for reading only (replay, inspection, tests): no transactional producer, so a reader
   * never fences the process that writes the journal, and `append` is refused.
   */
  readonly readOnly?: boolean;
  /** Of the record batches written (kafka-compression.ts); reading undoes any. */
  readonly compression?: JournalCompression;
}

export class KafkaTransport implements LogTransport {
  readonly kind = 'kafka';
  /** One transaction at a time keeps each partition in seq order. */
  readonly maxInFlight = 1;
  private readonly kafka: Kafka;
  private readonly prefix: string;
  private readonly clientId: string;
  private admin: Admin | null = null;
  private writer: WriterThread | null = null;
  private nextId = 1;
  private readonly partitions = new Map<string, number>();
  /** The index as read at open, plus this process's own appends. */
  private readonly index = new JournalIndex((seq, problem) => this.damaged(seq, problem));
  private bytes = 0;
  private resyncNeeded = false;
  private fenced = false;
  /** Appends found committed after their call failed: first seq -> last seq. */
  private readonly landed = new Map<number, number>();
  private readonly readerId = entropySeed().toString(36);
  private reads = 0;
  private marks = 0;

  constructor(private readonly options: KafkaTransportOptions) {
    this.prefix = options.prefix ?? '';
    this.clientId = options.clientId ?? 'alpha-panda';
    this.kafka = new Kafka({
      clientId: this.clientId,
      brokers: [...options.brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
    });
  }

  async open(init: { nonce: number; createdMs: number }): Promise<JournalMeta> {
    await this.connect();
    let markOffset: bigint;
    if (this.options.readOnly) {
      markOffset = await this.probe();
    } else {
      this.startWorker();
      markOffset = await this.mark(init);
    }
    await this.readIndex(markOffset);
    const meta = this.index.meta ?? init;
    return { nonce: meta.nonce, createdMs: meta.createdMs, lastSeq: this.index.last, epoch: 0 };
  }

  /**
   * Reads the whole journal, index and records, and reports every seq range that cannot be read
   * intact. Changes nothing (it writes no record, not even the marker a read-only open writes),
   * and works on a journal that `open` refuses.
   */
  async verify(): Promise<KafkaVerifyReport> {
    const admin = await this.connect();
    return verifyJournal({
      kafka: this.kafka,
      admin,
      prefix: this.prefix,
      indexTopic: JOURNAL_INDEX_TOPIC,
      partitionsOf: (t) => this.partitions.get(t) ?? 1,
      groupId: () => this.groupId(),
    });
  }

  /** Connects the admin client and learns the journal topics' partitions (once). */
  private async connect(): Promise<Admin> {
    if (this.admin) return this.admin;
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      const missing = this.options.topics.filter((t) => !existing.has(t.name)).map((t) => t.name);
      if (missing.length > 0) {
        throw new JournalError(
          'JOURNAL_TOPICS_MISSING',
          `Kafka at ${this.options.brokers.join(',')} lacks ${missing.length} journal topic(s) (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}); run \`node dist/main.js topics bootstrap\``,
        );
      }
      const md = await admin.fetchTopicMetadata({ topics: this.options.topics.map((t) => t.name) });
      for (const t of md.topics) this.partitions.set(t.name, t.partitions.length);
    } catch (err) {
      await admin.disconnect().catch(() => undefined);
      if (err instanceof JournalError) throw err;
      throw new JournalError(
        'JOURNAL_OPEN_FAILED',
        `cannot reach Kafka at ${this.options.brokers.join(',')}: ${(err as Error).message}; check KAFKA_BROKERS and that the broker is up`,
        { cause: err, retriable: true },
      );
    }
    this.admin = admin;
    return admin;
  }

  private startWorker(): void {
    const unprefixed: Record<string, number> = {};
    for (const [name, n] of this.partitions) {
      if (name.startsWith(this.prefix)) unprefixed[name.slice(this.prefix.length)] = n;
    }
    this.writer = new WriterThread({
      brokers: this.options.brokers,
      clientId: `${this.clientId}-journal`,
      transactionalId: `${this.clientId}-journal:${this.prefix}`,
      prefix: this.prefix,
      indexTopic: JOURNAL_INDEX_TOPIC,
      partitions: unprefixed,
      compression: this.options.compression ?? DEFAULT_JOURNAL_COMPRESSION,
    });
  }

  private request(
    req: Parameters<WriterThread['request']>[0],
    transfer: ArrayBuffer[] = [],
  ): Promise<WriterReply> {
    return this.writer ? this.writer.request(req, transfer) : Promise.resolve(notRunning(req.id));
  }

  /** Writes an `open` record to the index and returns its offset. */
  private async mark(init: { nonce: number; createdMs: number }): Promise<bigint> {
    const record: IndexRecord = {
      kind: 'open',
      nonce: init.nonce,
      createdMs: init.createdMs,
      mark: ++this.marks,
    };
    const reply = await this.request({ id: this.nextId++, op: 'mark', record });
    if (!reply.ok) {
      throw new JournalError(
        reply.error.fenced ? 'JOURNAL_FENCED' : 'JOURNAL_OPEN_FAILED',
        `cannot write the journal index on Kafka at ${this.options.brokers.join(',')}: ${reply.error.message}`,
        { retriable: !reply.error.fenced },
      );
    }
    return BigInt(reply.offset!);
  }

  /**
   * A read-only open's end marker: a plain (non-transactional) record on the index. Reading
   * committed up to it sees every append committed before it, and it proposes no identity.
   */
  private async probe(): Promise<bigint> {
    const producer = this.kafka.producer({ allowAutoTopicCreation: false });
    try {
      await producer.connect();
      const [md] = await producer.send({
        topic: this.prefix + JOURNAL_INDEX_TOPIC,
        acks: -1,
        messages: [{ key: 'probe', value: JSON.stringify({ kind: 'probe' }), partition: 0 }],
      });
      return BigInt(md!.baseOffset!);
    } catch (err) {
      throw new JournalError(
        'JOURNAL_OPEN_FAILED',
        `cannot read the journal index on Kafka at ${this.options.brokers.join(',')}: ${(err as Error).message}`,
        { cause: err, retriable: true },
      );
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  /**
   * Reads index records after the last one read, through `through`, into memory, verifying
   * each (JournalDamaged at the first that is not intact).
   */
  private async readIndex(through: bigint): Promise<void> {
    const topic = this.prefix + JOURNAL_INDEX_TOPIC;
    const from = this.index.offset + 1n;
    const range: PartitionRange = { topic, partition: 0, from, through };
    for await (const x of readRanges(
      this.kafka,
      this.groupId(),
      [range],
      () => 1,
      (_t, m) => ({ offset: BigInt(m.offset), value: m.value }),
      (x) => Number(x.offset),
    )) {
      if (!(x instanceof ReadDamage)) this.index.add(x.offset, x.value);
    }
  }

  private groupId(): string {
    return `${this.clientId}-reader-${this.readerId}-${++this.reads}`;
  }

  /** After a failed append: learns what actually committed before writing anything new. */
  private async resync(): Promise<void> {
    const before = this.index.last;
    const at = await this.mark(this.index.meta!);
    await this.readIndex(at);
    // Every append found here was reported failed; the bridge will offer it again.
    for (const e of this.index.entries) if (e.first > before) this.landed.set(e.first, e.last);
    this.resyncNeeded = false;
  }

  async append(batches: readonly EncodedBatch[]): Promise<void> {
    if (this.options.readOnly) {
      throw new JournalError('JOURNAL_READ_ONLY', 'this journal was opened for reading only');
    }
    if (this.fenced) {
      throw new JournalError(
        'JOURNAL_FENCED',
        'another process opened this journal (same Kafka cluster and topic prefix); this one may no longer write to it',
      );
    }
    if (this.resyncNeeded) {
      try {
        await this.resync();
      } catch (err) {
        if (err instanceof JournalError && err.code === 'JOURNAL_FENCED') this.fenced = true;
        throw err;
      }
    }
    let todo = [...batches];
    // Skip what an earlier, failed-looking call already committed.
    while (todo.length > 0 && this.landed.get(todo[0]!.firstSeq) !== undefined) {
      const end = this.landed.get(todo[0]!.firstSeq)!;
      this.landed.delete(todo[0]!.firstSeq);
      while (todo.length > 0 && todo[0]!.lastSeq <= end) todo = todo.slice(1);
    }
    if (todo.length === 0) return;
    let expect = this.index.last + 1;
    for (const b of todo) {
      if (b.firstSeq !== expect) {
        throw new JournalError(
          'JOURNAL_GAP',
          `batch starting at seq ${b.firstSeq} does not follow seq ${expect - 1}`,
        );
      }
      expect = b.lastSeq + 1;
    }
    // A copy of its own per batch, transferred to the writer: the bridge keeps its bytes for a
    // retry, and `bytes` may be a view into a larger (pooled) buffer.
    const copies = todo.map((b) => ({
      firstSeq: b.firstSeq,
      lastSeq: b.lastSeq,
      bytes: new Uint8Array(b.bytes),
    }));
    const reply = await this.request(
      { id: this.nextId++, op: 'append', meta: this.index.meta!, batches: copies },
      copies.map((c) => c.bytes.buffer as ArrayBuffer),
    );
    const last = todo[todo.length - 1]!.lastSeq;
    for (const e of reply.entries ?? []) {
      this.index.push(e);
      // Committed although the call as a whole fails: the bridge will offer these again.
      if (!reply.ok) this.landed.set(e.first, e.last);
    }
    this.bytes += reply.bytes ?? 0;
    if (!reply.ok) {
      if (reply.error.fenced) this.fenced = true;
      else if (reply.error.unknownTopic === undefined) this.resyncNeeded = true;
      throw new JournalError(
        reply.error.fenced
          ? 'JOURNAL_FENCED'
          : reply.error.unknownTopic
            ? 'JOURNAL_TOPICS_MISSING'
            : 'JOURNAL_WRITE_FAILED',
        `Kafka write of seq ${this.index.last + 1}..${last} failed: ${reply.error.message}`,
        { retriable: !reply.error.fenced && reply.error.unknownTopic === undefined },
      );
    }
    if (this.index.last !== last) {
      throw new JournalError(
        'JOURNAL_CORRUPT',
        `the Kafka writer committed up to seq ${this.index.last}, not ${last}`,
      );
    }
  }

  async *read(
    fromSeq: number,
    options: { untilSeq?: number; topics?: readonly string[] } = {},
  ): AsyncIterable<JournalRecord> {
    const until = Math.min(options.untilSeq ?? Number.MAX_SAFE_INTEGER, this.index.last);
    const from = Math.max(1, fromSeq);
    if (from > until) return;
    const wanted = options.topics ? new Set(options.topics) : null;
    if (wanted && wanted.size === 0) return;
    // Every seq from..until comes once, in order, when no topic is left out.
    const whole = wanted === null;
    let next = Math.max(from, this.index.entries[0]?.first ?? from);
    const nonce = this.index.meta?.nonce ?? 0;
    let missing: ReadDamage | null = null;
    for await (const x of readRanges(
      this.kafka,
      this.groupId(),
      this.index.segmentsOf(from, until, wanted, this.prefix),
      (t) => this.partitions.get(t) ?? 1,
      (topic, m) => fromWire(topic.slice(this.prefix.length), m, nonce),
      (r) => r.seq,
    )) {
      if (x instanceof ReadDamage) {
        if (x.last < from) continue;
        if (x.seq > until) break;
        // Records missing from one partition: the seq that is missing shows in the merged
        // stream, which names it exactly.
        if (whole && x.kind === 'missing') {
          missing ??= x;
          continue;
        }
        throw this.damaged(x.seq, x.problem);
      }
      if (x.seq < from) continue;
      if (x.seq > until) break;
      if (whole) {
        if (x.seq !== next) {
          throw this.damaged(
            Math.min(x.seq, next),
            missing?.problem ??
              (x.seq < next ? `seq ${x.seq} was read twice` : `seq ${next} was not found`),
          );
        }
        next++;
      }
      yield x;
    }
    if (whole && next <= until) {
      throw this.damaged(next, missing?.problem ?? `seq ${next}..${until} were not found`);
    }
  }

  /** The error for a journal that cannot be read intact from `seq`. */
  private damaged(seq: number, problem: string): JournalDamaged {
    const prefix = this.prefix === '' ? '' : ` (topics prefixed ${JSON.stringify(this.prefix)})`;
    return new JournalDamaged(`Kafka ${this.options.brokers.join(',')}${prefix}`, seq, problem);
  }

  lastSeq(): number {
    return this.index.last;
  }

  bytesWritten(): number {
    return this.bytes;
  }

  /** Committed appends (Kafka transactions) that this transport knows of, from its index. */
  transactions(): number {
    return this.index.entries.length;
  }

  async close(): Promise<void> {
    const w = this.writer;
    this.writer = null;
    await w?.close(this.nextId++);
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
  }
}
