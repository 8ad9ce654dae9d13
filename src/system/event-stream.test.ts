import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JournalRecord } from '../model/index.js';
import { recordId, type LogTransport } from '../runtime/index.js';
import { startTestSystem, type TestSystem } from '../../test/helpers/system.js';
import {
  eventStream,
  EventStreamOverflow,
  seqOfRecordId,
  type EventFilter,
  type OnEvent,
  type StreamEvent,
  type StreamGap,
} from './event-stream.js';
import { EMA_AND_MOMENTUM } from '../../test/helpers/strategies.js';

const STRATEGIES = EMA_AND_MOMENTUM;

let t: TestSystem | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function system(): Promise<TestSystem> {
  t = await startTestSystem({ strategies: STRATEGIES });
  return t;
}

/** The journal's records after `afterSeq`, ticks left out. */
async function eventsAfter(s: TestSystem, afterSeq: number): Promise<JournalRecord[]> {
  return (await s.journal()).filter((r) => r.seq > afterSeq && r.type !== 'MarketTick');
}

interface Collector {
  readonly seen: StreamEvent[];
  readonly errors: Error[];
  readonly gaps: StreamGap[];
  readonly onEvent: OnEvent;
  readonly onError: (e: Error) => void;
  readonly onGap: (g: StreamGap) => void;
  /** Resolves once an event with seq ≥ `seq` came (polling, with vitest's deadline). */
  reach(seq: number): Promise<void>;
}

function collector(during?: (e: StreamEvent, n: number) => void | Promise<void>): Collector {
  const seen: StreamEvent[] = [];
  const errors: Error[] = [];
  const gaps: StreamGap[] = [];
  return {
    seen,
    errors,
    gaps,
    onEvent: (e) => {
      seen.push(e);
      return during?.(e, seen.length);
    },
    onError: (e) => void errors.push(e),
    onGap: (g) => void gaps.push(g),
    reach: (seq) =>
      vi.waitFor(
        () => {
          if (errors.length > 0) throw errors[0];
          expect(seen.at(-1)?.seq ?? 0).toBeGreaterThanOrEqual(seq);
        },
        { timeout: 10_000, interval: 1 },
      ),
  };
}

