/**
 * The fake's ticker: a `ws` WebSocketServer on the HTTP server's `/ws` upgrade. It checks the
 * session (a bad one gets HTTP 403), keeps each socket's subscriptions and modes, sends the
 * 1-byte heartbeat, ticks in each socket's mode, and text order updates; tests can silence it
 * or drop its sockets.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { MarketTick } from '../../src/model/index.js';
import { encodeTick, HEARTBEAT, type TickMode } from './encode.js';
import type { Sessions } from './sessions.js';

interface Client {
  /** Connection number, from 1. */
  readonly id: number;
  readonly subs: Map<number, TickMode>;
}

const MODES: readonly string[] = ['ltp', 'quote', 'full'];

export class TickerServer {
  // Pongs are ours: a silenced server answers no ping either, as a dead network would not.
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly clients = new Map<WebSocket, Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private silent = false;
  private connections = 0;

  constructor(
    private readonly sessions: Sessions,
    heartbeatMs: number,
  ) {
    this.heartbeat = setInterval(() => void this.toAll(() => HEARTBEAT), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Takes an HTTP upgrade: `/ws?api_key=..&access_token=..` with a live session, else 403. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q = url.searchParams;
    const ok =
      (url.pathname === '/ws' || url.pathname === '/') &&
      this.sessions.valid(q.get('api_key') ?? undefined, q.get('access_token') ?? undefined);
    if (!ok) {
      const body = JSON.stringify({
        status: 'error',
        message: 'Incorrect `api_key` or `access_token`.',
        error_type: 'TokenException',
        data: null,
      });
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.connections += 1;
    const client: Client = { id: this.connections, subs: new Map() };
    this.clients.set(ws, client);
    ws.on('ping', (data) => {
      if (!this.silent && ws.readyState === WebSocket.OPEN) ws.pong(data);
    });
    ws.on('close', () => this.clients.delete(ws));
    ws.on('error', () => this.clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.onText(client, data.toString());
    });
  }

  /** `{"a":"subscribe"|"unsubscribe","v":[tokens]}`, `{"a":"mode","v":[mode,[tokens]]}`. */
  private onText(c: Client, text: string): void {
    let m: { a?: unknown; v?: unknown };
    try {
      m = JSON.parse(text) as { a?: unknown; v?: unknown };
    } catch {
      return;
    }
    const tokens = (v: unknown): number[] =>
      Array.isArray(v) ? v.filter((t): t is number => Number.isSafeInteger(t)) : [];
    if (m.a === 'subscribe') {
      for (const t of tokens(m.v)) if (!c.subs.has(t)) c.subs.set(t, 'quote');
    } else if (m.a === 'unsubscribe') {
      for (const t of tokens(m.v)) c.subs.delete(t);
    } else if (m.a === 'mode' && Array.isArray(m.v)) {
      const [mode, list] = m.v as [unknown, unknown];
      if (typeof mode !== 'string' || !MODES.includes(mode)) return;
      for (const t of tokens(list)) c.subs.set(t, mode as TickMode);
    }
  }

  /** Sends `t` to every socket subscribed to its token, in that socket's mode. */
  tick(t: MarketTick): Promise<void> {
    return this.toAll((c) => {
      const mode = c.subs.get(t.token);
      return mode === undefined ? undefined : encodeTick(t, mode);
    });
  }

  /** Sends a text message to every socket. */
  text(message: string): Promise<void> {
    return this.toAll(() => message);
  }

  private async toAll(what: (c: Client) => Uint8Array | string | undefined): Promise<void> {
    if (this.silent) return;
    const sends: Promise<void>[] = [];
    for (const [ws, c] of this.clients) {
      const data = what(c);
      if (data === undefined || ws.readyState !== WebSocket.OPEN) continue;
      sends.push(new Promise((resolve) => ws.send(data, () => resolve())));
    }
    await Promise.all(sends);
  }

  /**
   * While on, nothing is sent on open sockets (heartbeats, ticks, updates) and no ping is
   * answered, as on a dead network; they stay open.
   */
  silence(on: boolean): void {
    this.silent = on;
  }

  /** Terminates every socket without a close frame. */
  drop(): void {
    for (const ws of this.clients.keys()) ws.terminate();
  }

  /** Closes every socket with a close frame. */
  closeAll(code: number, reason: string): void {
    for (const ws of this.clients.keys()) ws.close(code, reason);
  }

  /** Open sockets. */
  count(): number {
    return [...this.clients.keys()].filter((ws) => ws.readyState === WebSocket.OPEN).length;
  }

  /** Each open socket's subscriptions (token → mode), by connection number. */
  subscriptions(): Map<number, Map<number, TickMode>> {
    return new Map([...this.clients.values()].map((c) => [c.id, new Map(c.subs)]));
  }

  close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.drop();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
