/**
 * One Kite ticker connection (one shard of at most 3000 tokens): its socket's life, its frame
 * watchdog, its ping, its backoff and its connection-scope gaps. KiteTicker (ws.ts) owns three of
 * these and decodes what they receive; see that file's header for the design.
 */
import WebSocket from 'ws';
import type { FeedGapNotice, KiteTickerOptions, TickerStatus, TickerTimers } from './ws.js';

/** What a connection reports to its ticker; every method is already exception-safe. */
export interface ConnectionSink {
  message(connection: number, data: WebSocket.RawData, isBinary: boolean): void;
  gap(notice: FeedGapNotice): void;
  status(status: TickerStatus): void;
  error(message: string): void;
}

type Settings = Pick<
  KiteTickerOptions,
  'url' | 'apiKey' | 'accessToken' | 'staleAfterMs' | 'pingEveryMs' | 'backoff'
>;

/** A Kite ticker connection for one chunk of tokens; reconnects until stopped. */
export class TickerConnection {
  private state: TickerStatus['state'] = 'stopped';
  private running = false;
  private ws: WebSocket | null = null;
  private token: string | null = null;
  /** The token of the last 403, never sent again unless reconnect() is called. */
  private refused: string | null = null;
  private lastFrameAt: number | null = null;
  /** When the watchdog last saw life: the connect attempt's start or the last frame, ms. */
  private lastLifeAt = 0;
  private framedSinceOpen = false;
  private lastError: string | null = null;
  private attempts = 0;
  private reconnects = 0;
  private connects = 0;
  private startedAt = 0;
  private gap: { since: number; reason: string } | null = null;
  private watchdog: unknown = null;
  private pinger: unknown = null;
  private retry: unknown = null;
  private readonly closing = new Set<Promise<void>>();

  constructor(
    readonly index: number,
    readonly tokens: readonly number[],
    private readonly settings: Settings,
    private readonly timers: TickerTimers,
    private readonly sink: ConnectionSink,
  ) {}

