/**
 * KiteTicker: our own client for Kite Connect's market-data WebSocket, with watchdogs.
 *
 * Why our own: kiteconnect's KiteTicker calls `process.exit(1)` when its retries run out (and on
 * `disconnect()` with auto-reconnect on) and keeps its socket and flags in module variables, so two
 * tickers in one process share a socket (STACK-NOTES "kiteconnect"). This client uses `ws` and our
 * decoder (decode.ts), never throws out of a socket handler, and reports failures as data: gaps
 * (`onGap`), statuses (`onStatus`) and messages (`onError`).
 *
 * Protocol: connect `<url>?api_key=…&access_token=…`; send `{"a":"subscribe","v":[tokens]}` and
 * `{"a":"mode","v":["full",[tokens]]}` on every (re)connect; binary messages are 1-byte
 * heartbeats (one a second) or frames of packets; text messages are JSON (`order`, `error`,
 * `message`). A refused token fails the upgrade with HTTP 403.
 *
 * Sharding: Kite allows 3 WebSocket connections per API key and 3000 instruments per connection,
 * so tokens are split in order into chunks of 3000, one connection each, and more than 9000 throw
 * at construction. With no tokens one connection still opens: order updates come over it. Kite
 * sends an order update on every connection, so one seen on another connection lately (the same
 * raw text) is delivered once.
 *
 * Watchdogs (every timer goes through `timers`, so tests and replay can drive them):
 * - connection: no frame of any kind (tick, heartbeat, text, or a pong to our own ping every
 *   `pingEveryMs`) for `staleAfterMs`, or no handshake within it, terminates the socket at once
 *   (`terminate()`, never a close handshake: a dead network never answers one), opens a gap and
 *   reconnects with backoff. A check timer is armed for the end of the silence allowed and re-armed
 *   for the rest when a frame came meanwhile, so a dead network is noticed within `staleAfterMs`
 *   plus one timer tick, without a timer per frame.
 * - instrument: a subscribed token with no packet for `instrumentStaleMs` of observed market hours
 *   (`isMarketOpen(now)`, polled) opens a gap for that token once; its next packet closes it.
 *   Heartbeats do not count; an index packet does (it is data of that instrument though it is not
 *   a tick of `onTicks`).
 *
 * Gaps: a connection's gap opens once (socket closed, watchdog, connect failure, 403, no token,
 * `reconnect()`) with `since` = its last frame (or `start()`), and closes once at the first frame
 * after reconnecting; failed retries meanwhile open no new gap. `stop()` opens none: the session
 * ends there. Backoff doubles from `initialMs` to `maxMs` and resets once a connection has received
 * a frame. `accessToken()` is read on every connect: null waits ('waiting-for-token') for
 * `reconnect()`; a 403 waits too and, until `reconnect()`, connects again only once
 * `accessToken()` returns a different token (polled at the backoff delay).
 */
import type WebSocket from 'ws';
import type { MarketTick } from '../../model/index.js';
import { SystemClock } from '../../runtime/index.js';
import { decodeMessage, marketTickOf } from './decode.js';
import { messageOf, TickerConnection, type ConnectionSink } from './ws-connection.js';

/** Kite's limits: WebSocket connections per API key, instruments per connection. */
export const KITE_MAX_CONNECTIONS = 3;
export const KITE_MAX_TOKENS_PER_CONNECTION = 3000;
/** Order updates remembered to drop the copies other connections deliver. */
const ORDER_DEDUP_WINDOW = 256;

