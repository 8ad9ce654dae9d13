/**
 * The LogTransport contract (src/runtime/transport.ts): every transport runs this suite in a few
 * lines. It uses only the interface, so LMDB and Kafka are held to the same behaviour: meta kept
 * across reopen, contiguous atomic appends, ordered reads with seq and topic filters, gaps
 * refused, and records durable once `append` resolves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/model/index.js';
import { SeededRandom } from '../../src/runtime/ids.js';
import type { EncodedBatch, JournalMeta, LogTransport } from '../../src/runtime/transport.js';
import { batchesOf, encodedBatch, journalRecords } from '../helpers/journal-records.js';

/** What an implementation hands the suite for one test. */
export interface TransportUnderTest {
  /** A new transport over fresh, empty storage; not yet opened. */
  readonly transport: LogTransport;
  /** A new transport over the same storage, not yet opened (the suite closes the old one first). */
  reopen(): Promise<LogTransport>;
  /** Removes the storage (the suite has closed every transport it opened). */
  cleanup(): Promise<void>;
}

const INIT = { nonce: 2 ** 33 + 12_345, createdMs: 1_767_584_700_123 };
const OTHER_INIT = { nonce: 77, createdMs: 1_800_000_000_000 };

async function readAll(
  t: LogTransport,
  fromSeq: number,
  options?: { untilSeq?: number; topics?: readonly string[] },
): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of t.read(fromSeq, options)) out.push(r);
  return out;
}

const seqs = (rs: readonly JournalRecord[]): number[] => rs.map((r) => r.seq);
const range = (a: number, b: number): number[] =>
  Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);

