import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { kiteFixture, kitePacket } from '../../../test/helpers/fixtures.js';
import type { MarketTick } from '../../model/index.js';
import { decodePacket, marketTickOf } from './decode.js';
import {
  KiteTicker,
  type FeedGapNotice,
  type KiteTickerOptions,
  type TickerStatus,
  type TickerTimers,
} from './ws.js';

const FULL = Buffer.from(kitePacket('ticker_full.packet').toString('latin1').trim(), 'base64');
const FULL_FRAME_JS = kitePacket('ticker_fullMode_kiteconnectjs.packet');
const [T1, T2, T3] = [408065, 884737, 738561];

/** A frame of one packet: the fixture's full packet, re-tokened when asked. */
function frame(token = T1): Buffer {
  const packet = Buffer.from(FULL);
  packet.writeUInt32BE(token, 0);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(1, 0);
  head.writeUInt16BE(packet.length, 2);
  return Buffer.concat([head, packet]);
}

interface Peer {
  token: string;
  socket: WebSocket;
  messages: unknown[];
  heartbeat?: ReturnType<typeof setInterval>;
}

const tokenOf = (req: IncomingMessage) =>
  new URL(req.url ?? '/', 'ws://x').searchParams.get('access_token') ?? '';

/** A tiny Kite ticker server: checks the token on upgrade, records connects, beats every 20 ms. */
class FakeKite {
  readonly tried: { token: string; at: number }[] = [];
  readonly peers: Peer[] = [];
  valid: (token: string) => boolean = () => true;
  /** HTTP statuses refusing the next upgrades, one each. */
  readonly refuse: number[] = [];
  private readonly server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number) => void) => {
      const token = tokenOf(info.req);
      this.tried.push({ token, at: Date.now() });
      const refused = this.refuse.shift();
      done(refused === undefined && this.valid(token), refused ?? 403);
    },
  }).on('connection', (socket, req) => {
    const peer: Peer = { token: tokenOf(req), socket, messages: [] };
    peer.heartbeat = setInterval(() => socket.send(Buffer.from([0])), 20);
    socket.on('message', (m) => peer.messages.push(JSON.parse(String(m))));
    socket.on('close', () => clearInterval(peer.heartbeat));
    this.peers.push(peer);
  });

  static async start(): Promise<FakeKite> {
    const kite = new FakeKite();
    await new Promise((r) => kite.server.once('listening', r));
    return kite;
  }
  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }
  get open(): number {
    return this.server.clients.size;
  }
  /** The peer that has received its subscribe and mode messages. */
  async subscribed(n: number): Promise<Peer> {
    await vi.waitFor(() => expect(this.peers[n]?.messages.length).toBe(2), WAIT);
    return this.peers[n]!;
  }
  async close(): Promise<void> {
    for (const p of this.peers) clearInterval(p.heartbeat);
    for (const c of this.server.clients) c.terminate();
    await new Promise((r) => this.server.close(r));
  }
}

const WAIT = { timeout: 5000, interval: 5 };

/** Timers that move only when told; counts what is pending. */
class ManualTimers implements TickerTimers {
  t = 1_700_000_000_000;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  private id = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    this.due.set(++this.id, { at: this.t + ms, fn });
    return this.id;
  };
  clearTimeout = (h: unknown) => void this.due.delete(h as number);
  pending = () => this.due.size;
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.due].sort((a, b) => a[1].at - b[1].at)[0];
      if (next === undefined || next[1].at > end) break;
      this.due.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}

/** The host's timers, counting the pending ones. */
function countedTimers(): TickerTimers & { live: Set<unknown> } {
  const live = new Set<unknown>();
  return {
    live,
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      const h = setTimeout(() => (live.delete(h), fn()), ms);
      live.add(h);
      return h;
    },
    clearTimeout: (h) => (live.delete(h), clearTimeout(h as ReturnType<typeof setTimeout>)),
  };
}

interface Rig {
  ticker: KiteTicker;
  ticks: { ticks: MarketTick[]; connection: number }[];
  orders: { data: unknown; raw: string }[];
  gaps: (FeedGapNotice & { at: number })[];
  statuses: TickerStatus[];
  errors: string[];
}

