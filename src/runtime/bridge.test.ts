import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JournalRecord } from '../model/index.js';
import { journalRecords } from '../../test/helpers/journal-records.js';
import { Bridge } from './bridge.js';
import { decodeBatch } from './codec.js';
import { JournalBacklogExceeded, JournalError } from './errors.js';
import { SeededRandom } from './ids.js';
import type { EncodedBatch, JournalMeta, LogTransport } from './transport.js';

/** The journal identity every batch in these tests is sealed with. */
const NONCE = 2 ** 33 + 7;

interface PendingWrite {
  readonly batches: readonly EncodedBatch[];
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * An in-memory LogTransport whose writes the test controls: in `manual` mode each append waits
 * for `resolve()` / `reject()`; in `auto` mode it commits at once unless `failWhen` says to fail.
 * Like a real transport it refuses a batch that does not follow its last seq.
 */
class FakeTransport implements LogTransport {
  maxInFlight = 1;
  readonly kind = 'fake';
  mode: 'auto' | 'manual' = 'auto';
  failWhen: (call: number) => boolean = () => false;
  readonly calls: EncodedBatch[][] = [];
  readonly pending: PendingWrite[] = [];
  readonly stored: JournalRecord[] = [];
  private last: number;

  constructor(lastSeq = 0) {
    this.last = lastSeq;
  }

  open(init: { nonce: number; createdMs: number }): Promise<JournalMeta> {
    return Promise.resolve({ ...init, lastSeq: this.last, epoch: 0 });
  }

  append(batches: readonly EncodedBatch[]): Promise<void> {
    this.calls.push([...batches]);
    const call = this.calls.length;
    return new Promise<void>((resolve, reject) => {
      const commit = () => {
        try {
          this.commit(batches);
          resolve();
        } catch (err) {
          reject(err);
        }
      };
      const fail = (err: unknown) => reject(err);
      if (this.mode === 'manual') this.pending.push({ batches, resolve: commit, reject: fail });
      else if (this.failWhen(call))
        fail(new JournalError('JOURNAL_WRITE_FAILED', `write ${call} failed`, { retriable: true }));
      else commit();
    });
  }

  private commit(batches: readonly EncodedBatch[]): void {
    let expect = this.last + 1;
    for (const b of batches) {
      if (b.firstSeq !== expect) throw new JournalError('JOURNAL_GAP', `gap at ${b.firstSeq}`);
      expect = b.lastSeq + 1;
    }
    for (const b of batches) this.stored.push(...decodeBatch(b.bytes, NONCE));
    this.last = expect - 1;
  }

