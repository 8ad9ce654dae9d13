/**
 * FakeKite: a scriptable Kite Connect v3 server on loopback (REST and the WebSocket ticker on
 * one port) with our paper matching engine as its exchange, for testing the Zerodha adapter
 * against the official client's wire format and against scripted failures.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { MarketTick, MarketTimerFired } from '../../src/model/index.js';
import { SystemClock } from '../../src/runtime/index.js';
import { FakeExchange, type SeedHolding } from './exchange.js';
import { errorBody, KiteError } from './kite-error.js';
import type { Json } from './kite-fixtures.js';
import { orderJson } from './order-json.js';
import { OrderUpdates, type PostbackSent, type UpdateFaults } from './order-updates.js';
import { routes, type Answer, type Route, type RouteRequest, type Script } from './http-routes.js';
import { Sessions } from './sessions.js';
import { TickerServer } from './ticker-server.js';
import type { TickMode } from './encode.js';

export interface FakeKiteOptions {
  apiKey?: string;
  apiSecret?: string;
  /** Heartbeat period of the ticker, ms (default 1,000). */
  heartbeatMs?: number;
  /** Where the login page redirects with the request token (default http://127.0.0.1/kite-redirect). */
  redirectUrl?: string;
  /** Where order updates are POSTed as well; absent: no postbacks. */
  postbackUrl?: string;
  /** Rupees the RMS lets BUY orders spend; absent: unlimited. */
  startingCash?: number;
  /** Delivery holdings the account starts with (NSE symbols; average price in rupees). */
  holdings?: SeedHolding[];
  /** Epoch ms the exchange clock starts at (default: now); ticks and timers move it forward. */
  startMs?: number;
}

/** One HTTP request the fake received: form fields for POST/PUT, query fields otherwise. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Wall-clock epoch ms of arrival. */
  readonly at: number;
  readonly body: Record<string, string>;
}

export type KiteOrderJson = Json;

const wall = new SystemClock();
const isOrderWrite = (method: string, path: string): boolean =>
  method !== 'GET' && (path === '/orders' || path.startsWith('/orders/'));

