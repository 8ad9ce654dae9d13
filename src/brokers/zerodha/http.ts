/**
 * Kite Connect's REST API through kiteconnect's client (its REST file only: see kiteconnect.d.ts):
 * prices in and out as Paise, answers checked by parse.ts, every failure of a call a KiteError.
 *
 * kiteconnect's axios response interceptor drops the HTTP status (it rejects with Kite's body, or
 * with `{error_type: 'NetworkException'}` for anything else). We put our own interceptor in front
 * of it: it turns every failure, with its status or network code, into an error that kiteconnect's
 * interceptor passes through unchanged (an Error with a message and no `response`/`request`).
 */
import {
  KiteConnect,
  type KiteHttpResponse,
  type KiteParams,
} from 'kiteconnect/dist/lib/connect.js';
import { formatRupees, type Paise } from '../../model/index.js';
import { KiteError, type KiteFailure } from './errors.js';
import {
  KiteParseError,
  parseHoldings,
  parseOrderId,
  parseOrders,
  parsePositions,
  parseProfile,
  parseSession,
  parseTrades,
  type KiteHolding,
  type KiteOrder,
  type KitePosition,
  type KiteProfile,
  type KiteSession,
  type KiteTrade,
} from './parse.js';

export interface KiteRestOptions {
  apiKey: string;
  /** e.g. https://api.kite.trade, or a fake server's http://127.0.0.1:port. */
  root: string;
  /** e.g. https://kite.zerodha.com/connect/login. */
  loginUrl: string;
  /** How long a call may wait for Kite's answer, in ms; a call that times out is `ambiguous`. */
  timeoutMs: number;
}

/** A regular-variety order. Prices are Paise and go out as rupees with two decimals. */
export interface KitePlaceOrder {
  exchange: string;
  tradingsymbol: string;
  transactionType: 'BUY' | 'SELL';
  quantity: number;
  product: string;
  orderType: 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
  validity: 'DAY' | 'IOC';
  price?: Paise;
  triggerPrice?: Paise;
  /** Percent. */
  marketProtection?: number;
  /** Our client order id: alphanumeric, at most 20 characters. */
  tag: string;
}

/** The fields of a regular order that may change; prices are Paise. */
export interface KiteModifyOrder {
  quantity?: number;
  price?: Paise;
  triggerPrice?: Paise;
  orderType?: string;
}

/** A failure our interceptor observed, on its way through kiteconnect's interceptor to #call. */
class ObservedFailure extends Error {
  readonly failure: KiteFailure;
  constructor(failure: KiteFailure) {
    // kiteconnect's interceptor passes an error through only when its message is not empty.
    super(
      failure.message === undefined || failure.message === ''
        ? 'Kite call failed'
        : failure.message,
    );
    this.failure = failure;
  }
}

const isRecord = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object';

