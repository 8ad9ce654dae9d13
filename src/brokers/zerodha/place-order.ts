/**
 * A SubmitOrder as Kite's place-order request and as the adapter tracks it, its refusal, and the
 * search by tag of a placement Kite answered ambiguously (a timeout, a 5xx).
 */
import {
  quantity,
  type ClientOrderId,
  type OrderRejectCode,
  type OrderRejected,
  type Side,
  type StrategyId,
  type SubmitOrder,
} from '../../model/index.js';
import type { KitePlaceOrder } from './http.js';
import type { TrackedOrder } from './order-state.js';
import type { KiteOrder } from './parse.js';

/**
 * Kite's place-order request for `c` on `sym`: our client order id as the tag, and MARKET and
 * SL-M orders with the market protection (percent, never 0).
 */
export function placeParams(
  c: SubmitOrder,
  sym: { exchange: string; tradingsymbol: string },
  marketProtectionPercent: number,
): KitePlaceOrder {
  const protect = c.orderType === 'MARKET' || c.orderType === 'SL-M';
  return {
    exchange: sym.exchange,
    tradingsymbol: sym.tradingsymbol,
    transactionType: c.side,
    quantity: c.quantity,
    product: c.product,
    orderType: c.orderType as KitePlaceOrder['orderType'],
    validity: c.validity as KitePlaceOrder['validity'],
    tag: c.clientOrderId,
    ...(c.limitPrice !== undefined ? { price: c.limitPrice } : {}),
    ...(c.triggerPrice !== undefined ? { triggerPrice: c.triggerPrice } : {}),
    ...(protect ? { marketProtection: marketProtectionPercent } : {}),
  };
}

/** `c` as the adapter tracks it before Kite has answered. */
export function trackedOf(c: SubmitOrder): TrackedOrder {
  return {
    clientOrderId: c.clientOrderId,
    strategyId: c.strategyId,
    token: c.token,
    side: c.side,
    quantity: c.quantity,
    product: c.product,
    refPrice: c.price,
    kiteOrderId: null,
    accepted: false,
    filled: 0,
    done: false,
    modifications: 0,
  };
}

/** The refusal of an order (`qty` shares of it). */
export function rejectedOf(
  o: { clientOrderId: string; strategyId: StrategyId; token: number; side: Side },
  qty: number,
  code: OrderRejectCode,
  detail: string,
): OrderRejected {
  return {
    type: 'OrderRejected',
    broker: 'zerodha',
    clientOrderId: o.clientOrderId as ClientOrderId,
    strategyId: o.strategyId,
    token: o.token,
    side: o.side,
    quantity: quantity(qty),
    code,
    detail,
  };
}

/** What the search of an ambiguous placement needs. */
export interface TagSearch {
  orders(): Promise<KiteOrder[]>;
  now(): number;
  everyMs: number;
  /** How long the order book is searched before the order is taken as never placed. */
  forMs: number;
  /** Runs `look` after `everyMs`. */
  later(look: () => Promise<void>): void;
  found(kiteOrderId: string): void;
  notFound(detail: string): void;
}

/**
 * Looks for `tag` in Kite's order book every `everyMs` until it shows up or `forMs` has passed:
 * the order is then Kite's order, or was never placed. It is never placed a second time.
 */
export function resolveByTag(tag: string, s: TagSearch): void {
  const since = s.now();
  const look = async (): Promise<void> => {
    let book: KiteOrder[] = [];
    try {
      book = await s.orders();
    } catch {
      // Kite did not answer: the next look asks again.
    }
    const found = book.find((k) => k.tag === tag);
    if (found) return s.found(found.orderId);
    if (s.now() - since < s.forMs) return s.later(look);
    s.notFound(
      `order ${tag} is not in Kite's order book ${s.forMs} ms after an ambiguous answer; it was not placed and is not resent`,
    );
  };
  s.later(look);
}
