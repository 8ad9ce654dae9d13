/**
 * Reads known ranges of Kafka partitions and merges them in order. Each partition's range is
 * either a journal's records, at the offsets its index lists (kafka-cursor.ts: anything else is
 * reported as damage, in order, so the reader can name the first bad seq), or every committed
 * record from one offset through another. A read ends exactly when the data does: no idle
 * timeouts, no guessing from watermarks. Records are read committed only.
 *
 * kafkajs has no manual partition assignment, so each read is a consumer in a group of its own
 * that never commits offsets; it seeks every partition to its start and pauses partitions it does
 * not need or whose buffer is full.
 */
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { JournalError } from '../errors.js';
import { registerLz4 } from './kafka-compression.js';
import { intake, PartitionCursor, ReadDamage, type Segment } from './kafka-cursor.js';
import { installFastDecoding } from './kafka-fast-decode.js';

// Before the first fetch: LZ4 batches decompress whatever this process writes, and records
// decode faster (kafka-fast-decode.ts).
registerLz4();
installFastDecoding();

export { ReadDamage, type Segment } from './kafka-cursor.js';

export type PartitionRange = {
  /** The Kafka topic name (prefixed). */
  readonly topic: string;
  readonly partition: number;
} & (
  | {
      /** A journal's records, where its index says they are, in offset order. */
      readonly segments: readonly Segment[];
    }
  | {
      /** Offset of the first record to read... */
      readonly from: bigint;
      /** ...through the record at this offset (or the first fetch that passes it). */
      readonly through: bigint;
    }
);

