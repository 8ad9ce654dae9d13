/**
 * Reads known ranges of Kafka partitions and merges them in order. The caller says where each
 * partition's range starts and how to tell its end (a record count, or the offset of a last
 * record), so a read ends exactly when the data does: no idle timeouts, no guessing from
 * watermarks that transaction markers make unreliable. Records are read committed only.
 *
 * kafkajs has no manual partition assignment, so each read is a consumer in a group of its own
 * that never commits offsets; it seeks every partition to its start and pauses partitions it does
 * not need or whose buffer is full.
 */
import type { Consumer, Kafka } from 'kafkajs';
import { JournalError } from '../errors.js';

export interface PartitionRange {
  /** The Kafka topic name (prefixed). */
  readonly topic: string;
  readonly partition: number;
  /** Offset of the first record to read. */
  readonly from: bigint;
  /** The range ends after this many committed records... */
  readonly count?: number;
  /** ...or with the record at this offset. */
  readonly through?: bigint;
}

export interface ReadMessage {
  readonly offset: string;
  readonly value: Buffer | null;
  readonly headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

interface PartState<T> {
  readonly range: PartitionRange;
  buf: T[];
  head: number;
  remaining: number;
  /** Offset of the next record to read. */
  next: bigint;
  done: boolean;
  paused: boolean;
}

const HIGH = 20_000;
const LOW = 5_000;
/** A consumer that delivers nothing for this long while records are due is replaced... */
const IDLE_MS = 10_000;
/** ...and a read fails (instead of hanging) after this many replacements made no progress. */
const MAX_IDLE_RESTARTS = 5;

/**
 * Yields the records of every range, decoded, in `order` (a key that increases along each
 * partition, such as seq). `partitionsOf` gives each subscribed topic's partition count, so
 * partitions outside the ranges are paused before they fetch anything.
 */
export async function* readRanges<T>(
  kafka: Kafka,
  groupId: string,
  ranges: readonly PartitionRange[],
  partitionsOf: (topic: string) => number,
  decode: (topic: string, m: ReadMessage) => T,
  order: (item: T) => number,
): AsyncGenerator<T> {
  const states = new Map<string, PartState<T>>();
  for (const r of ranges) {
    if (r.count === 0) continue;
    states.set(`${r.topic}/${r.partition}`, {
      range: r,
      buf: [],
      head: 0,
      remaining: r.count ?? Number.MAX_SAFE_INTEGER,
      next: r.from,
      done: false,
      paused: false,
    });
  }
  if (states.size === 0) return;

  let wake: (() => void) | null = null;
  let failure: unknown = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  const topicNames = [...new Set([...states.values()].map((s) => s.range.topic))];
  let consumer: Consumer | null = null;
  let session = 0;
  let restarts = 0;
  let idleRestarts = 0;

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
    c.on(c.events.CRASH, (e) => {
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
          const off = BigInt(m.offset);
          // A fetch issued before the seek applied may start before the range.
          if (off < st.next) continue;
          try {
            st.buf.push(decode(st.range.topic, m));
          } catch (err) {
            failure = err;
            st.done = true;
            break;
          }
          st.next = off + 1n;
          st.remaining--;
          if (st.remaining === 0 || (st.range.through !== undefined && off >= st.range.through)) {
            st.done = true;
            c.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
            break;
          }
        }
        if (!st.done && !st.paused && st.buf.length - st.head > HIGH) {
          st.paused = true;
          c.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
        }
        signal();
      },
    });
    for (const topic of topicNames) {
      const idle: number[] = [];
      for (let p = 0; p < partitionsOf(topic); p++) {
        const st = states.get(`${topic}/${p}`);
        if (!st || st.done || st.paused) idle.push(p);
      }
      if (idle.length > 0) c.pause([{ topic, partitions: idle }]);
    }
    for (const st of states.values())
      if (!st.done)
        c.seek({
          topic: st.range.topic,
          partition: st.range.partition,
          offset: st.next.toString(),
        });
  };

  try {
    await startConsumer();
    const all = [...states.values()];
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
        if (best === null || order(st.buf[st.head]!) < order(best.buf[best.head]!)) best = st;
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
          // Nothing arrived although records are due: a consumer stuck in a rebalance or a
          // fetch that never returns. Replace it (it resumes where this one stopped); give up
          // only after several in a row made no progress.
          if (++idleRestarts > MAX_IDLE_RESTARTS) {
            throw new JournalError(
              'JOURNAL_READ_STALLED',
              `reading ${topicNames.join(', ')} received nothing for ${(IDLE_MS * idleRestarts) / 1000} s (waiting for ${all
                .filter((x) => !x.done)
                .map(
                  (x) => `${x.range.topic}/${x.range.partition} at ${x.next}: ${x.remaining} more`,
                )
                .join(', ')}); is Kafka reachable, and do the topics still hold these records?`,
              { retriable: true },
            );
          }
          const old = consumer as Consumer | null;
          session++;
          await old?.disconnect().catch(() => undefined);
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
        (consumer as Consumer | null)?.resume([
          { topic: best.range.topic, partitions: [best.range.partition] },
        ]);
      }
      yield item;
    }
  } finally {
    session++;
    await (consumer as Consumer | null)?.disconnect().catch(() => undefined);
  }
}