/** Runs the LogTransport contract against `makeTransport`. */
export function logTransportContract(
  name: string,
  makeTransport: () => Promise<TransportUnderTest>,
): void {
  describe(`LogTransport contract: ${name}`, () => {
    let env: TransportUnderTest;
    let opened: LogTransport[] = [];

    beforeEach(async () => {
      env = await makeTransport();
      opened = [];
    });

    afterEach(async () => {
      for (const t of opened.splice(0)) await t.close().catch(() => undefined);
      await env.cleanup();
    });

    async function start(): Promise<{ t: LogTransport; meta: JournalMeta }> {
      const meta = await env.transport.open(INIT);
      opened.push(env.transport);
      return { t: env.transport, meta };
    }

    /** Closes `t`, reopens the storage with a different `init`, and returns the new transport. */
    async function restart(t: LogTransport): Promise<{ t: LogTransport; meta: JournalMeta }> {
      opened = opened.filter((x) => x !== t);
      await t.close();
      const next = await env.reopen();
      const meta = await next.open(OTHER_INIT);
      opened.push(next);
      return { t: next, meta };
    }

    /** Appends `records` as batches of `sizes`, `perAppend` batches per append call. */
    async function appendAll(
      t: LogTransport,
      records: readonly JournalRecord[],
      sizes: readonly number[],
      perAppend = 1,
    ): Promise<EncodedBatch[]> {
      const batches = batchesOf(records, sizes, INIT.nonce);
      for (let i = 0; i < batches.length; i += perAppend) {
        await t.append(batches.slice(i, i + perAppend));
      }
      return batches;
    }

    describe('open', () => {
      it('creates an empty journal with the given nonce and createdMs and lastSeq 0', async () => {
        const { t, meta } = await start();
        expect(meta).toEqual({ ...INIT, lastSeq: 0, epoch: 0 });
        expect(t.lastSeq()).toBe(0);
        expect(await readAll(t, 1)).toEqual([]);
      });

      it('keeps the nonce and createdMs of the journal across reopen, even an empty one', async () => {
        const first = await start();
        const { meta } = await restart(first.t);
        expect(meta).toEqual({ ...INIT, lastSeq: 0, epoch: 0 });
      });

      it('reports the last durable seq after reopen and keeps its meta', async () => {
        const { t } = await start();
        await appendAll(t, journalRecords(30), [7, 11, 12]);
        const again = await restart(t);
        expect(again.meta).toEqual({ ...INIT, lastSeq: 30, epoch: 0 });
        expect(again.t.lastSeq()).toBe(30);
      });
    });

    describe('append and read', () => {
      it('reads back every record exactly as appended, in seq order', async () => {
        const { t } = await start();
        const recs = journalRecords(45);
        await appendAll(t, recs, [1, 14, 3, 20], 2);
        expect(t.lastSeq()).toBe(45);
        const back = await readAll(t, 1);
        expect(back).toEqual(recs);
        // Tick batch markers survive only where they were set.
        expect(back.filter((r) => r.batch !== undefined).map((r) => [r.seq, r.batch])).toEqual(
          recs.filter((r) => r.batch !== undefined).map((r) => [r.seq, r.batch]),
        );
      });

      it('advances lastSeq with each resolved append', async () => {
        const { t } = await start();
        const recs = journalRecords(20);
        const [a, b, c] = batchesOf(recs, [5, 5], INIT.nonce);
        await t.append([a!]);
        expect(t.lastSeq()).toBe(5);
        await t.append([b!, c!]);
        expect(t.lastSeq()).toBe(20);
      });

      it('reads from the middle of a batch', async () => {
        const { t } = await start();
        const recs = journalRecords(40);
        await appendAll(t, recs, [10, 10, 10, 10]);
        for (const from of [2, 13, 20, 21, 39, 40]) {
          expect(seqs(await readAll(t, from)), `from ${from}`).toEqual(range(from, 40));
        }
        expect(await readAll(t, 41)).toEqual([]);
        expect(await readAll(t, 17)).toEqual(recs.slice(16));
      });

      it('stops at untilSeq, inclusive, also inside a batch', async () => {
        const { t } = await start();
        const recs = journalRecords(40);
        await appendAll(t, recs, [10, 10, 10, 10]);
        expect(seqs(await readAll(t, 3, { untilSeq: 9 }))).toEqual(range(3, 9));
        expect(seqs(await readAll(t, 5, { untilSeq: 27 }))).toEqual(range(5, 27));
        expect(seqs(await readAll(t, 1, { untilSeq: 10 }))).toEqual(range(1, 10));
        expect(seqs(await readAll(t, 11, { untilSeq: 11 }))).toEqual([11]);
        expect(seqs(await readAll(t, 35, { untilSeq: 1_000 }))).toEqual(range(35, 40));
        expect(await readAll(t, 20, { untilSeq: 19 })).toEqual([]);
        expect(await readAll(t, 3, { untilSeq: 9 })).toEqual(recs.slice(2, 9));
      });

      it('filters by topics, keeping seq order and the seq window', async () => {
        const { t } = await start();
        const recs = journalRecords(70);
        await appendAll(t, recs, [9, 1, 25, 4, 31]);
        const only = (topics: string[], from = 1, until = 70) =>
          recs.filter((r) => topics.includes(r.topic) && r.seq >= from && r.seq <= until);

        const fills = await readAll(t, 1, { topics: ['paper.orders.filled'] });
        expect(fills.length).toBeGreaterThan(2);
        expect(fills).toEqual(only(['paper.orders.filled']));

        const two = ['market.ticks', 'system.events'];
        expect(await readAll(t, 1, { topics: two })).toEqual(only(two));
        expect(await readAll(t, 12, { topics: two, untilSeq: 50 })).toEqual(only(two, 12, 50));
        expect(await readAll(t, 1, { topics: ['zerodha.orders.filled'] })).toEqual([]);
        expect(await readAll(t, 1, { topics: [] })).toEqual([]);
      });

      it('preserves order over many batches of random sizes', async () => {
        const { t } = await start();
        const rnd = new SeededRandom(20_260_105);
        const recs = journalRecords(1_500);
        const sizes: number[] = [];
        for (let n = 0; n < recs.length;) {
          const k = 1 + Math.floor(rnd.next() * 60);
          sizes.push(k);
          n += k;
        }
        await appendAll(t, recs, sizes, 3);
        const back = await readAll(t, 1);
        expect(seqs(back)).toEqual(range(1, 1_500));
        expect(back).toEqual(recs);
      });

      it('reads back several batches appended in one call', async () => {
        const { t } = await start();
        const recs = journalRecords(12);
        await t.append([
          encodedBatch(recs.slice(0, 6), INIT.nonce),
          encodedBatch(recs.slice(6), INIT.nonce),
        ]);
        expect(await readAll(t, 1)).toEqual(recs);
      });

      it('counts the bytes it writes', async () => {
        const { t } = await start();
        const before = t.bytesWritten();
        await appendAll(t, journalRecords(20), [10, 10]);
        const after = t.bytesWritten();
        expect(after).toBeGreaterThan(before);
      });
    });

    describe('gaps', () => {
      it('rejects a first batch that does not start at seq 1', async () => {
        const { t } = await start();
        const recs = journalRecords(10, 2);
        await expect(t.append([encodedBatch(recs, INIT.nonce)])).rejects.toMatchObject({
          code: 'JOURNAL_GAP',
        });
        expect(t.lastSeq()).toBe(0);
        expect(await readAll(t, 1)).toEqual([]);
      });

      it('rejects a batch that does not follow the last seq, and keeps the journal as it was', async () => {
        const { t } = await start();
        const recs = journalRecords(30);
        await appendAll(t, recs.slice(0, 10), [10]);
        // Skips seq 11.
        await expect(
          t.append([encodedBatch(recs.slice(11, 20), INIT.nonce)]),
        ).rejects.toMatchObject({
          code: 'JOURNAL_GAP',
        });
        // Repeats seqs 6..10.
        await expect(t.append([encodedBatch(recs.slice(5, 15), INIT.nonce)])).rejects.toMatchObject(
          {
            code: 'JOURNAL_GAP',
          },
        );
        expect(t.lastSeq()).toBe(10);
        expect(await readAll(t, 1)).toEqual(recs.slice(0, 10));
        // The right next batch is still accepted.
        await t.append([encodedBatch(recs.slice(10, 30), INIT.nonce)]);
        expect(await readAll(t, 1)).toEqual(recs);
      });

      it('rejects a whole append when a later batch in it leaves a gap (atomic)', async () => {
        const { t } = await start();
        const recs = journalRecords(30);
        const good = encodedBatch(recs.slice(0, 10), INIT.nonce);
        const gapped = encodedBatch(recs.slice(12, 20), INIT.nonce);
        await expect(t.append([good, gapped])).rejects.toMatchObject({ code: 'JOURNAL_GAP' });
        expect(t.lastSeq()).toBe(0);
        expect(await readAll(t, 1)).toEqual([]);
        await t.append([good]);
        expect(await readAll(t, 1)).toEqual(recs.slice(0, 10));
      });
    });

    describe('durability', () => {
      it('keeps every record of a resolved append across close and reopen', async () => {
        const { t } = await start();
        const recs = journalRecords(100);
        await appendAll(t, recs, [1, 33, 2, 64], 2);
        const again = await restart(t);
        expect(again.meta.lastSeq).toBe(100);
        expect(await readAll(again.t, 1)).toEqual(recs);
        expect(await readAll(again.t, 50, { untilSeq: 60 })).toEqual(recs.slice(49, 60));
        expect(await readAll(again.t, 1, { topics: ['paper.signals.raw'] })).toEqual(
          recs.filter((r) => r.topic === 'paper.signals.raw'),
        );
      });

      it('continues after reopen from the last seq, and still refuses gaps', async () => {
        const { t } = await start();
        const recs = journalRecords(60);
        await appendAll(t, recs.slice(0, 25), [25]);
        const again = await restart(t);
        await expect(
          again.t.append([encodedBatch(recs.slice(26, 40), INIT.nonce)]),
        ).rejects.toMatchObject({
          code: 'JOURNAL_GAP',
        });
        await again.t.append([
          encodedBatch(recs.slice(25, 40), INIT.nonce),
          encodedBatch(recs.slice(40), INIT.nonce),
        ]);
        expect(again.t.lastSeq()).toBe(60);
        expect(await readAll(again.t, 1)).toEqual(recs);
        const third = await restart(again.t);
        expect(third.meta).toEqual({ ...INIT, lastSeq: 60, epoch: 0 });
        expect(await readAll(third.t, 20, { untilSeq: 30 })).toEqual(recs.slice(19, 30));
      });
    });
  });
}