export interface TickerTimers {
  /** Epoch ms. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A gap in market data: replay must know data is missing. */
export interface FeedGapNotice {
  phase: 'opened' | 'closed';
  scope: 'connection' | 'instrument';
  /** Index of the connection (0..2). */
  connection: number;
  /** Instruments without data: the connection's, or the one. */
  tokens: readonly number[];
  /** Ms: last frame (connection) / last tick (instrument) before the gap. */
  since: number;
  /** Closed: when data resumed, ms. */
  until?: number;
  reason: string;
}

export interface TickerStatus {
  connection: number;
  state: 'connecting' | 'open' | 'waiting-for-token' | 'backoff' | 'stopped';
  tokens: number;
  lastFrameAt: number | null;
  reconnects: number;
}

export interface KiteTickerOptions {
  url: string;
  apiKey: string;
  /** Read afresh on every connect; null: no session, wait for reconnect(). */
  accessToken(): string | null;
  /** At most 3 × 3000 instrument tokens. */
  tokens: readonly number[];
  mode?: 'full';
  /** Connection watchdog, ms. */
  staleAfterMs: number;
  /** Our own WebSocket ping on each open socket, ms. */
  pingEveryMs: number;
  /** Per-instrument watchdog in market hours, ms. */
  instrumentStaleMs: number;
  isMarketOpen(ms: number): boolean;
  backoff: { initialMs: number; maxMs: number };
  timers?: TickerTimers;
  /** One call per binary frame with at least one tradable tick. */
  onTicks(ticks: MarketTick[], connection: number): void;
  onOrderUpdate(data: unknown, raw: string): void;
  onGap(gap: FeedGapNotice): void;
  onStatus?(s: TickerStatus): void;
  onError?(message: string): void;
}

/** The host's clock and timers. */
export function systemTimers(): TickerTimers {
  const clock = new SystemClock();
  return {
    now: () => clock.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

/** Splits tokens (duplicates dropped) into Kite's connection chunks; throws beyond 9000. */
export function shardTokens(tokens: readonly number[]): number[][] {
  const unique = [...new Set(tokens)];
  const max = KITE_MAX_CONNECTIONS * KITE_MAX_TOKENS_PER_CONNECTION;
  if (unique.length > max)
    throw new Error(
      `KiteTicker: ${unique.length} instrument tokens exceed Kite's limit of ${max} ` +
        `(${KITE_MAX_CONNECTIONS} connections × ${KITE_MAX_TOKENS_PER_CONNECTION} instruments per API key): subscribe fewer`,
    );
  const bad = unique.find((t) => !Number.isSafeInteger(t) || t <= 0);
  if (bad !== undefined)
    throw new Error(`KiteTicker: instrument token ${bad} is not a positive integer`);
  const chunks: number[][] = [];
  for (let i = 0; i < unique.length; i += KITE_MAX_TOKENS_PER_CONNECTION)
    chunks.push(unique.slice(i, i + KITE_MAX_TOKENS_PER_CONNECTION));
  return chunks.length > 0 ? chunks : [[]];
}

/** Per-token watchdog state. */
interface Watched {
  readonly connection: number;
  lastTickAt: number | null;
  /** `since` of the open instrument gap, or null. */
  gapSince: number | null;
}

/** Kite's market-data WebSocket client: sharded connections, watchdogs, gaps as data. */
export class KiteTicker {
  private readonly timers: TickerTimers;
  private readonly connections: TickerConnection[];
  private readonly watched = new Map<number, Watched>();
  private readonly orders = new Map<string, number>();
  private running = false;
  private startedAt = 0;
  /** When market hours were last seen to begin (or start()), ms; null while closed. */
  private marketOpenFrom: number | null = null;
  private instrumentTimer: unknown = null;

  constructor(private readonly opts: KiteTickerOptions) {
    for (const [name, v] of Object.entries({
      staleAfterMs: opts.staleAfterMs,
      pingEveryMs: opts.pingEveryMs,
      instrumentStaleMs: opts.instrumentStaleMs,
      'backoff.initialMs': opts.backoff.initialMs,
      'backoff.maxMs': opts.backoff.maxMs,
    }))
      if (!(v > 0))
        throw new Error(`KiteTicker: ${name} must be a positive number of ms, got ${v}`);
    if (!URL.canParse(opts.url)) throw new Error(`KiteTicker: url ${opts.url} is not a URL`);
    if (opts.mode !== undefined && opts.mode !== 'full')
      throw new Error(`KiteTicker: mode ${String(opts.mode)} is not supported, only 'full'`);
    this.timers = opts.timers ?? systemTimers();
    const sink: ConnectionSink = {
      message: (i, data, isBinary) => this.received(i, data, isBinary),
      gap: (g) => this.call('onGap', () => opts.onGap(g)),
      status: (s) => this.call('onStatus', () => opts.onStatus?.(s)),
      error: (m) => this.error(m),
    };
    this.connections = shardTokens(opts.tokens).map(
      (chunk, i) => new TickerConnection(i, chunk, opts, this.timers, sink),
    );
    this.connections.forEach((c) =>
      c.tokens.forEach((t) =>
        this.watched.set(t, { connection: c.index, lastTickAt: null, gapSince: null }),
      ),
    );
  }

  /** Opens every connection and starts the instrument watchdog. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.timers.now();
    for (const c of this.connections) c.start();
    this.checkInstruments();
  }

  /** Drops every connection now and reconnects at once with a fresh token (after a new login). */
  reconnect(reason: string): void {
    for (const c of this.connections) c.reconnect(reason);
  }

  /** Closes every socket and timer; no reconnects. Resolves when the sockets have closed. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.instrumentTimer !== null) this.timers.clearTimeout(this.instrumentTimer);
    this.instrumentTimer = null;
    await Promise.all(this.connections.map((c) => c.stop()));
  }

  status(): TickerStatus[] {
    return this.connections.map((c) => c.status());
  }

  private received(connection: number, data: WebSocket.RawData, isBinary: boolean): void {
    if (!isBinary) return this.text(rawText(data));
    let message;
    try {
      message = decodeMessage(rawBytes(data));
    } catch (e) {
      return this.error(`connection ${connection}: undecodable frame: ${messageOf(e)}`);
    }
    if (message.kind === 'heartbeat') return;
    const now = this.timers.now();
    const ticks: MarketTick[] = [];
    for (const packet of message.packets) {
      this.ticked(packet.token, now);
      if (!packet.tradable) continue;
      try {
        ticks.push(marketTickOf(packet, now));
      } catch (e) {
        this.error(`connection ${connection}: packet of ${packet.token} skipped: ${messageOf(e)}`);
      }
    }
    if (ticks.length > 0) this.call('onTicks', () => this.opts.onTicks(ticks, connection));
  }

  private text(raw: string): void {
    let m: { type?: unknown; data?: unknown };
    try {
      m = JSON.parse(raw) as typeof m;
    } catch (e) {
      return this.error(`undecodable text frame (${messageOf(e)}): ${raw.slice(0, 200)}`);
    }
    if (m === null || typeof m !== 'object') return;
    if (m.type === 'order') {
      if (this.seenElsewhere(raw)) return;
      this.call('onOrderUpdate', () => this.opts.onOrderUpdate(m.data, raw));
    } else if (m.type === 'error') this.error(`Kite error: ${String(m.data)}`);
  }

  /** Whether another connection delivered this very order update lately (Kite sends it to each). */
  private seenElsewhere(raw: string): boolean {
    const total = this.connections.length;
    if (total === 1) return false;
    const seen = (this.orders.get(raw) ?? 0) + 1;
    this.orders.delete(raw);
    if (seen < total) this.orders.set(raw, seen);
    if (this.orders.size > ORDER_DEDUP_WINDOW) this.orders.delete(this.orders.keys().next().value!);
    return seen > 1;
  }

  /** A packet of `token` arrived: feeds its watchdog and closes its gap. */
  private ticked(token: number, now: number): void {
    const w = this.watched.get(token);
    if (w === undefined) return;
    w.lastTickAt = now;
    if (w.gapSince === null) return;
    const since = w.gapSince;
    w.gapSince = null;
    this.instrumentGap(w, token, { phase: 'closed', since, until: now });
  }

  /** The instrument watchdog: opens a gap per token silent for `instrumentStaleMs` in hours. */
  private checkInstruments(): void {
    this.instrumentTimer = null;
    if (!this.running) return;
    const stale = this.opts.instrumentStaleMs;
    const now = this.timers.now();
    let open = false;
    try {
      open = this.opts.isMarketOpen(now);
    } catch (e) {
      this.error(`isMarketOpen(${now}) threw: ${messageOf(e)}`);
    }
    const poll = Math.max(1, Math.ceil(stale / 4));
    let next = now + poll;
    if (!open) this.marketOpenFrom = null;
    else {
      this.marketOpenFrom ??= now;
      const from = Math.max(this.marketOpenFrom, this.startedAt);
      for (const [token, w] of this.watched) {
        if (w.gapSince !== null) continue;
        const due = Math.max(from, w.lastTickAt ?? from) + stale;
        if (due > now) next = Math.min(next, due);
        else {
          w.gapSince = w.lastTickAt ?? this.startedAt;
          this.instrumentGap(w, token, { phase: 'opened', since: w.gapSince });
        }
      }
    }
    this.instrumentTimer = this.timers.setTimeout(() => this.checkInstruments(), next - now);
  }

  private instrumentGap(
    w: Watched,
    token: number,
    g: { phase: 'opened' | 'closed'; since: number; until?: number },
  ): void {
    const reason = `no tick for ${this.opts.instrumentStaleMs} ms in market hours`;
    const notice: FeedGapNotice = {
      ...g,
      scope: 'instrument',
      connection: w.connection,
      tokens: [token],
      reason,
    };
    this.call('onGap', () => this.opts.onGap(notice));
  }

  /** Runs a user callback; what it throws is reported, never let out to the socket or timer. */
  private call(name: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.error(`${name} threw: ${messageOf(e)}`);
    }
  }

  private error(message: string): void {
    try {
      this.opts.onError?.(message);
    } catch {
      // onError itself failed: nothing is left to report to.
    }
  }
}

function rawBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function rawText(data: WebSocket.RawData): string {
  const bytes = rawBytes(data);
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)).toString('utf8');
}