  async *read(): AsyncIterable<JournalRecord> {
    yield* this.stored;
  }
  lastSeq(): number {
    return this.last;
  }
  bytesWritten(): number {
    return 0;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Runs due immediates and timers at the current fake time and settles promise callbacks. */
const settle = () => vi.advanceTimersByTimeAsync(0);

const span = (b: EncodedBatch) => [b.firstSeq, b.lastSeq];
const seqsOf = (rs: readonly JournalRecord[]) => rs.map((r) => r.seq);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

function tracked(p: Promise<void>): { done: boolean } {
  const s = { done: false };
  void p.then(() => (s.done = true));
  return s;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Bridge batching', () => {
  it('flushes contiguous atomic batches: one write at a time, later batches carried together', async () => {
    const t = new FakeTransport();
    t.mode = 'manual';
    const bridge = new Bridge(t, NONCE, { batchRecords: 4 });
    const recs = journalRecords(10);
    for (const r of recs) bridge.append(r);
    // 1..4 went out when the batch filled; 5..8 are queued behind it; 9..10 wait for the tick.
    expect(t.calls.map((c) => c.map(span))).toEqual([[[1, 4]]]);
    await settle();
    expect(t.calls).toHaveLength(1);
    t.pending.shift()!.resolve();
    await settle();
    expect(t.calls.map((c) => c.map(span))).toEqual([
      [[1, 4]],
      [
        [5, 8],
        [9, 10],
      ],
    ]);
    t.pending.shift()!.resolve();
    await settle();
    expect(bridge.durableSeq).toBe(10);
    expect(t.stored).toEqual(recs);
  });

  it('encodes each batch once, with its topics and seq range', async () => {
    const t = new FakeTransport();
    const bridge = new Bridge(t, NONCE, { batchRecords: 6 });
    const recs = journalRecords(20);
    for (const r of recs) bridge.append(r);
    await bridge.flush();
    const batches = t.calls.flat();
    expect(batches.map(span)).toEqual([
      [1, 6],
      [7, 12],
      [13, 18],
      [19, 20],
    ]);
    for (const b of batches) {
      const expected = recs.slice(b.firstSeq - 1, b.lastSeq);
      expect(decodeBatch(b.bytes, NONCE)).toEqual(expected);
      expect([...b.topics].sort()).toEqual([...new Set(expected.map((r) => r.topic))].sort());
    }
  });

  it('cuts a partial batch on the next turn of the event loop, without a flush', async () => {
    const t = new FakeTransport();
    const bridge = new Bridge(t, NONCE, { batchRecords: 1000 });
    for (const r of journalRecords(3)) bridge.append(r);
    expect(t.calls).toHaveLength(0);
    await settle();
    expect(t.calls.map((c) => c.map(span))).toEqual([[[1, 3]]]);
    expect(bridge.durableSeq).toBe(3);
  });

  it('continues from the transport’s last seq', async () => {
    const t = new FakeTransport(41);
    const bridge = new Bridge(t, NONCE);
    expect(bridge.durableSeq).toBe(41);
    expect(bridge.lastSeq).toBe(41);
    const recs = journalRecords(5, 42);
    for (const r of recs) bridge.append(r);
    await bridge.flush();
    expect(t.stored).toEqual(recs);
    expect(bridge.durableSeq).toBe(46);
  });
});

describe('Bridge durability', () => {
  it('resolves whenDurable only after the write that holds the seq has landed', async () => {
    const t = new FakeTransport();
    t.mode = 'manual';
    const bridge = new Bridge(t, NONCE, { batchRecords: 3 });
    for (const r of journalRecords(5)) bridge.append(r);
    const upTo2 = tracked(bridge.whenDurable(2));
    const upTo5 = tracked(bridge.whenDurable(5));
    const flushed = tracked(bridge.flush());
    await settle();
    expect([upTo2.done, upTo5.done, flushed.done]).toEqual([false, false, false]);
    expect(bridge.durableSeq).toBe(0);

    t.pending.shift()!.resolve(); // 1..3
    await settle();
    expect([upTo2.done, upTo5.done, flushed.done]).toEqual([true, false, false]);
    expect(bridge.durableSeq).toBe(3);

    t.pending.shift()!.resolve(); // 4..5
    await settle();
    expect([upTo5.done, flushed.done]).toEqual([true, true]);
    expect(bridge.backlog).toBe(0);
  });

  it('resolves whenDurable at once for a seq already durable', async () => {
    const t = new FakeTransport(10);
    const bridge = new Bridge(t, NONCE);
    const s = tracked(bridge.whenDurable(10));
    await Promise.resolve();
    expect(s.done).toBe(true);
  });

  it('waits for a seq not yet appended until it is written', async () => {
    const t = new FakeTransport();
    const bridge = new Bridge(t, NONCE);
    const recs = journalRecords(4);
    const w = tracked(bridge.whenDurable(4));
    for (const r of recs.slice(0, 3)) bridge.append(r);
    await bridge.flush();
    expect(w.done).toBe(false);
    bridge.append(recs[3]!);
    await bridge.flush();
    expect(w.done).toBe(true);
  });
});

describe('Bridge retries', () => {
  it('retries a failed write with backoff, the failed batch first and alone, and loses or repeats nothing', async () => {
    const t = new FakeTransport();
    t.failWhen = (call) => call <= 2;
    const errors: number[] = [];
    const bridge = new Bridge(t, NONCE, {
      batchRecords: 5,
      onWriteError: (err, attempt) => {
        expect(err).toBeInstanceOf(JournalError);
        errors.push(attempt);
      },
    });
    const recs = journalRecords(12);
    for (const r of recs.slice(0, 5)) bridge.append(r);
    await settle();
    expect(errors).toEqual([1]);
    expect(t.calls).toHaveLength(1);
    // More records arrive while the retry waits; none is written ahead of the failed batch.
    for (const r of recs.slice(5)) bridge.append(r);
    await settle();
    expect(t.calls).toHaveLength(1);
    expect(bridge.durableSeq).toBe(0);

    const durable = tracked(bridge.whenDurable(12));
    // Step time until every retry has run; measure the wait before each new attempt.
    const waits: number[] = [];
    let waited = 0;
    while (!durable.done && waited < 60_000) {
      const before = t.calls.length;
      await vi.advanceTimersByTimeAsync(10);
      waited += 10;
      if (t.calls.length > before) {
        waits.push(waited);
        waited = 0;
      }
    }
    expect(durable.done).toBe(true);
    expect(errors).toEqual([1, 2]);
    expect(waits).toHaveLength(2);
    expect(waits[0]!).toBeGreaterThan(10);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
    // Each retry writes the failed batch [1..5] alone; once it lands, the rest follows at once.
    expect(t.calls.map((c) => c.map(span))).toEqual([
      [[1, 5]],
      [[1, 5]],
      [[1, 5]],
      [
        [6, 10],
        [11, 12],
      ],
    ]);
    expect(t.stored).toEqual(recs);
  });

  it('retries several failed writes in seq order, whatever order they failed in', async () => {
    const t = new FakeTransport();
    t.maxInFlight = 4;
    t.mode = 'manual';
    const bridge = new Bridge(t, NONCE, { batchRecords: 5 });
    const recs = journalRecords(10);
    for (const r of recs) bridge.append(r);
    await settle();
    expect(t.calls.map((c) => c.map(span))).toEqual([[[1, 5]], [[6, 10]]]);
    const [a, b] = t.pending.splice(0);
    const failed = () => new JournalError('JOURNAL_WRITE_FAILED', 'disk full', { retriable: true });
    a!.reject(failed());
    b!.reject(failed());
    t.mode = 'auto';
    const durable = tracked(bridge.whenDurable(10));
    for (let n = 0; n < 100 && !durable.done; n++) await vi.advanceTimersByTimeAsync(100);
    expect(durable.done).toBe(true);
    expect(t.calls.slice(2).map((c) => c.map(span))).toEqual([[[1, 5]], [[6, 10]]]);
    expect(t.stored).toEqual(recs);
  });

  it('stores every seq exactly once under random write failures (seeded)', async () => {
    const rnd = new SeededRandom(4_242);
    const t = new FakeTransport();
    t.failWhen = () => rnd.next() < 0.35;
    const bridge = new Bridge(t, NONCE, { batchRecords: 25 });
    const recs = journalRecords(2_000);
    let i = 0;
    while (i < recs.length) {
      const k = 1 + Math.floor(rnd.next() * 80);
      for (const r of recs.slice(i, i + k)) bridge.append(r);
      i += k;
      const step = rnd.next();
      if (step < 0.3) await settle();
      else if (step < 0.6) await vi.advanceTimersByTimeAsync(Math.floor(rnd.next() * 500));
    }
    const done = tracked(bridge.flush());
    for (let n = 0; n < 1_000 && !done.done; n++) await vi.advanceTimersByTimeAsync(1_000);
    expect(done.done).toBe(true);
    expect(t.calls.length).toBeGreaterThan(10);
    expect(seqsOf(t.stored)).toEqual(oneTo(2_000));
    expect(t.stored).toEqual(recs);
    expect(bridge.durableSeq).toBe(2_000);
    expect(bridge.backlog).toBe(0);
  });

  it('stops retrying after stop()', async () => {
    const t = new FakeTransport();
    t.failWhen = () => true;
    const bridge = new Bridge(t, NONCE);
    for (const r of journalRecords(3)) bridge.append(r);
    await settle();
    expect(t.calls).toHaveLength(1);
    bridge.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.calls).toHaveLength(1);
  });
});

describe('Bridge backlog', () => {
  it('lets the backlog callback journal a record while a caller is appending a reserved seq range', async () => {
    // The switchboard gives a tick batch its whole seq range first, then appends tick by tick;
    // the gates' HALTED command, journaled from the callback, must come after that range.
    const t = new FakeTransport();
    t.mode = 'manual';
    const recs = journalRecords(20);
    let next = 11;
    const bridge: Bridge = new Bridge(t, NONCE, {
      batchRecords: 1000,
      maxBacklog: 5,
      onBacklog: (e) => {
        if (e) bridge.append({ ...recs[next - 1]!, seq: next++ });
      },
    });
    expect(() => {
      for (const r of recs.slice(0, 10)) bridge.append(r);
    }).not.toThrow();
    await Promise.resolve();
    expect(bridge.lastSeq).toBe(11);
  });

  it('reports JournalBacklogExceeded past maxBacklog and null once drained', async () => {
    const t = new FakeTransport();
    t.mode = 'manual';
    const reports: Array<JournalBacklogExceeded | null> = [];
    const bridge = new Bridge(t, NONCE, {
      batchRecords: 5,
      maxBacklog: 10,
      onBacklog: (e) => reports.push(e),
    });
    const recs = journalRecords(31);
    for (const r of recs.slice(0, 10)) bridge.append(r);
    expect(bridge.backlog).toBe(10);
    expect(reports).toEqual([]);
    bridge.append(recs[10]!);
    // Reported once the appending code has returned (a microtask later), never from inside it.
    expect(reports).toEqual([]);
    await Promise.resolve();
    expect(reports).toHaveLength(1);
    const err = reports[0]!;
    expect(err).toBeInstanceOf(JournalBacklogExceeded);
    expect(err).toMatchObject({ code: 'JOURNAL_BACKLOG_EXCEEDED', retriable: true });
    expect(err!.message).toContain('11');
    expect(err!.message).toContain('10');
    // Reported once, not per record.
    for (const r of recs.slice(11, 20)) bridge.append(r);
    expect(reports).toHaveLength(1);

    // Nothing was dropped: drain the writes one by one.
    await settle();
    while (t.pending.length > 0) {
      t.pending.shift()!.resolve();
      await settle();
    }
    expect(bridge.durableSeq).toBe(20);
    expect(reports).toHaveLength(2);
    expect(reports[1]).toBeNull();
    expect(t.stored).toEqual(recs.slice(0, 20));

    // It reports again when the bound is passed again, and clears again after the drain.
    for (const r of recs.slice(20, 31)) bridge.append(r);
    await Promise.resolve();
    expect(reports).toHaveLength(3);
    expect(reports[2]).toBeInstanceOf(JournalBacklogExceeded);
    await settle();
    while (t.pending.length > 0) {
      t.pending.shift()!.resolve();
      await settle();
    }
    expect(reports).toHaveLength(4);
    expect(reports[3]).toBeNull();
    expect(t.stored).toEqual(recs);
  });

  it('keeps the halt until the backlog is back to half the bound', async () => {
    const t = new FakeTransport();
    t.mode = 'manual';
    const reports: Array<JournalBacklogExceeded | null> = [];
    const bridge = new Bridge(t, NONCE, {
      batchRecords: 4,
      maxBacklog: 8,
      onBacklog: (e) => reports.push(e),
    });
    for (const r of journalRecords(12)) bridge.append(r);
    await Promise.resolve();
    expect(reports).toHaveLength(1);
    t.pending.shift()!.resolve(); // 1..4 durable: backlog 8, above half the bound
    await settle();
    expect(bridge.backlog).toBe(8);
    expect(reports).toHaveLength(1);
    t.pending.shift()!.resolve(); // 5..12 durable
    await settle();
    expect(bridge.backlog).toBe(0);
    expect(reports.map((r) => r === null)).toEqual([false, true]);
  });
});

describe('Bridge seq contract', () => {
  it('throws on a seq that does not follow the last one, and keeps its state', async () => {
    const t = new FakeTransport();
    const bridge = new Bridge(t, NONCE);
    const recs = journalRecords(4);
    bridge.append(recs[0]!);
    expect(() => bridge.append(recs[2]!)).toThrow('bridge received seq 3 after 1');
    expect(() => bridge.append(recs[0]!)).toThrow('bridge received seq 1 after 1');
    expect(bridge.lastSeq).toBe(1);
    bridge.append(recs[1]!);
    bridge.append(recs[2]!);
    await bridge.flush();
    expect(seqsOf(t.stored)).toEqual([1, 2, 3]);
  });

  it('throws on a first seq that does not follow the journal', () => {
    const bridge = new Bridge(new FakeTransport(7), NONCE);
    expect(() => bridge.append(journalRecords(1, 9)[0]!)).toThrow(/seq 9 after 7/);
    expect(() => bridge.append(journalRecords(1, 7)[0]!)).toThrow(/seq 7 after 7/);
  });
});

describe('Bridge with several writes in flight', () => {
  it('overlaps writes but reports durability only for a contiguous prefix', async () => {
    const held: Array<{ last: number; resolve: () => void }> = [];
    const t = new FakeTransport();
    t.maxInFlight = 8;
    // Writes that complete in whatever order the test resolves them.
    t.append = (batches) =>
      new Promise<void>((resolve) => held.push({ last: batches.at(-1)!.lastSeq, resolve }));
    const bridge = new Bridge(t, NONCE, { batchRecords: 5 });
    for (const r of journalRecords(15)) bridge.append(r);
    expect(held.map((h) => h.last)).toEqual([5, 10, 15]);
    held[2]!.resolve();
    held[1]!.resolve();
    await settle();
    expect(bridge.durableSeq).toBe(0);
    held[0]!.resolve();
    await settle();
    expect(bridge.durableSeq).toBe(15);
  });

  it('waits once maxInFlight writes are outstanding', () => {
    const held: Array<() => void> = [];
    const t = new FakeTransport();
    t.maxInFlight = 2;
    t.append = () => new Promise<void>((resolve) => held.push(resolve));
    const bridge = new Bridge(t, NONCE, { batchRecords: 5 });
    for (const r of journalRecords(20)) bridge.append(r);
    expect(held).toHaveLength(2);
  });
});