/** A short, single-line excerpt of a body that is not Kite's JSON (an HTML error page). */
function excerpt(body: unknown): string {
  const s = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '';
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/** Kite's own failure in a body, if the body is Kite's error JSON. */
function kiteBodyFailure(status: number, body: unknown): KiteFailure | null {
  if (!isRecord(body) || typeof body.error_type !== 'string') return null;
  return {
    status,
    errorType: body.error_type,
    message: typeof body.message === 'string' ? body.message : '',
  };
}

/** Our fulfilled handler: passes Kite's success JSON and CSV on; raises anything else with its status. */
function onAnswer(r: KiteHttpResponse): KiteHttpResponse {
  const type = typeof r.headers['content-type'] === 'string' ? r.headers['content-type'] : '';
  if (type.includes('application/json') && isRecord(r.data)) {
    const failure = kiteBodyFailure(r.status, r.data);
    if (failure !== null) throw new ObservedFailure(failure);
    return r;
  }
  if (type.includes('text/csv')) return r;
  throw new ObservedFailure({
    status: r.status,
    errorType: 'DataException',
    message: `unexpected answer of type ${type || '(none)'}: ${excerpt(r.data) || '(empty)'}`,
  });
}

/** Our rejected handler: an axios error with or without an answer, as an ObservedFailure. */
function onFailure(e: unknown): never {
  if (e instanceof ObservedFailure) throw e;
  const err = isRecord(e) ? e : {};
  const response = isRecord(err.response) ? (err.response as unknown as KiteHttpResponse) : null;
  if (response !== null) {
    const status = response.status;
    const body = excerpt(response.data);
    throw new ObservedFailure(
      kiteBodyFailure(status, response.data) ?? {
        status,
        errorType: 'NetworkException',
        message: `${response.statusText || 'HTTP error'}${body === '' ? '' : `: ${body}`}`,
      },
    );
  }
  const code = typeof err.code === 'string' ? err.code : 'UNKNOWN';
  throw new ObservedFailure({
    status: null,
    errorType: 'NetworkException',
    message: typeof err.message === 'string' ? err.message : 'no answer',
    networkCode: code,
  });
}

/** Puts our interceptor first in kiteconnect's axios instance; throws if axios's shape changed. */
function interceptFirst(kc: KiteConnect): void {
  const response = kc.requestInstance.interceptors.response;
  const before = [...(response.handlers ?? [])];
  response.use(onAnswer, onFailure);
  const mine = response.handlers?.at(-1);
  if (mine?.fulfilled !== onAnswer) {
    throw new Error('kiteconnect: cannot install the status interceptor (has axios changed?)');
  }
  // axios runs response interceptors in array order and allows the array to be replaced.
  response.handlers = [mine, ...before];
}

/** A malformed argument, refused before anything is sent. */
class Refusal extends Error {}

/** Turns whatever a call threw or rejected with into a KiteError. */
function kiteErrorOf(e: unknown, operation: string): KiteError {
  if (e instanceof KiteError) return e;
  if (e instanceof ObservedFailure) return new KiteError(e.failure, operation);
  if (e instanceof Refusal) {
    return new KiteError(
      { status: null, errorType: 'InputException', message: e.message },
      operation,
    );
  }
  // Neither from our interceptor nor our checks: nothing is known about an answer.
  const message = isRecord(e) && typeof e.message === 'string' ? e.message : String(e);
  return new KiteError({ status: null, errorType: 'GeneralException', message }, operation, {
    cause: e,
  });
}

/** Paise as Kite's rupees with two decimals ("1000.05"); throws on a non-integer or negative. */
function rupees(p: Paise, field: string): string {
  if (!Number.isSafeInteger(p) || p < 0) {
    throw new Refusal(`${field} must be a non-negative integer of paise, received ${p}`);
  }
  return formatRupees(p);
}

function positiveInt(n: number, field: string): number {
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new Refusal(`${field} must be a positive integer, received ${n}`);
  }
  return n;
}

const ORDER_ID = /^[A-Za-z0-9]+$/;
function orderIdOf(id: string): string {
  // It becomes part of the URL path.
  if (!ORDER_ID.test(id))
    throw new Refusal(`an order id is alphanumeric, received ${JSON.stringify(id)}`);
  return id;
}

const identity = (data: unknown): unknown => data;

/**
 * Kite Connect's REST API. Each method resolves with checked data or rejects with a KiteError
 * whose `disposition` says what the caller may conclude. Malformed arguments (a non-integer price,
 * a non-alphanumeric order id) are refused before anything is sent: a KiteError with status null,
 * errorType InputException and disposition `rejected`.
 */
export class KiteRest {
  readonly #kc: KiteConnect;
  readonly #o: KiteRestOptions;

  constructor(o: KiteRestOptions) {
    if (!Number.isSafeInteger(o.timeoutMs) || o.timeoutMs <= 0) {
      throw new RangeError(`timeoutMs must be a positive integer of ms, received ${o.timeoutMs}`);
    }
    this.#o = o;
    this.#kc = new KiteConnect({ api_key: o.apiKey, root: o.root, timeout: o.timeoutMs });
    interceptFirst(this.#kc);
    // Keep Kite's naive IST strings (parse.ts) instead of kiteconnect's host-local Dates, and the
    // instruments CSV as text.
    this.#kc.formatResponse = identity;
    this.#kc.transformInstrumentsResponse = identity;
  }

  /** Sets the access token sent as `Authorization: token api_key:access_token` (null: none). */
  setAccessToken(token: string | null): void {
    this.#kc.setAccessToken(token);
  }

  /** The URL where the user logs in to Kite and is redirected back with a request token. */
  loginUrl(): string {
    return `${this.#o.loginUrl}?api_key=${encodeURIComponent(this.#o.apiKey)}&v=3`;
  }

  /** Exchanges a request token for a session (kiteconnect signs it); the client then uses its token. */
  generateSession(requestToken: string, apiSecret: string): Promise<KiteSession> {
    return this.#call(
      'POST /session/token',
      () => this.#kc.generateSession(requestToken, apiSecret),
      parseSession,
    );
  }

  /** The logged-in user. */
  profile(): Promise<KiteProfile> {
    return this.#call('GET /user/profile', () => this.#kc.getProfile(), parseProfile);
  }

