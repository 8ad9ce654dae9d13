import { describe, expect, it } from 'vitest';
import type { PortfolioView } from '../../readmodel/index.js';
import type {
  EventFilter,
  EventStream,
  OnEvent,
  PortfolioChange,
  PortfolioChangeSource,
  StreamEvent,
  StreamGap,
} from '../../system/index.js';
import { ApiError } from '../api-error.js';
import { router } from '../openapi.js';
import type { StreamTimers } from './sse-channel.js';
import { streamRoutes, type StreamDeps } from './streams.js';

interface Frame {
  id?: string;
  event?: string;
  data?: unknown;
  comment?: string;
}

/** Reads SSE frames from a response body as they come. */
function frameReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let done = false;
  const parse = (block: string): Frame => {
    const f: Frame = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) f.comment = line.slice(1).trim();
      else if (line.startsWith('id: ')) f.id = line.slice(4);
      else if (line.startsWith('event: ')) f.event = line.slice(7);
      else if (line.startsWith('data: ')) f.data = JSON.parse(line.slice(6));
    }
    return f;
  };
  return {
    /** The next frame, or null once the stream has ended. */
    async next(): Promise<Frame | null> {
      for (;;) {
        const i = buf.indexOf('\n\n');
        if (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          return parse(block);
        }
        if (done) return null;
        const r = await reader.read();
        if (r.done) done = true;
        else buf += decoder.decode(r.value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

function fakeTimers() {
  const intervals = new Map<number, () => void>();
  const timeouts = new Map<number, () => void>();
  let n = 0;
  const timers: StreamTimers = {
    setInterval: (fn) => (intervals.set(++n, fn), n),
    clearInterval: (h) => void intervals.delete(h as number),
    setTimeout: (fn) => (timeouts.set(++n, fn), n),
    clearTimeout: (h) => void timeouts.delete(h as number),
  };
  return {
    timers,
    intervals,
    /** Runs every pending timeout once. */
    fireTimeouts() {
      const due = [...timeouts];
      timeouts.clear();
      for (const [, fn] of due) fn();
    },
    timeouts,
  };
}

interface Sub {
  afterSeq: number | null;
  filter: EventFilter;
  onEvent: OnEvent;
  onError: (e: Error) => void;
  onGap: (g: StreamGap) => void;
  stopped: boolean;
}

function fakeEvents(latest = 100) {
  const subs: Sub[] = [];
  const events: EventStream = {
    subscribe(afterSeq, filter, onEvent, onError, onGap = () => {}) {
      const s: Sub = { afterSeq, filter, onEvent, onError, onGap, stopped: false };
      subs.push(s);
      return () => (s.stopped = true);
    },
    latestSeq: () => latest,
  };
  return { events, subs };
}

const event = (seq: number): StreamEvent => ({
  seq,
  id: `id-${seq}`,
  type: 'OrderFilled',
  topic: 'paper.orders.filled',
  source: 'trader:paper',
  broker: 'paper',
  strategyId: 's',
  correlationId: `c-${seq}`,
  correlationSeq: seq - 1,
  at: '2026-01-05T03:45:00.000Z',
  data: { seq },
});

function fakePortfolios(initial: PortfolioChange[]) {
  const state = new Map(initial.map((p) => [p.key, p]));
  const listeners = new Set<(k: string) => void>();
  const asked: (number | null)[] = [];
  const source: PortfolioChangeSource = {
    changedAfter(seq) {
      asked.push(seq);
      return [...state.values()]
        .filter((p) => seq === null || p.changedSeq > seq)
        .sort((a, b) => a.changedSeq - b.changedSeq);
    },
    get: (k) => state.get(k),
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
  return {
    source,
    asked,
    listeners,
    change(strategyId: string, changedSeq: number, cash: number) {
      const key = `paper:${strategyId}`;
      state.set(key, portfolio(strategyId, changedSeq, cash));
      for (const fn of listeners) fn(key);
    },
  };
}

function portfolio(strategyId: string, changedSeq: number, cash: number): PortfolioChange {
  return {
    key: `paper:${strategyId}`,
    changedSeq,
    view: { broker: 'paper', strategyId, cash } as unknown as PortfolioView,
  };
}

function app(deps: Partial<StreamDeps> = {}) {
  const ev = fakeEvents();
  const pf = fakePortfolios([]);
  const t = fakeTimers();
  const a = router();
  streamRoutes(a, { events: ev.events, portfolios: pf.source, timers: t.timers, ...deps });
  a.onError((err, c) =>
    err instanceof ApiError
      ? c.json({ error: { code: err.code, message: err.message } }, err.status)
      : c.json({ error: { code: 'INTERNAL', message: err.message } }, 500),
  );
  return { app: a, ...ev, timers: t };
}

describe('the event stream route', () => {
  it('refuses bad parameters before it starts a stream, naming what is wrong', async () => {
    const { app: a, subs } = app();
    const cases: [string, Record<string, string>, number, RegExp][] = [
      ['?brokr=paper', {}, 400, /unknown query parameter "brokr".*type, broker, strategyId/],
      ['?type=SignalRejected&type=OrderFilled', {}, 400, /given twice.*commas/],
      ['?type=signal_rejected', {}, 400, /not a record type.*PascalCase/],
      ['?type=OrderFilled,MarketTick', {}, 400, /ticks are not on the event stream/],
      ['?broker=zerodah', {}, 400, /"zerodah" is not one of paper, zerodha, shared, system/],
      ['?correlationId=42', {}, 400, /not a UUID/],
      ['', { 'last-event-id': 'abc' }, 400, /Last-Event-ID "abc" is not a journal seq/],
      ['', { 'last-event-id': '-1' }, 400, /not a journal seq/],
      ['', { 'last-event-id': '1.5' }, 400, /not a journal seq/],
      ['?lastEventId=x', {}, 400, /not a journal seq/],
      ['', { 'last-event-id': '101' }, 409, /past the journal's last seq 100/],
    ];
    for (const [query, headers, status, message] of cases) {
      const res = await a.request(`/api/v1/stream/events${query}`, { headers });
      expect(res.status, query + JSON.stringify(headers)).toBe(status);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(message);
    }
    const pres = await a.request('/api/v1/stream/portfolios?type=X');
    expect(pres.status).toBe(400);
    expect(((await pres.json()) as { error: { message: string } }).error.message).toMatch(
      /"type".*broker, strategyId, lastEventId/,
    );
    expect(subs).toEqual([]);
  });

  it('streams events with their seq as id, resumes after Last-Event-ID, and sends gaps, heartbeats and a final error', async () => {
    const { app: a, subs, timers } = app({ heartbeatMs: 15_000 });
    const res = await a.request(
      '/api/v1/stream/events?type=OrderFilled,SubmitOrder&broker=paper&strategyId=s&correlationId=0190a0b0-0000-7000-8000-000000000001',
      { headers: { 'last-event-id': '40' } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(subs).toHaveLength(1);
    expect(subs[0]!.afterSeq).toBe(40);
    expect(subs[0]!.filter).toEqual({
      types: ['OrderFilled', 'SubmitOrder'],
      broker: 'paper',
      strategyId: 's',
      correlationId: '0190a0b0-0000-7000-8000-000000000001',
    });
    const r = frameReader(res);
    expect(await r.next()).toEqual({ comment: 'open' });
    await subs[0]!.onEvent(event(41));
    subs[0]!.onGap({ fromSeq: 42, toSeq: 50 });
    for (const fn of timers.intervals.values()) fn();
    await subs[0]!.onEvent(event(51));
    subs[0]!.onError(new Error('the journal at /srv/data/journal could not be read'));
    expect(await r.next()).toEqual({ id: '41', data: event(41) });
    expect(await r.next()).toMatchObject({
      event: 'gap',
      data: { fromSeq: 42, toSeq: 50, message: expect.stringMatching(/42\.\.50/) },
    });
    expect((await r.next())?.comment).toBeDefined();
    expect(await r.next()).toEqual({ id: '51', data: event(51) });
    const last = await r.next();
    expect(last).toMatchObject({ event: 'error', data: { code: 'STREAM_ENDED' } });
    expect(JSON.stringify(last)).not.toContain('/srv/data');
    expect(await r.next()).toBeNull();
    expect(timers.intervals.size).toBe(0);
  });

  it('takes the lastEventId parameter when no header is sent, and starts from now with neither', async () => {
    const { app: a, subs } = app();
    await a.request('/api/v1/stream/events?lastEventId=7');
    await a.request('/api/v1/stream/events?lastEventId=7', { headers: { 'last-event-id': '9' } });
    await a.request('/api/v1/stream/events');
    expect(subs.map((s) => s.afterSeq)).toEqual([7, 9, null]);
  });

  it('disconnects a client that leaves too many frames unread, with a final error, and unsubscribes', async () => {
    const { app: a, subs } = app({ maxQueued: 4 });
    const res = await a.request('/api/v1/stream/events', { headers: { 'last-event-id': '0' } });
    // The opening comment is queued, so 3 events fill it; the 4th is one too many.
    const waits = [1, 2, 3].map((s) => subs[0]!.onEvent(event(s)));
    // Past half full, a producer that can wait is asked to.
    expect(waits[0]).toBeUndefined();
    expect(waits[1]).toBeInstanceOf(Promise);
    expect(subs[0]!.stopped).toBe(false);
    subs[0]!.onEvent(event(4));
    expect(subs[0]!.stopped).toBe(true);
    const r = frameReader(res);
    const got: (Frame | null)[] = [];
    for (let f = await r.next(); f !== null; f = await r.next()) got.push(f);
    expect(got.map((f) => f?.id ?? f?.event ?? f?.comment)).toEqual([
      'open',
      '1',
      '2',
      '3',
      '4',
      'error',
    ]);
    expect(got.at(-1)?.data).toMatchObject({ code: 'CLIENT_TOO_SLOW' });
    // The producer that waited for room is let go.
    await waits[1];
  });

  it('lets a waiting producer go on once the client has read half of what is queued', async () => {
    const { app: a, subs } = app({ maxQueued: 8 });
    const res = await a.request('/api/v1/stream/events', { headers: { 'last-event-id': '0' } });
    const waits = [1, 2, 3, 4, 5].map((s) => subs[0]!.onEvent(event(s)));
    expect(waits.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    let resumed = false;
    void waits[4]!.then(() => (resumed = true));
    const r = frameReader(res);
    for (const id of [undefined, '1', '2']) expect((await r.next())?.id).toBe(id);
    await Promise.resolve();
    expect(resumed).toBe(true);
    expect(subs[0]!.stopped).toBe(false);
  });

  it('ends every open stream on closeAll, telling each client to reconnect', async () => {
    const ev = fakeEvents();
    const a = router();
    const streams = streamRoutes(a, {
      events: ev.events,
      portfolios: fakePortfolios([]).source,
      timers: fakeTimers().timers,
    });
    const res = [
      await a.request('/api/v1/stream/events'),
      await a.request('/api/v1/stream/portfolios'),
    ];
    streams.closeAll();
    for (const x of res) {
      const r = frameReader(x);
      await r.next();
      expect(await r.next()).toMatchObject({ event: 'error', data: { code: 'SERVER_STOPPING' } });
      expect(await r.next()).toBeNull();
    }
    expect(ev.subs[0]!.stopped).toBe(true);
  });

  it('unsubscribes when the client goes away', async () => {
    const { app: a, subs, timers } = app();
    const res = await a.request('/api/v1/stream/events');
    await frameReader(res).cancel();
    expect(subs[0]!.stopped).toBe(true);
    expect(timers.intervals.size).toBe(0);
  });
});

describe('the portfolio stream route', () => {
  it('sends every portfolio (or those changed after Last-Event-ID), then changes coalesced per window', async () => {
    const pf = fakePortfolios([
      portfolio('a', 10, 1),
      portfolio('b', 30, 2),
      portfolio('c', 20, 3),
    ]);
    const { app: a, timers } = app({
      portfolios: pf.source,
      renderPortfolio: (v) => ({ strategyId: v.strategyId, cash: { paise: v.cash } }),
    });
    const res = await a.request('/api/v1/stream/portfolios');
    const r = frameReader(res);
    expect(await r.next()).toEqual({ comment: 'open' });
    const ids = async (n: number) => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const f = await r.next();
        out.push(`${f?.id}:${(f?.data as { strategyId: string }).strategyId}`);
      }
      return out;
    };
    expect(await ids(3)).toEqual(['10:a', '20:c', '30:b']);

    // A burst: a changes three times, c once; one frame each once the window closes, in seq order.
    pf.change('a', 31, 10);
    pf.change('c', 32, 30);
    pf.change('a', 33, 11);
    pf.change('a', 34, 12);
    expect(timers.timeouts.size).toBe(1);
    timers.fireTimeouts();
    const c = await r.next();
    expect(c).toEqual({ id: '32', data: { changedSeq: 32, strategyId: 'c', cash: { paise: 30 } } });
    expect(await r.next()).toEqual({
      id: '34',
      data: { changedSeq: 34, strategyId: 'a', cash: { paise: 12 } },
    });
    pf.change('b', 40, 5);
    timers.fireTimeouts();
    expect(await ids(1)).toEqual(['40:b']);
    await r.cancel();
    expect(pf.listeners.size).toBe(0);

    // Resumed: only what changed after the id, filtered.
    const again = await a.request('/api/v1/stream/portfolios?strategyId=a', {
      headers: { 'last-event-id': '33' },
    });
    const r2 = frameReader(again);
    await r2.next();
    pf.change('b', 41, 6);
    pf.change('a', 42, 13);
    timers.fireTimeouts();
    expect((await r2.next())?.id).toBe('34');
    expect((await r2.next())?.id).toBe('42');
    expect(pf.asked).toEqual([null, 33]);
  });
});

describe('the OpenAPI document', () => {
  it('lists both streams as text/event-stream with their parameters', () => {
    const { app: a } = app();
    const doc = a.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    const events = doc.paths?.['/api/v1/stream/events']?.get;
    expect(Object.keys(events?.responses?.['200']?.content ?? {})).toEqual(['text/event-stream']);
    expect(events?.parameters?.map((p) => ('name' in p ? p.name : ''))).toEqual([
      'type',
      'broker',
      'strategyId',
      'correlationId',
      'lastEventId',
      'last-event-id',
    ]);
    expect(doc.paths?.['/api/v1/stream/portfolios']?.get?.tags).toEqual(['Streams']);
  });
});