  status(): TickerStatus {
    return {
      connection: this.index,
      state: this.state,
      tokens: this.tokens.length,
      lastFrameAt: this.lastFrameAt,
      reconnects: this.reconnects,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.timers.now();
    this.connect(true);
  }

  /** Drops the socket now and connects at once with a fresh token, without backoff. */
  reconnect(reason: string): void {
    if (!this.running) return;
    this.drop();
    this.openGap(`reconnect requested: ${reason}`);
    this.attempts = 0;
    this.refused = null;
    this.connect(true);
  }

  /** Closes the socket and every timer; resolves once the socket has closed. */
  async stop(): Promise<void> {
    this.running = false;
    this.drop();
    this.setState('stopped');
    await Promise.all([...this.closing]);
  }

  /** `force`: connect even with the token last refused (a new login was announced). */
  private connect(force: boolean): void {
    this.cancel('retry');
    if (!this.running) return;
    let token: string | null;
    try {
      token = this.settings.accessToken();
    } catch (e) {
      this.sink.error(`connection ${this.index}: accessToken() threw: ${messageOf(e)}`);
      token = null;
    }
    if (token === null) {
      this.openGap('no access token (waiting for a login)');
      this.setState('waiting-for-token');
      return;
    }
    if (!force && token === this.refused) {
      // The same refused token would be refused again: wait for a new one, polling gently.
      this.setState('waiting-for-token');
      this.retry = this.timers.setTimeout(() => this.connect(false), this.nextDelay());
      return;
    }
    if (this.connects++ > 0) this.reconnects++;
    this.token = token;
    this.lastError = null;
    this.framedSinceOpen = false;
    let ws: WebSocket;
    try {
      const url = new URL(this.settings.url);
      url.searchParams.set('api_key', this.settings.apiKey);
      url.searchParams.set('access_token', token);
      ws = new WebSocket(url);
    } catch (e) {
      this.fail(`connect failed (${messageOf(e)})`);
      return;
    }
    this.ws = ws;
    this.closing.add(closed(ws, this.closing));
    this.on(
      ws,
      'unexpected-response',
      (_req: unknown, res: { statusCode?: number; resume(): void }) => {
        res.resume();
        const code = res.statusCode ?? 0;
        if (code === 403) {
          this.refused = this.token;
          this.sink.error(`connection ${this.index}: token refused (403): log in again`);
          this.fail('token refused (403)', true);
        } else this.fail(`connect refused (HTTP ${code})`);
      },
    );
    this.on(ws, 'open', () => this.opened(ws));
    this.on(ws, 'message', (data: WebSocket.RawData, isBinary: boolean) => {
      this.frame();
      this.sink.message(this.index, data, isBinary);
    });
    this.on(ws, 'pong', () => this.frame());
    this.on(ws, 'error', (e: Error) => (this.lastError = e.message));
    this.on(ws, 'close', (code: number) =>
      this.fail(
        this.state === 'connecting'
          ? `connect failed (${this.lastError ?? code})`
          : `socket closed (${code})`,
      ),
    );
    this.setState('connecting');
    this.lastLifeAt = this.timers.now();
    this.arm(this.settings.staleAfterMs);
  }

  /** Attaches a handler that ignores a replaced socket and never throws. */
  private on<A extends unknown[]>(ws: WebSocket, event: string, fn: (...args: A) => void): void {
    ws.on(event, (...args: unknown[]) => {
      if (this.ws !== ws) return;
      try {
        fn(...(args as A));
      } catch (e) {
        this.sink.error(`connection ${this.index}: ${event} handler failed: ${messageOf(e)}`);
      }
    });
  }

  private opened(ws: WebSocket): void {
    this.setState('open');
    if (this.tokens.length > 0) {
      const send = (m: unknown) => ws.send(JSON.stringify(m), () => undefined);
      send({ a: 'subscribe', v: this.tokens });
      send({ a: 'mode', v: ['full', this.tokens] });
    }
    this.schedulePing(ws);
  }

  private schedulePing(ws: WebSocket): void {
    this.pinger = this.timers.setTimeout(() => {
      this.pinger = null;
      if (this.ws !== ws) return;
      try {
        ws.ping();
      } catch {
        // A socket that cannot be pinged is closing: its close event or the watchdog follows.
      }
      this.schedulePing(ws);
    }, this.settings.pingEveryMs);
  }

  /** Any frame (tick, heartbeat, text, pong): feeds the watchdog, ends a gap, resets backoff. */
  private frame(): void {
    const now = this.timers.now();
    this.lastFrameAt = now;
    this.lastLifeAt = now;
    if (this.framedSinceOpen) return;
    this.framedSinceOpen = true;
    this.attempts = 0;
    this.refused = null;
    if (this.gap === null) return;
    const { since, reason } = this.gap;
    this.gap = null;
    this.notify({ phase: 'closed', since, until: now, reason });
  }

  /** The frame watchdog: fires `staleAfterMs` after the last sign of life, checked lazily. */
  private arm(ms: number): void {
    this.watchdog = this.timers.setTimeout(() => {
      this.watchdog = null;
      const silent = this.timers.now() - this.lastLifeAt;
      const stale = this.settings.staleAfterMs;
      if (silent < stale) return this.arm(stale - silent);
      this.fail(
        this.state === 'connecting'
          ? `no handshake within ${stale} ms (watchdog)`
          : `no frame for ${stale} ms (watchdog)`,
      );
    }, ms);
  }

  /** The socket failed or went silent: drop it, open a gap (once), retry or wait for a token. */
  private fail(reason: string, refused = false): void {
    this.drop();
    if (!this.running) return;
    this.openGap(reason);
    if (refused) this.setState('waiting-for-token');
    else this.setState('backoff');
    this.retry = this.timers.setTimeout(() => this.connect(false), this.nextDelay());
  }

  private nextDelay(): number {
    const { initialMs, maxMs } = this.settings.backoff;
    const delay = Math.min(maxMs, initialMs * 2 ** this.attempts);
    this.attempts = Math.min(this.attempts + 1, 30);
    return delay;
  }

  /** Forgets the socket (its later events are ignored) and kills it without a close handshake. */
  private drop(): void {
    this.cancel('watchdog');
    this.cancel('pinger');
    this.cancel('retry');
    const ws = this.ws;
    this.ws = null;
    if (ws === null) return;
    try {
      ws.terminate();
    } catch (e) {
      this.sink.error(`connection ${this.index}: terminate failed: ${messageOf(e)}`);
    }
  }

  private cancel(timer: 'watchdog' | 'pinger' | 'retry'): void {
    const handle = this[timer];
    if (handle === null) return;
    this[timer] = null;
    this.timers.clearTimeout(handle);
  }

  private openGap(reason: string): void {
    if (this.gap !== null) return;
    this.gap = { since: this.lastFrameAt ?? this.startedAt, reason };
    this.notify({ phase: 'opened', ...this.gap });
  }

  private notify(g: { phase: 'opened' | 'closed'; since: number; until?: number; reason: string }) {
    this.sink.gap({ scope: 'connection', connection: this.index, tokens: this.tokens, ...g });
  }

  private setState(state: TickerStatus['state']): void {
    if (this.state === state) return;
    this.state = state;
    this.sink.status(this.status());
  }
}

/** A promise that settles when `ws` has closed, removing itself from `set`. */
function closed(ws: WebSocket, set: Set<Promise<void>>): Promise<void> {
  const p: Promise<void> = new Promise<void>((resolve) => ws.once('close', () => resolve())).then(
    () => void set.delete(p),
  );
  return p;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