export interface ReadMessage {
  readonly offset: string;
  readonly value: Buffer | null;
  readonly headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

interface PartState<T> {
  readonly topic: string;
  readonly partition: number;
  readonly cursor: PartitionCursor | null;
  /** Without a cursor: the next offset to read, and the last one. */
  next: bigint;
  readonly through: bigint;
  buf: (T | ReadDamage)[];
  head: number;
  done: boolean;
  paused: boolean;
}

const HIGH = 20_000;
const LOW = 5_000;
/** A consumer that delivers nothing for this long while records are due is replaced... */
const IDLE_MS = 10_000;
/** ...and a read fails (instead of hanging) after this many replacements made no progress. */
const MAX_IDLE_RESTARTS = 5;

/** Where a partition's reading goes on. */
function position(st: PartState<unknown>): bigint {
  return st.cursor ? (st.cursor.expected ?? st.next) : st.next;
}

/**
 * Yields the records of every range, decoded, in `order` (a key that increases along each
 * partition, such as seq), and, among them in the same order, a `ReadDamage` for whatever a
 * journal range lacks or holds that its index does not say (decoding errors of such a range
 * included). `partitionsOf` gives each subscribed topic's partition count, so partitions
 * outside the ranges are paused before they fetch anything.
 */
export async function* readRanges<T>(
  kafka: Kafka,
  groupId: string,
  ranges: readonly PartitionRange[],
  partitionsOf: (topic: string) => number,
  decode: (topic: string, m: ReadMessage) => T,
  order: (item: T) => number,
): AsyncGenerator<T | ReadDamage> {
  const states = new Map<string, PartState<T>>();
  for (const r of ranges) {
    const where = `${r.topic}/${r.partition}`;
    const cursor = 'segments' in r ? new PartitionCursor(where, r.segments) : null;
    if (cursor?.done) continue;
    states.set(where, {
      topic: r.topic,
      partition: r.partition,
      cursor,
      next: 'from' in r ? r.from : 0n,
      through: 'through' in r ? r.through : -1n,
      buf: [],
      head: 0,
      done: false,
      paused: false,
    });
  }
  if (states.size === 0) return;
  const key = (x: T | ReadDamage): number => (x instanceof ReadDamage ? x.seq : order(x));

  let wake: (() => void) | null = null;
  let failure: unknown = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  const all = [...states.values()];
  const topicNames = [...new Set(all.map((s) => s.topic))];
  let consumer: Consumer | null = null;
  let admin: Admin | null = null;
  let session = 0;
  let restarts = 0;
  let idleRestarts = 0;

  /** A fetch covered offsets through `offset` of this partition. */
  const passed = (c: Consumer, st: PartState<T>, offset: bigint): void => {
    if (st.done) return;
    if (st.cursor) {
      st.buf.push(...st.cursor.passed(offset));
      if (st.cursor.done) st.done = true;
    } else if (offset >= st.through) st.done = true;
    if (st.done) c.pause([{ topic: st.topic, partitions: [st.partition] }]);
  };

  /**
   * Compares every unfinished journal range with what its partition holds (records deleted by
   * retention, or listed past the partition's end, are never delivered: kafkajs quietly restarts
   * a fetch below the log start at the log start, and waits at the end). `endToo`: also the
   * end, once reading has waited IDLE_MS for records that should be there.
   */
  const checkBounds = async (endToo: boolean): Promise<void> => {
    const open = all.filter((st) => st.cursor !== null && !st.done);
    if (open.length === 0) return;
    try {
      if (admin === null) {
        const a = kafka.admin();
        await a.connect();
        admin = a;
      }
      for (const topic of new Set(open.map((st) => st.topic))) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          const st = states.get(`${topic}/${p.partition}`);
          if (!st?.cursor || st.done) continue;
          st.buf.push(...st.cursor.bounds(BigInt(p.low), endToo ? BigInt(p.high) : null));
          if (st.cursor.done) st.done = true;
        }
      }
    } catch {
      // Kafka unreachable: the consumer's own retries and the idle limit report it.
    }
  };

  /**
   * Starts a consumer that seeks every unfinished partition to the record after the last one
   * buffered. A consumer that crashes (a fresh broker still electing leaders or loading its group
   * coordinator) is replaced by a new one that resumes where the old one stopped, so nothing is
   * read twice; kafkajs's own restart would start over from the beginning.
   */
  const startConsumer = async (): Promise<void> => {
    const mine = ++session;
    const c: Consumer = kafka.consumer({
      groupId: `${groupId}-${mine}`,
      maxWaitTimeInMs: 100,
      sessionTimeout: 60_000,
      rebalanceTimeout: 60_000,
      allowAutoTopicCreation: false,
      readUncommitted: false,
      retry: { retries: 5, restartOnFailure: () => Promise.resolve(false) },
    });
    consumer = c;
    let crashed = false;
    c.on(c.events.CRASH, (e) => {
      crashed = true;
      if (mine !== session) return;
      const err = e.payload.error;
      const retriable = (err as { retriable?: boolean }).retriable !== false;
      if (!retriable || restarts >= 5) {
        failure = err;
        signal();
        return;
      }
      restarts++;
      void c.disconnect().catch(() => undefined);
      setTimeout(() => {
        startConsumer().catch((e2: unknown) => {
          failure = e2;
          signal();
        });
      }, 250 * restarts);
    });
    // A fetch that held only what a read-committed consumer never sees (a commit marker, an
    // aborted transaction) reaches no eachBatch; this event still tells how far it went.
    c.on(c.events.END_BATCH_PROCESS, (e) => {
      if (mine !== session || e.payload.firstOffset === null) return;
      const st = states.get(`${e.payload.topic}/${e.payload.partition}`);
      if (!st) return;
      passed(c, st, BigInt(e.payload.lastOffset));
      signal();
    });
    await c.connect();
    await c.subscribe({ topics: topicNames, fromBeginning: true });
    await c.run({
      autoCommit: false,
      partitionsConsumedConcurrently: Math.max(1, states.size),
      eachBatch: async ({ batch }) => {
        if (mine !== session) return;
        const st = states.get(`${batch.topic}/${batch.partition}`);
        if (!st || st.done) return;
        for (const m of batch.messages) {
          if (st.cursor) {
            intake(st.cursor, BigInt(m.offset), () => decode(st.topic, m), order, st.buf);
            if (st.cursor.done) st.done = true;
          } else {
            const off = BigInt(m.offset);
            // A fetch issued before the seek applied may start before the range.
            if (off < st.next) continue;
            try {
              st.buf.push(decode(st.topic, m));
            } catch (err) {
              failure = err;
              st.done = true;
            }
            st.next = off + 1n;
            if (off >= st.through) st.done = true;
          }
          if (st.done) {
            c.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
            break;
          }
        }
        passed(c, st, BigInt(batch.lastOffset()));
        if (!st.done && !st.paused && st.buf.length - st.head > HIGH) {
          st.paused = true;
          c.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
        }
        signal();
      },
    });
    // A consumer that could not join its group (a fresh broker's coordinator still loading)
    // has crashed inside `run`, which still resolves: it has no partitions to pause or seek, and
    // the crash handler is starting its replacement.
    if (crashed) return;
    for (const topic of topicNames) {
      const idle: number[] = [];
      for (let p = 0; p < partitionsOf(topic); p++) {
        const st = states.get(`${topic}/${p}`);
        if (!st || st.done || st.paused) idle.push(p);
      }
      if (idle.length > 0) c.pause([{ topic, partitions: idle }]);
    }
    for (const st of all)
      if (!st.done)
        c.seek({ topic: st.topic, partition: st.partition, offset: position(st).toString() });
  };

  try {
    // At the start, only records gone below the log start: a transaction committed a moment ago
    // may not be under the partition's last stable offset yet.
    await checkBounds(false);
    await startConsumer();
    for (;;) {
      if (failure) throw failure;
      let best: PartState<T> | null = null;
      let waiting = false;
      for (const st of all) {
        if (st.head >= st.buf.length) {
          if (!st.done) {
            waiting = true;
            break;
          }
          continue;
        }
        if (best === null || key(st.buf[st.head]!) < key(best.buf[best.head]!)) best = st;
      }
      if (waiting) {
        const idle = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => {
            wake = null;
            resolve(true);
          }, IDLE_MS);
          wake = () => {
            clearTimeout(timer);
            resolve(false);
          };
        });
        if (idle) {
          // Nothing arrived although records are due: records gone from Kafka, a consumer stuck
          // in a rebalance, or a fetch that never returns. Replace the consumer (it resumes where
          // this one stopped); give up only after several in a row made no progress.
          if (++idleRestarts > MAX_IDLE_RESTARTS) {
            throw new JournalError(
              'JOURNAL_READ_STALLED',
              `reading ${topicNames.join(', ')} received nothing for ${(IDLE_MS * idleRestarts) / 1000} s (waiting for ${all
                .filter((x) => !x.done)
                .map(
                  (x) =>
                    `${x.topic}/${x.partition} at ${position(x)}${x.cursor ? `: ${x.cursor.remaining} more` : ''}`,
                )
                .join(', ')}); is Kafka reachable?`,
              { retriable: true },
            );
          }
          const old = consumer as Consumer | null;
          session++;
          await old?.disconnect().catch(() => undefined);
          await checkBounds(true);
          await startConsumer();
        } else idleRestarts = 0;
        continue;
      }
      if (best === null) return;
      const item = best.buf[best.head]!;
      best.buf[best.head++] = undefined as T;
      if (best.head > 4096 && best.head * 2 > best.buf.length) {
        best.buf = best.buf.slice(best.head);
        best.head = 0;
      }
      if (best.paused && best.buf.length - best.head < LOW) {
        best.paused = false;
        try {
          (consumer as Consumer | null)?.resume([
            { topic: best.topic, partitions: [best.partition] },
          ]);
        } catch {
          // The consumer crashed; its replacement starts with this partition running.
        }
      }
      yield item;
    }
  } finally {
    session++;
    await (consumer as Consumer | null)?.disconnect().catch(() => undefined);
    await (admin as Admin | null)?.disconnect().catch(() => undefined);
  }
}
