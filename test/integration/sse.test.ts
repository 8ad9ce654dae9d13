/**
 * The SSE streams over real HTTP: a trading system on an LMDB journal, the stream routes served on
 * loopback, and a raw SSE client. A client that disconnects mid-stream and reconnects with
 * Last-Event-ID misses nothing and sees nothing twice.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error.js';
import { router } from '../../src/api/openapi.js';
import { streamRoutes, type StreamRoutes } from '../../src/api/routes/streams.js';
import type { JournalRecord } from '../../src/model/index.js';
import {
  eventStream,
  startPortfolioView,
  watchPortfolios,
  type EventStream,
  type PortfolioChanges,
} from '../../src/system/index.js';
import { startTestSystem, type TestSystem } from '../helpers/system.js';
import { EMA_AND_MOMENTUM } from '../helpers/strategies.js';

const STRATEGIES = EMA_AND_MOMENTUM;

interface Frame {
  readonly id?: string;
  readonly event?: string;
  readonly data?: unknown;
}

/** A raw SSE client on node:http: parses `id:`, `event:` and `data:` lines into frames. */
class SseClient {
  readonly frames: Frame[] = [];
  status = 0;
  body = '';
  ended = false;
  private req: ClientRequest;
  private buf = '';

  constructor(port: number, path: string, headers: Record<string, string> = {}) {
    this.req = request({ host: '127.0.0.1', port, path, headers }, (res) => this.take(res));
    this.req.on('error', () => (this.ended = true));
    this.req.end();
  }

  /** Frames that carry an id (the records), in order of arrival. */
  get events(): Frame[] {
    return this.frames.filter((f) => f.id !== undefined);
  }

  /** Drops the connection now, mid-stream. */
  disconnect(): void {
    this.req.destroy();
  }

  private take(res: IncomingMessage): void {
    this.status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (this.status !== 200) {
        this.body += chunk;
        return;
      }
      this.buf += chunk;
      for (let i = this.buf.indexOf('\n\n'); i >= 0; i = this.buf.indexOf('\n\n')) {
        const block = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        const f: { id?: string; event?: string; data?: unknown } = {};
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) f.id = line.slice(4);
          else if (line.startsWith('event: ')) f.event = line.slice(7);
          else if (line.startsWith('data: ')) f.data = JSON.parse(line.slice(6));
        }
        if (f.id !== undefined || f.event !== undefined) this.frames.push(f);
      }
    });
    res.on('end', () => (this.ended = true));
    res.on('close', () => (this.ended = true));
  }
}

/** Polls `ok` until it holds, failing with `what` after 20 s. */
async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 4000; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Rig {
  readonly t: TestSystem;
  readonly port: number;
  readonly streams: StreamRoutes;
  readonly portfolios: PortfolioChanges;
  /** Subscriptions open on the event stream now. */
  open(): number;
}

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function rig(): Promise<Rig> {
  const t = await startTestSystem({ strategies: STRATEGIES });
  const readModel = startPortfolioView(t.system, null);
  const inner = eventStream(t.system, t.transport);
  let open = 0;
  // Counts subscriptions, to see the server let go of a client that left.
  const events: EventStream = {
    latestSeq: () => inner.latestSeq(),
    subscribe(after, filter, onEvent, onError, onGap) {
      open++;
      const stop = inner.subscribe(after, filter, onEvent, onError, onGap);
      let stopped = false;
      return () => {
        if (!stopped) open--;
        stopped = true;
        stop();
      };
    },
  };
  const app = router();
  const portfolios = watchPortfolios(t.system, readModel);
  const streams = streamRoutes(app, {
    events,
    portfolios,
    coalesceMs: 20,
  });
  app.onError((err, c) =>
    err instanceof ApiError
      ? c.json({ error: { code: err.code, message: err.message } }, err.status)
      : c.json({ error: { code: 'INTERNAL', message: String(err) } }, 500),
  );
  const server: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  cleanup = async () => {
    streams.closeAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  };
  return {
    t,
    port: (server.address() as AddressInfo).port,
    streams,
    portfolios,
    open: () => open,
  };
}

/** The journal's records after `after`, ticks left out. */
async function recordsAfter(t: TestSystem, after: number): Promise<JournalRecord[]> {
  return (await t.journal()).filter((r) => r.seq > after && r.type !== 'MarketTick');
}

