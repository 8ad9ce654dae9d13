/** What the Zerodha order adapter (orders.ts) is built from: Kite's API, timers and callbacks. */
import type { OrderEvent, Paise } from '../../model/index.js';
import type { ChargesModel } from '../paper/charges.js';
import type { KiteDisposition } from './errors.js';
import type { KitePlaceOrder } from './http.js';
import type { KiteOrder, KiteTrade } from './parse.js';

/** What the adapter needs of Kite's REST API (KiteRest has it). */
export interface ZerodhaOrdersApi {
  placeOrder(p: KitePlaceOrder): Promise<string>;
  modifyOrder(
    orderId: string,
    p: {
      quantity?: number;
      price?: Paise;
      triggerPrice?: Paise;
    },
  ): Promise<string>;
  cancelOrder(orderId: string): Promise<string>;
  orders(): Promise<KiteOrder[]>;
  orderHistory(orderId: string): Promise<KiteOrder[]>;
  orderTrades(orderId: string): Promise<KiteTrade[]>;
}

export interface AdapterTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Something the operator or the session must know: a refused token or IP, a throttle. */
export interface BrokerProblem {
  readonly disposition: KiteDisposition | 'not-found';
  readonly detail: string;
  readonly clientOrderId?: string;
  /** rate-limited: when the adapter retries (epoch ms); nothing new should go before. */
  readonly retryAt?: number;
}

export interface ZerodhaBrokerOptions {
  readonly api: ZerodhaOrdersApi;
  /** Kite's exchange and trading symbol of an instrument token, or null when unknown. */
  readonly symbolOf: (token: number) => { exchange: string; tradingsymbol: string } | null;
  /** Market protection of MARKET and SL-M orders, percent (> 0). */
  readonly marketProtectionPercent: number;
  readonly charges: ChargesModel;
  /** TRADING__ZERODHA__ENABLED: false refuses every order here, before Kite. */
  readonly placementEnabled: boolean;
  readonly timers: AdapterTimers;
  /** How often an ambiguous placement is looked up in the order book, and for how long. */
  readonly resolveEveryMs: number;
  readonly resolveForMs: number;
  /** The wait after a 429, and how many times an order is retried for it. */
  readonly rateLimitWaitMs: number;
  readonly rateLimitRetries: number;
  readonly onEvents: (events: OrderEvent[]) => void;
  readonly onProblem: (p: BrokerProblem) => void;
}