let kite: FakeKite;
const tickers: KiteTicker[] = [];

function rig(over: Partial<KiteTickerOptions> = {}): Rig {
  const r: Omit<Rig, 'ticker'> = { ticks: [], orders: [], gaps: [], statuses: [], errors: [] };
  const ticker = new KiteTicker({
    url: kite.url,
    apiKey: 'key',
    accessToken: () => 'good',
    tokens: [T1],
    staleAfterMs: 150,
    pingEveryMs: 50,
    instrumentStaleMs: 60_000,
    isMarketOpen: () => false,
    backoff: { initialMs: 40, maxMs: 1000 },
    onTicks: (ticks, connection) => r.ticks.push({ ticks, connection }),
    onOrderUpdate: (data, raw) => r.orders.push({ data, raw }),
    onGap: (g) => r.gaps.push({ ...g, at: Date.now() }),
    onStatus: (s) => r.statuses.push(s),
    onError: (m) => r.errors.push(m),
    ...over,
  });
  tickers.push(ticker);
  return { ticker, ...r };
}

const connGaps = (r: Rig) => r.gaps.filter((g) => g.scope === 'connection');

afterEach(async () => {
  await Promise.all(tickers.splice(0).map((t) => t.stop()));
  await kite.close();
});

describe('KiteTicker', () => {
  it('subscribes in full mode, delivers ticks and order updates, survives bad frames', async () => {
    kite = await FakeKite.start();
    const r = rig({ tokens: [T1, T2] });
    r.ticker.start();
    const peer = await kite.subscribed(0);
    expect(peer.token).toBe('good');
    expect(peer.messages).toEqual([
      { a: 'subscribe', v: [T1, T2] },
      { a: 'mode', v: ['full', [T1, T2]] },
    ]);
    const order = kiteFixture<{ data: unknown }>('postback.json');
    const raw = JSON.stringify({ type: 'order', data: order });
    for (const m of [
      frame(),
      FULL_FRAME_JS,
      Buffer.from([1, 2, 3]),
      raw,
      '{"type":"error","data":"too many"}',
      '{"type":"message","data":"hi"}',
      'not json',
    ])
      peer.socket.send(m);
    await vi.waitFor(() => expect(r.errors).toHaveLength(3), WAIT);
    const now = Date.now();
    expect(r.ticks.map((t) => t.ticks.map((k) => k.token))).toEqual([[T1], [T2]]);
    expect(r.ticks[0]!.ticks[0]).toEqual(marketTickOf(decodePacket(FULL), now));
    expect(r.ticks[1]!.ticks[0]).toEqual(marketTickOf(decodePacket(FULL_FRAME_JS.subarray(4)), 0));
    expect(r.orders).toEqual([{ data: order, raw }]);
    expect(r.errors[0]).toMatch(/undecodable frame/);
    expect(r.errors[1]).toBe('Kite error: too many');
    expect(r.errors[2]).toMatch(/undecodable text frame/);
  });

  it('does not count heartbeats as ticks, and reports a throwing callback', async () => {
    kite = await FakeKite.start();
    const r = rig({
      onTicks: () => {
        throw new Error('boom');
      },
    });
    r.ticker.start();
    const peer = await kite.subscribed(0);
    const lastFrame = () => r.ticker.status()[0]!.lastFrameAt ?? 0;
    await vi.waitFor(() => expect(lastFrame()).toBeGreaterThan(0), WAIT);
    const seen = lastFrame();
    await vi.waitFor(() => expect(lastFrame()).toBeGreaterThan(seen), WAIT);
    expect(r.errors).toEqual([]);
    peer.socket.send(frame());
    await vi.waitFor(() => expect(r.errors).toEqual(['onTicks threw: boom']), WAIT);
  });

  it('replaces a silent server within staleAfterMs and resubscribes', async () => {
    kite = await FakeKite.start();
    const r = rig({ tokens: [T1, T2] });
    r.ticker.start();
    const first = await kite.subscribed(0);
    clearInterval(first.heartbeat);
    first.socket.pause(); // a dead network: no heartbeats, no pongs to our pings
    const second = await kite.subscribed(1);
    expect(second.messages).toEqual(first.messages);
    await vi.waitFor(() => expect(connGaps(r)).toHaveLength(2), WAIT);
    const [opened, closed] = connGaps(r);
    expect(opened).toMatchObject({ phase: 'opened', reason: 'no frame for 150 ms (watchdog)' });
    expect(opened!.at - opened!.since).toBeGreaterThanOrEqual(150);
    expect(opened!.at - opened!.since).toBeLessThan(150 + 60);
    expect(closed).toMatchObject({ phase: 'closed', since: opened!.since, tokens: [T1, T2] });
    expect(r.ticker.status()[0]).toMatchObject({ state: 'open', reconnects: 1 });
  });

  it('keeps a socket that answers pings though it sends nothing', async () => {
    kite = await FakeKite.start();
    const r = rig({ pingEveryMs: 30 });
    r.ticker.start();
    const peer = await kite.subscribed(0);
    clearInterval(peer.heartbeat);
    const from = Date.now();
    await vi.waitFor(
      () => expect(r.ticker.status()[0]!.lastFrameAt).toBeGreaterThan(from + 450),
      WAIT,
    );
    expect(r.gaps).toEqual([]);
    expect(kite.peers).toHaveLength(1);
  });

  it('reconnects a dropped socket with backoff and a fresh token, one gap throughout', async () => {
    kite = await FakeKite.start();
    let n = 0;
    const r = rig({ accessToken: () => `tok${++n}` });
    r.ticker.start();
    await kite.subscribed(0);
    kite.refuse.push(503, 503);
    kite.peers[0]!.socket.terminate();
    await kite.subscribed(1);
    expect(kite.tried.map((t) => t.token)).toEqual(['tok1', 'tok2', 'tok3', 'tok4']);
    expect(kite.peers[1]!.token).toBe('tok4');
    const waits = kite.tried.slice(1).map((t, i) => t.at - kite.tried[i]!.at);
    expect(waits[1]).toBeGreaterThanOrEqual(80 - 10);
    expect(waits[2]).toBeGreaterThanOrEqual(160 - 10);
    await vi.waitFor(() => expect(connGaps(r)).toHaveLength(2), WAIT);
    expect(connGaps(r).map((g) => [g.phase, g.reason])).toEqual([
      ['opened', 'socket closed (1006)'],
      ['closed', 'socket closed (1006)'],
    ]);
    // The frame after reconnecting reset the backoff: the next drop waits initialMs, not 320 ms.
    const dropped = Date.now();
    kite.peers[1]!.socket.terminate();
    await kite.subscribed(2);
    expect(kite.tried[4]!.at - dropped).toBeLessThan(260);
    expect(kite.peers[2]!.token).toBe('tok5');
  });

  it('waits after a 403 until the token changes and reconnect() is called', async () => {
    kite = await FakeKite.start();
    kite.valid = (t) => t === 'good';
    let token = 'bad';
    const r = rig({ accessToken: () => token });
    r.ticker.start();
    await vi.waitFor(() => expect(r.ticker.status()[0]!.state).toBe('waiting-for-token'), WAIT);
    expect(r.errors).toEqual(['connection 0: token refused (403): log in again']);
    expect(r.gaps).toMatchObject([{ phase: 'opened', reason: 'token refused (403)' }]);
    token = 'good';
    r.ticker.reconnect('new login');
    await kite.subscribed(0);
    expect(kite.tried.map((t) => t.token)).toEqual(['bad', 'good']);
    await vi.waitFor(() => expect(r.gaps.map((g) => g.phase)).toEqual(['opened', 'closed']), WAIT);
  });

  it('without a session waits for reconnect(), then connects with the new token', async () => {
    kite = await FakeKite.start();
    let token: string | null = null;
    const r = rig({ accessToken: () => token });
    r.ticker.start();
    expect(r.ticker.status()[0]!.state).toBe('waiting-for-token');
    expect(r.gaps).toMatchObject([{ phase: 'opened', reason: /no access token/ }]);
    token = 'fresh';
    r.ticker.reconnect('login');
    expect((await kite.subscribed(0)).token).toBe('fresh');
    expect(kite.tried).toHaveLength(1);
  });

  it('shards 7000 tokens into 3000/3000/1000 and refuses 9001', async () => {
    kite = await FakeKite.start();
    const tokens = Array.from({ length: 9001 }, (_, i) => (i + 1) * 256 + 1);
    expect(() => rig({ tokens })).toThrow(/9001 .*limit of 9000 \(3 connections × 3000/);
    const r = rig({ tokens: tokens.slice(0, 7000) });
    r.ticker.start();
    const peers = await Promise.all([0, 1, 2].map((i) => kite.subscribed(i)));
    const sizes = peers.map((p) => (p.messages[0] as { v: number[] }).v.length).sort();
    expect(sizes).toEqual([1000, 3000, 3000]);
    expect(peers.flatMap((p) => (p.messages[0] as { v: number[] }).v).sort()).toEqual(
      tokens.slice(0, 7000).sort(),
    );
    expect(r.ticker.status().map((s) => s.tokens)).toEqual([3000, 3000, 1000]);
    // Kite sends each order update on every connection: it is delivered once.
    const updates = ['A', 'B'].map((id) => JSON.stringify({ type: 'order', data: { id } }));
    for (const p of peers) [...updates, frame()].forEach((m) => p.socket.send(m));
    await vi.waitFor(() => expect(r.ticks).toHaveLength(3), WAIT);
    expect(r.orders.map((o) => o.raw)).toEqual(updates);
  });

  it('opens and closes instrument gaps only in market hours', async () => {
    kite = await FakeKite.start();
    const timers = new ManualTimers();
    let open = false;
    const r = rig({
      tokens: [T1, T2, T3],
      timers,
      staleAfterMs: 1e9,
      pingEveryMs: 1e9,
      instrumentStaleMs: 100,
      isMarketOpen: () => open,
    });
    const started = timers.now();
    r.ticker.start();
    const peer = await kite.subscribed(0);
    const tick = async (token: number) => {
      const before = r.ticks.length;
      peer.socket.send(frame(token));
      await vi.waitFor(() => expect(r.ticks.length).toBe(before + 1), WAIT);
    };
    await tick(T1);
    const step = (ms: number) => {
      for (let i = 0; i < ms; i += 10) timers.advance(10);
    };
    step(1000);
    expect(r.gaps).toEqual([]);
    open = true;
    step(90);
    expect(r.gaps).toEqual([]);
    await tick(T3);
    const t3At = timers.now();
    step(90);
    const opened = r.gaps.filter((g) => g.phase === 'opened');
    expect(opened.map((g) => [g.tokens, g.since])).toEqual([
      [[T1], started],
      [[T2], started],
    ]);
    expect(opened[0]).toMatchObject({ scope: 'instrument', reason: /no tick for 100 ms/ });
    step(500);
    expect(r.gaps.map((g) => g.tokens[0])).toEqual([T1, T2, T3]);
    expect(r.gaps[2]!.since).toBe(t3At);
    await tick(T2);
    expect(r.gaps[3]).toMatchObject({ phase: 'closed', tokens: [T2], since: started });
    expect(r.gaps[3]!.until).toBe(timers.now());
    open = false;
    step(1000);
    expect(r.gaps).toHaveLength(4);
    await r.ticker.stop();
    expect(timers.pending()).toBe(0);
  });

  it('stop() leaves no sockets and no timers, and never reconnects', async () => {
    kite = await FakeKite.start();
    const timers = countedTimers();
    const r = rig({ tokens: [T1, T2], timers });
    r.ticker.start();
    await kite.subscribed(0);
    expect(timers.live.size).toBeGreaterThan(0);
    await r.ticker.stop();
    expect(timers.live.size).toBe(0);
    expect(r.ticker.status().map((s) => s.state)).toEqual(['stopped']);
    await vi.waitFor(() => expect(kite.open).toBe(0), WAIT);
    expect(kite.tried).toHaveLength(1);
    expect(connGaps(r)).toEqual([]);
  });
});