  /** Places a regular order; resolves with Kite's order id. */
  placeOrder(p: KitePlaceOrder): Promise<string> {
    return this.#call(
      'POST /orders/regular',
      () => {
        const params: KiteParams = {
          exchange: p.exchange,
          tradingsymbol: p.tradingsymbol,
          transaction_type: p.transactionType,
          quantity: positiveInt(p.quantity, 'quantity'),
          product: p.product,
          order_type: p.orderType,
          validity: p.validity,
          tag: p.tag,
        };
        if (p.price !== undefined) params.price = rupees(p.price, 'price');
        if (p.triggerPrice !== undefined)
          params.trigger_price = rupees(p.triggerPrice, 'triggerPrice');
        if (p.marketProtection !== undefined) params.market_protection = p.marketProtection;
        return this.#kc.placeOrder('regular', params);
      },
      parseOrderId,
    );
  }

  /** Modifies an open regular order; resolves with its order id. */
  modifyOrder(orderId: string, p: KiteModifyOrder): Promise<string> {
    return this.#call(
      `PUT /orders/regular/${orderId}`,
      () => {
        const params: KiteParams = {};
        if (p.quantity !== undefined) params.quantity = positiveInt(p.quantity, 'quantity');
        if (p.price !== undefined) params.price = rupees(p.price, 'price');
        if (p.triggerPrice !== undefined)
          params.trigger_price = rupees(p.triggerPrice, 'triggerPrice');
        if (p.orderType !== undefined) params.order_type = p.orderType;
        return this.#kc.modifyOrder('regular', orderIdOf(orderId), params);
      },
      parseOrderId,
    );
  }

  /** Cancels an open regular order; resolves with its order id. */
  cancelOrder(orderId: string): Promise<string> {
    return this.#call(
      `DELETE /orders/regular/${orderId}`,
      () => this.#kc.cancelOrder('regular', orderIdOf(orderId)),
      parseOrderId,
    );
  }

  /** Today's orders. */
  orders(): Promise<KiteOrder[]> {
    return this.#call('GET /orders', () => this.#kc.getOrders(), parseOrders);
  }

  /** Every state one order went through, oldest first. */
  orderHistory(orderId: string): Promise<KiteOrder[]> {
    return this.#call(
      `GET /orders/${orderId}`,
      () => this.#kc.getOrderHistory(orderIdOf(orderId)),
      parseOrders,
    );
  }

  /** The fills of one order. */
  orderTrades(orderId: string): Promise<KiteTrade[]> {
    return this.#call(
      `GET /orders/${orderId}/trades`,
      () => this.#kc.getOrderTrades(orderIdOf(orderId)),
      parseTrades,
    );
  }

  /** Today's fills. */
  trades(): Promise<KiteTrade[]> {
    return this.#call('GET /trades', () => this.#kc.getTrades(), parseTrades);
  }

  /** Net and day positions. */
  positions(): Promise<{ net: KitePosition[]; day: KitePosition[] }> {
    return this.#call('GET /portfolio/positions', () => this.#kc.getPositions(), parsePositions);
  }

  /** Long-term holdings. */
  holdings(): Promise<KiteHolding[]> {
    return this.#call('GET /portfolio/holdings', () => this.#kc.getHoldings(), parseHoldings);
  }

  /** The instrument master CSV text, of one exchange or of all. */
  instruments(exchange?: string): Promise<string> {
    const operation = exchange === undefined ? 'GET /instruments' : `GET /instruments/${exchange}`;
    return this.#call(
      operation,
      () => {
        // It becomes part of the URL path.
        if (exchange !== undefined && !/^[A-Z]+$/.test(exchange)) {
          throw new Refusal(
            `an exchange is upper-case letters, received ${JSON.stringify(exchange)}`,
          );
        }
        return this.#kc.getInstruments(exchange);
      },
      csvText,
    );
  }

  /** Sends, then parses; any failure of either becomes a KiteError naming the operation. */
  async #call<T>(
    operation: string,
    send: () => Promise<unknown>,
    parse: (data: unknown, where: string) => T,
  ): Promise<T> {
    let data: unknown;
    try {
      data = await send();
    } catch (e) {
      throw kiteErrorOf(e, operation);
    }
    try {
      return parse(data, operation);
    } catch (e) {
      // A 2xx answer we cannot read: for a write we cannot tell what Kite did.
      const message = e instanceof Error ? e.message : String(e);
      throw new KiteError({ status: 200, errorType: 'DataException', message }, operation, {
        cause: e,
      });
    }
  }
}

function csvText(data: unknown, where: string): string {
  if (typeof data !== 'string') {
    throw new KiteParseError(where, '(value)', `expected CSV text, received ${typeof data}`);
  }
  return data;
}