describe('eventStream', () => {
  // A small slack: the far-behind phase reads several times; a huge one: the subscriber holds live
  // records from the start of its catch-up.
  it.each([100, 1_000_000])(
    'reads the journal, then goes live, with records journaled during the catch-up: none missed, none twice (slack %i)',
    async (slack) => {
      const s = await system();
      s.feed(2_000);
      await s.system.bridge.flush();
      const start = 50;
      let feeds = 0;
      const c = collector((_e, n) => {
        if (n % 40 === 0 && n <= 400) {
          s.feed(300);
          feeds++;
          // A slow client: the read waits while the new records become durable and go live.
          return s.system.bridge.flush();
        }
      });
      const stream = eventStream(s.system, s.transport, { catchUpSlack: slack });
      stream.subscribe(start, {}, c.onEvent, c.onError, c.onGap);
      await vi.waitFor(() => expect(feeds).toBe(10), { timeout: 10_000, interval: 1 });
      s.feed(1_000);
      const expected = await eventsAfter(s, start);
      await c.reach(expected.at(-1)!.seq);
      expect(c.errors).toEqual([]);
      expect(c.gaps).toEqual([]);
      expect(c.seen.map((e) => e.seq)).toEqual(expected.map((r) => r.seq));
      expect(c.seen.map((e) => e.type)).toEqual(expected.map((r) => r.type));
    },
  );

  it('renders each record as the envelope names it, with its strategy and correlation', async () => {
    const s = await system();
    s.feed(2_000);
    const c = collector();
    eventStream(s.system, s.transport).subscribe(0, {}, c.onEvent, c.onError);
    const records = await eventsAfter(s, 0);
    await c.reach(records.at(-1)!.seq);
    const validated = records.find((r) => r.type === 'SignalValidated')!;
    const e = c.seen.find((x) => x.seq === validated.seq)!;
    expect(e).toEqual({
      seq: validated.seq,
      id: recordId(s.system.meta, validated.seq),
      type: 'SignalValidated',
      topic: 'paper.signals.validated',
      source: 'risk-gate:paper',
      broker: 'paper',
      strategyId: expect.stringMatching(/^(ema_a|mom_b)$/),
      correlationId: recordId(s.system.meta, validated.correlationSeq),
      correlationSeq: validated.correlationSeq,
      at: new Date(validated.ts).toISOString(),
      data: validated.data,
    });
    expect(seqOfRecordId(s.system.meta, e.correlationId)).toBe(validated.correlationSeq);
    expect(seqOfRecordId(s.system.meta, e.correlationId.toUpperCase())).toBe(
      validated.correlationSeq,
    );
    expect(seqOfRecordId({ nonce: 1, createdMs: 0 }, e.correlationId)).toBeNull();
    expect(seqOfRecordId(s.system.meta, 'not-a-uuid')).toBeNull();
  });

  it('filters by type, broker, strategy and correlation id', async () => {
    const s = await system();
    s.feed(3_000);
    // An operator command: the one record on the system scope.
    const command = s.system.setTradingState('paper', 'ACTIVE', 'checked');
    const records = await eventsAfter(s, 0);
    const order = records.find((r) => r.type === 'SubmitOrder')!;
    const run = async (f: EventFilter, expected: number[]) => {
      const c = collector();
      const stop = eventStream(s.system, s.transport).subscribe(0, f, c.onEvent, c.onError);
      await vi.waitFor(() => expect(c.seen.length).toBeGreaterThanOrEqual(expected.length));
      stop();
      expect(c.errors).toEqual([]);
      return c.seen.map((e) => e.seq);
    };
    const seqs = (p: (r: JournalRecord) => boolean) => records.filter(p).map((r) => r.seq);
    const strategyOf = (r: JournalRecord) => {
      const d = r.data as { strategyId?: string; signal?: { strategyId: string } };
      return d.strategyId ?? d.signal?.strategyId;
    };
    const cases: [EventFilter, number[]][] = [
      [
        { types: ['SubmitOrder', 'OrderFilled'] },
        seqs((r) => r.type === 'SubmitOrder' || r.type === 'OrderFilled'),
      ],
      [
        { broker: 'paper', strategyId: 'mom_b' },
        seqs((r) => r.broker === 'paper' && strategyOf(r) === 'mom_b'),
      ],
      [
        { correlationId: recordId(s.system.meta, order.correlationSeq) },
        seqs((r) => r.correlationSeq === order.correlationSeq),
      ],
      [{ broker: 'system' }, [command]],
    ];
    for (const [f, expected] of cases) {
      expect(expected.length, JSON.stringify(f)).toBeGreaterThan(0);
      expect(await run(f, expected), JSON.stringify(f)).toEqual(expected);
    }
    // The chain of one tick: signal, validation, order and what followed it.
    expect(cases[2]![1].length).toBeGreaterThanOrEqual(3);
  });

  it('from now on when no seq is given, and only durable records', async () => {
    const s = await system();
    const stream = eventStream(s.system, s.transport);
    const earlier = collector();
    stream.subscribe(null, {}, earlier.onEvent, earlier.onError);
    // Journaled before the subscription, durable after it: not for it.
    s.feed(1_000);
    const c = collector();
    const from = s.system.switchboard.lastSeq;
    stream.subscribe(null, {}, c.onEvent, c.onError);
    s.feed(1_000);
    // Journaled, not yet durable: not handed out.
    expect(s.system.bridge.durableSeq).toBeLessThan(s.system.switchboard.lastSeq);
    expect(c.seen).toEqual([]);
    const expected = await eventsAfter(s, from);
    await c.reach(expected.at(-1)!.seq);
    expect(c.seen.map((e) => e.seq)).toEqual(expected.map((r) => r.seq));
    expect(earlier.seen.length).toBeGreaterThan(c.seen.length);
  });

  it('ends a subscriber that holds too many live records while it catches up', async () => {
    const s = await system();
    s.feed(1_000);
    let release: () => void = () => {};
    const stuck = new Promise<void>((r) => (release = r));
    const c = collector((_e, n) => (n === 1 ? stuck : undefined));
    eventStream(s.system, s.transport, { maxBuffered: 5, catchUpSlack: 1_000_000 }).subscribe(
      0,
      {},
      c.onEvent,
      c.onError,
    );
    await vi.waitFor(() => expect(c.seen.length).toBe(1));
    s.feed(2_000);
    await s.system.bridge.flush();
    await vi.waitFor(() => expect(c.errors.length).toBe(1));
    expect(c.errors[0]).toBeInstanceOf(EventStreamOverflow);
    expect(c.errors[0]!.message).toMatch(/fell 6 records behind.*resubscribe/);
    release();
    s.feed(500);
    await s.system.bridge.flush();
    // Ended: nothing more comes, and no second error.
    expect(c.errors.length).toBe(1);
    expect(c.seen.length).toBeLessThan((await eventsAfter(s, 0)).length);
  });

  it('reports seqs the journal no longer holds as a gap and goes on after it', async () => {
    const s = await system();
    s.feed(2_000);
    await s.system.bridge.flush();
    // A journal whose records 1..40 and 100..200 are gone (a compacted topic).
    const gone = (seq: number) => seq <= 40 || (seq >= 100 && seq <= 200);
    const lossy = {
      kind: 'lmdb',
      read: async function* (from: number, opts?: { untilSeq?: number }) {
        for await (const r of s.transport.read(from, opts)) if (!gone(r.seq)) yield r;
      },
    } as unknown as LogTransport;
    const c = collector();
    eventStream(s.system, lossy).subscribe(0, {}, c.onEvent, c.onError, c.onGap);
    const expected = (await eventsAfter(s, 0)).filter((r) => !gone(r.seq));
    await c.reach(expected.at(-1)!.seq);
    expect(c.gaps).toEqual([
      { fromSeq: 1, toSeq: 40 },
      { fromSeq: 100, toSeq: 200 },
    ]);
    expect(c.seen.map((e) => e.seq)).toEqual(expected.map((r) => r.seq));
  });

  it('stops delivering once unsubscribed', async () => {
    const s = await system();
    const c = collector();
    const stop = eventStream(s.system, s.transport).subscribe(null, {}, c.onEvent, c.onError);
    s.feed(1_000);
    await s.system.bridge.flush();
    await vi.waitFor(() => expect(c.seen.length).toBeGreaterThan(0));
    stop();
    const n = c.seen.length;
    s.feed(2_000);
    await s.system.bridge.flush();
    await s.system.bridge.flush();
    expect(c.seen.length).toBe(n);
  });
});