describe('SSE /api/v1/stream/events', () => {
  it('resumes with Last-Event-ID after a disconnect mid-stream: nothing missed, nothing twice', async () => {
    const { t, port, open } = await rig();
    t.feed(3_000);
    const before = await recordsAfter(t, 0);
    const start = before[30]!.seq;

    const first = new SseClient(port, '/api/v1/stream/events', { 'Last-Event-ID': String(start) });
    await until('the first 100 events', () => first.events.length >= 100);
    // More records while it reads: it is mid-stream when it leaves.
    t.feed(1_000);
    const n = first.events.length;
    first.disconnect();
    const seen1 = first.events.slice(0, n);
    await until('the server to drop the subscription', () => open() === 0);

    // Records journaled while it is away.
    t.feed(2_000);
    t.system.setTradingState('paper', 'HALTED', 'lunch');
    const lastId = seen1.at(-1)!.id!;
    const second = new SseClient(port, '/api/v1/stream/events', { 'Last-Event-ID': lastId });
    const expected = await recordsAfter(t, start);
    const lastSeq = expected.at(-1)!.seq;
    await until('the second client to reach the end', () =>
      second.events.some((f) => Number(f.id) === lastSeq),
    );
    second.disconnect();

    const union = [...seen1, ...second.events].map((f) => Number(f.id));
    expect(union).toEqual(expected.map((r) => r.seq));
    expect(new Set(union).size).toBe(union.length);
    // Each event is its record: type and data as journaled, id and data's seq the same.
    const bySeq = new Map(expected.map((r) => [r.seq, r]));
    for (const f of [...seen1, ...second.events]) {
      const d = f.data as { seq: number; type: string; data: unknown };
      const r = bySeq.get(Number(f.id))!;
      expect(d.seq).toBe(r.seq);
      expect(d.type).toBe(r.type);
      expect(d.data).toEqual(JSON.parse(JSON.stringify(r.data)));
    }
    expect(seen1.length).toBeLessThan(expected.length);
    expect(expected.some((r) => r.type === 'TradingStateChanged')).toBe(true);
  });

  it('filters by type and strategy, live as well as from the journal', async () => {
    const { t, port } = await rig();
    t.feed(2_000);
    const c = new SseClient(
      port,
      '/api/v1/stream/events?type=SubmitOrder,OrderFilled&strategyId=mom_b',
      {
        'Last-Event-ID': '0',
      },
    );
    t.feed(2_000);
    const expected = (await recordsAfter(t, 0)).filter(
      (r) =>
        (r.type === 'SubmitOrder' || r.type === 'OrderFilled') &&
        (r.data as { strategyId: string }).strategyId === 'mom_b',
    );
    expect(expected.length).toBeGreaterThan(4);
    const last = String(expected.at(-1)!.seq);
    await until('the last filtered record', () => c.events.some((f) => f.id === last));
    expect(c.events.map((f) => Number(f.id))).toEqual(expected.map((r) => r.seq));
    c.disconnect();
  });

  it('answers 400 for a bad Last-Event-ID or an unknown parameter, before any stream', async () => {
    const { port } = await rig();
    const bad = new SseClient(port, '/api/v1/stream/events', { 'Last-Event-ID': 'yesterday' });
    const typo = new SseClient(port, '/api/v1/stream/events?strategy=mom_b');
    await until('both answers', () => bad.ended && typo.ended);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: 'BAD_LAST_EVENT_ID' } });
    expect(typo.status).toBe(400);
    expect(JSON.parse(typo.body).error.message).toMatch(/"strategy".*strategyId/);
  });
});

describe('SSE /api/v1/stream/portfolios', () => {
  it('sends every portfolio, then its changes, and on resume only those changed after Last-Event-ID', async () => {
    const { t, port, portfolios } = await rig();
    t.feed(1_000);
    const view = (f: Frame) => f.data as { strategyId: string; changedSeq: number; cash: number };
    const first = new SseClient(port, '/api/v1/stream/portfolios');
    await until('both portfolios', () => first.events.length >= 2);
    // Every portfolio at once, oldest change first, each with the seq of its change as id.
    const now = portfolios.changedAfter(null);
    expect(first.events.slice(0, 2).map((f) => [Number(f.id), view(f).strategyId])).toEqual(
      now.map((p) => [p.changedSeq, p.view.strategyId]),
    );
    t.feed(1_000);
    await until('a change', () => first.events.length >= 3);
    first.disconnect();
    const ids1 = first.events.map((f) => Number(f.id));
    expect(ids1).toEqual([...ids1].sort((a, b) => a - b));
    const lastId = ids1.at(-1)!;

    t.feed(1_000);
    // What changed while it was away: the resumed stream opens with exactly these, as they are now.
    const missed = portfolios.changedAfter(lastId);
    expect(missed.length).toBeGreaterThan(0);
    const second = new SseClient(port, '/api/v1/stream/portfolios', {
      'Last-Event-ID': String(lastId),
    });
    await until('the resumed portfolios', () => second.events.length >= missed.length);
    expect(second.events.map((f) => [Number(f.id), view(f).strategyId, view(f).cash])).toEqual(
      missed.map((p) => [p.changedSeq, p.view.strategyId, p.view.cash]),
    );
    second.disconnect();

    // Resumed with nothing changed since: it opens with nothing, then only what changes next.
    const upTo = Number(second.events.at(-1)!.id);
    const third = new SseClient(port, '/api/v1/stream/portfolios', {
      'Last-Event-ID': String(upTo),
    });
    await until('the third stream to open', () => third.status === 200);
    t.feed(1_000);
    await until('a change', () => third.events.length >= 1);
    for (const f of third.events) expect(Number(f.id)).toBeGreaterThan(upTo);
    third.disconnect();
  });
});
