/**
 * Helpers of the fake's own tests: market ticks of an instrument in the recorded instrument
 * dump, a raw `ws` ticker client that queues what it receives, and a kiteconnect REST client.
 */
import { WebSocket, type RawData } from 'ws';
import { KiteConnect } from 'kiteconnect/dist/lib/connect.js';
import { decodeMessage, type KitePacket } from '../../src/brokers/index.js';
import { paise, type MarketTick } from '../../src/model/index.js';
import type { FakeKite } from './fake-kite.js';

/** ADANIPORTS on NSE (instruments_nse.csv). */
export const ADANI = { symbol: 'ADANIPORTS', token: 3861249 } as const;
export const T0 = Date.UTC(2025, 0, 6, 4, 0, 0); // 09:30 IST

let nextTs = T0;

/** A tick of ADANIPORTS at `ltp` rupees, a 5-paise spread around it, `size` shares a side. */
export function tickAt(ltp: number, size = 1000, token: number = ADANI.token): MarketTick {
  nextTs += 1000;
  const p = Math.round(ltp * 100);
  return {
    token,
    ts: nextTs,
    lastPrice: paise(p),
    lastQuantity: 1,
    averagePrice: paise(p),
    volume: 100_000,
    buyQuantity: size,
    sellQuantity: size,
    open: paise(p),
    high: paise(p),
    low: paise(p),
    close: paise(p),
    oi: 0,
    bids: [{ price: paise(p - 5), quantity: size, orders: 1 }],
    asks: [{ price: paise(p + 5), quantity: size, orders: 1 }],
  };
}

type Row = Record<string, unknown> & { order_id: string };
type Params = Record<string, string | number>;

/** The kiteconnect REST methods these tests call, typed as the fake answers them. */
export interface KiteRest {
  setAccessToken(token: string): void;
  generateSession(requestToken: string, apiSecret: string): Promise<Record<string, unknown>>;
  getProfile(): Promise<Record<string, unknown>>;
  placeOrder(variety: string, params: Params): Promise<{ order_id: string }>;
  modifyOrder(variety: string, orderId: string, params: Params): Promise<{ order_id: string }>;
  cancelOrder(variety: string, orderId: string): Promise<{ order_id: string }>;
  getOrders(): Promise<Row[]>;
  getOrderHistory(orderId: string): Promise<Row[]>;
  getOrderTrades(orderId: string): Promise<Row[]>;
  getTrades(): Promise<Row[]>;
  getPositions(): Promise<{ net: Record<string, unknown>[]; day: Record<string, unknown>[] }>;
  getHoldings(): Promise<Record<string, unknown>[]>;
  getInstruments(exchange?: string): Promise<Record<string, unknown>[]>;
  validatePostback(postback: Record<string, unknown>, apiSecret: string): boolean;
}

/** A kiteconnect REST client of `fake` (the official client, loaded without its ticker). */
export function kiteClient(
  fake: FakeKite,
  opts: { timeout?: number; token?: boolean } = {},
): KiteRest {
  const kc = new KiteConnect({
    api_key: fake.apiKey,
    root: fake.restUrl,
    ...(opts.timeout === undefined ? {} : { timeout: opts.timeout }),
  }) as unknown as KiteRest;
  if (opts.token !== false) kc.setAccessToken(fake.issueToken());
  return kc;
}

/** What a Kite client call rejected with (the client rejects with Kite's error body). */
export async function kiteError(
  p: Promise<unknown>,
): Promise<{ error_type: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { error_type: string; message: string };
  }
  throw new Error('expected the call to fail');
}

export type Received =
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'ticks'; readonly packets: KitePacket[] }
  | { readonly kind: 'text'; readonly json: { type: string; data: Record<string, unknown> } };

/** A raw ticker client: every message it receives, in order, and waits on them. */
export class TickerProbe {
  readonly received: Received[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      this.received.push(
        isBinary
          ? decodeMessage(new Uint8Array(buf))
          : { kind: 'text', json: JSON.parse(buf.toString()) as never },
      );
      const waiting = this.waiters;
      this.waiters = [];
      for (const w of waiting) w();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Opens a socket with `token` (default: a fresh one); resolves once it is open. */
  static open(fake: FakeKite, token = fake.issueToken()): Promise<TickerProbe> {
    const ws = new WebSocket(`${fake.wsUrl}?api_key=${fake.apiKey}&access_token=${token}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TickerProbe(ws)));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Resolves once `count` received messages satisfy `pred`; returns them. */
  async waitFor(pred: (m: Received) => boolean, count = 1): Promise<Received[]> {
    for (;;) {
      const hits = this.received.filter(pred);
      if (hits.length >= count) return hits;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** A round trip through the server: everything it sent before is received after this. */
  async barrier(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.ws.once('pong', () => resolve());
      this.ws.ping();
    });
  }

  /** The order updates received so far. */
  updates(): Record<string, unknown>[] {
    return this.received.flatMap((m) =>
      m.kind === 'text' && m.json.type === 'order' ? [m.json.data] : [],
    );
  }

  /** Sends subscribe and waits until the server has it (a ping round trip). */
  async subscribe(tokens: number[], mode?: 'ltp' | 'quote' | 'full'): Promise<void> {
    this.send({ a: 'subscribe', v: tokens });
    if (mode !== undefined) this.send({ a: 'mode', v: [mode, tokens] });
    await this.barrier();
  }

  close(): void {
    this.ws.terminate();
  }
}

/** A 10-share CNC LIMIT buy of ADANIPORTS at `price` rupees through `kc`; `extra` adds fields. */
export function limitBuy(
  kc: KiteRest,
  price: number,
  extra: Record<string, unknown> = {},
): Promise<{ order_id: string }> {
  return kc.placeOrder('regular', {
    exchange: 'NSE',
    tradingsymbol: ADANI.symbol,
    transaction_type: 'BUY',
    quantity: 10,
    product: 'CNC',
    order_type: 'LIMIT',
    price,
    ...extra,
  });
}