export class FakeKite {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly loginUrl: string;
  readonly script: Script = { place: [], refuseIp: false };
  readonly updates: UpdateFaults;
  readonly requests: RecordedRequest[] = [];
  private readonly table: Route[];
  private readonly held = new Set<ServerResponse>();
  private readonly waits = new Set<() => void>();
  private readonly connections = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    port: number,
    private readonly sessions: Sessions,
    private readonly exchange: FakeExchange,
    private readonly ticker: TickerServer,
    private readonly delivery: OrderUpdates,
    redirectUrl: string,
  ) {
    this.restUrl = `http://127.0.0.1:${port}`;
    this.wsUrl = `ws://127.0.0.1:${port}/ws`;
    this.loginUrl = `${this.restUrl}/connect/login`;
    this.updates = delivery.faults;
    this.table = routes({
      sessions,
      exchange,
      script: this.script,
      redirectUrl,
      flushUpdates: () => this.flush(),
      wait: (ms) => this.wait(ms),
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.serve(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
      ticker.upgrade(req, socket, head),
    );
    server.on('connection', (s: Socket) => {
      this.connections.add(s);
      s.on('close', () => this.connections.delete(s));
    });
  }

  /** Starts a fake on 127.0.0.1 at an ephemeral port. */
  static async start(opts: FakeKiteOptions = {}): Promise<FakeKite> {
    const sessions = new Sessions(
      opts.apiKey ?? 'fake_api_key',
      opts.apiSecret ?? 'fake_api_secret',
    );
    const exchange = new FakeExchange({
      startMs: opts.startMs ?? wall.now(),
      startingCash: opts.startingCash,
      holdings: opts.holdings,
    });
    const ticker = new TickerServer(sessions, opts.heartbeatMs ?? 1000);
    const delivery = new OrderUpdates(ticker, sessions.apiSecret, opts.postbackUrl);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const redirect = opts.redirectUrl ?? 'http://127.0.0.1/kite-redirect';
    return new FakeKite(server, port, sessions, exchange, ticker, delivery, redirect);
  }

  get apiKey(): string {
    return this.sessions.apiKey;
  }

  get apiSecret(): string {
    return this.sessions.apiSecret;
  }

  /** The postbacks sent so far, with the receiver's HTTP status. */
  get postbacks(): readonly PostbackSent[] {
    return this.delivery.postbacks;
  }

  /** A valid access token, without the login dance. */
  issueToken(): string {
    return this.sessions.issue();
  }

  /** Every token issued so far answers 403 from now on; open sockets close (1000, "token expired"). */
  expireTokens(): void {
    this.sessions.expireAll();
    this.ticker.closeAll(1000, 'token expired');
  }

  /** The exchange sees `t` (resting orders may fill); subscribed sockets get it; then the updates. */
  async tick(t: MarketTick): Promise<void> {
    this.exchange.tick(t);
    await this.ticker.tick(t);
    await this.flush();
  }

  /** A market timer fires at the exchange (DAY expiry at SESSION_CLOSE, MIS square-off). */
  async timer(t: MarketTimerFired): Promise<void> {
    this.exchange.timer(t);
    await this.flush();
  }

  /** While on, open sockets get nothing (no heartbeats, ticks or updates) but stay open. */
  silence(on: boolean): void {
    this.ticker.silence(on);
  }

  /** Terminates every ticker socket abruptly. */
  dropSockets(): void {
    this.ticker.drop();
  }

  /** POST, PUT and DELETE requests on /orders... so far. */
  orderWrites(): number {
    return this.requests.filter((r) => isOrderWrite(r.method, r.path)).length;
  }

  /** The orders as GET /orders answers them. */
  orderBook(): KiteOrderJson[] {
    return this.exchange.book.all().map(orderJson);
  }

  /** Open ticker sockets. */
  sockets(): number {
    return this.ticker.count();
  }

  /** Each open socket's subscriptions (token → mode), by connection number from 1. */
  subscriptions(): Map<number, Map<number, TickMode>> {
    return this.ticker.subscriptions();
  }

  /** Stops everything: held requests and sockets are cut, the port is freed. */
  async close(): Promise<void> {
    for (const release of this.waits) release();
    for (const res of this.held) res.destroy();
    await this.ticker.close();
    for (const s of this.connections) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private flush(): Promise<void> {
    return this.delivery.send(this.exchange.book.takeUpdates());
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.waits.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.waits.add(release);
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.restUrl);
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const form = method === 'POST' || method === 'PUT' ? parseForm(raw, req.headers) : {};
    const body =
      method === 'POST' || method === 'PUT' ? form : Object.fromEntries(url.searchParams);
    this.requests.push({ method, path: url.pathname, at: wall.now(), body });
    let answer: Answer;
    try {
      answer = await this.answer({
        method,
        path: url.pathname,
        params: {},
        query: url.searchParams,
        form,
        headers: req.headers,
      });
    } catch (e) {
      const err = e instanceof KiteError ? e : new KiteError(500, 'GeneralException', String(e));
      answer = {
        kind: 'raw',
        status: err.status,
        headers: { 'content-type': 'application/json' },
        body: errorBody(err),
      };
    }
    if (answer.kind === 'hold') {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    if (answer.kind === 'json') {
      const text = JSON.stringify({ status: 'success', data: answer.data });
      res.writeHead(200, { 'content-type': 'application/json' }).end(text);
    } else {
      res.writeHead(answer.status, answer.headers).end(answer.body);
    }
    await this.flush();
  }

  private answer(r: RouteRequest): Answer | Promise<Answer> {
    const segments = r.path.split('/').filter(Boolean);
    for (const route of this.table) {
      if (route.method !== r.method || route.pattern.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const match = route.pattern.every((p, i) => {
        const s = decodeURIComponent(segments[i]!);
        if (p.startsWith(':')) params[p.slice(1)] = s;
        return p.startsWith(':') || p === s;
      });
      if (!match) continue;
      if (route.auth) this.sessions.authorize(r.headers['authorization']);
      if (this.script.refuseIp && isOrderWrite(r.method, r.path))
        throw new KiteError(
          403,
          'PermissionException',
          "IP not allowed: 127.0.0.1 is not in the app's list of allowed IPs.",
        );
      return route.handle({ ...r, params });
    }
    throw new KiteError(404, 'GeneralException', `Route not found: ${r.method} ${r.path}`);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseForm(raw: string, headers: IncomingMessage['headers']): Record<string, string> {
  if ((headers['content-type'] ?? '').includes('application/json') && raw !== '') {
    const o = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(raw));
}
