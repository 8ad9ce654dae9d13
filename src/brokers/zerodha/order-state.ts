/**
 * What one of our orders at Kite has become, as lifecycle events. Kite's order updates (ticker
 * text messages, postbacks) are hints: they arrive late, twice or out of order. So events are
 * derived only from a confirmation (the order's latest state from its history, and its trades),
 * against what was already reported: an order is accepted once, its filled quantity only grows,
 * it ends once. A pure function, so the rules are tested without a server.
 */
import {
  paise,
  quantity,
  type ClientOrderId,
  type OrderEvent,
  type OrderRejectCode,
  type Side,
  type StrategyId,
} from '../../model/index.js';
import { computeCharges, type ChargesModel } from '../paper/charges.js';
import type { KiteOrder, KiteTrade } from './parse.js';

/** One of our orders as the adapter tracks it. */
export interface TrackedOrder {
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: number;
  readonly side: Side;
  /** Current quantity (after modifications). */
  readonly quantity: number;
  readonly product: 'CNC' | 'MIS';
  /** The reference price the order was sent at (paise), for slippage. */
  readonly refPrice: number;
  readonly kiteOrderId: string | null;
  readonly accepted: boolean;
  /** Filled quantity already reported. */
  readonly filled: number;
  readonly done: boolean;
  readonly modifications: number;
}

/** Kite's states in which an order is still being validated: neither accepted nor refused. */
const PENDING = new Set([
  'PUT ORDER REQ RECEIVED',
  'VALIDATION PENDING',
  'OPEN PENDING',
  'AMO REQ RECEIVED',
]);

/** The rejection code of a Kite status message. */
export function rejectCodeOf(message: string | null): OrderRejectCode {
  const m = (message ?? '').toLowerCase();
  if (/holding/.test(m)) return 'NO_POSITION_TO_SELL';
  if (/margin|insufficient|funds/.test(m)) return 'INSUFFICIENT_CASH';
  return 'BROKER_ERROR';
}

export interface Confirmation {
  readonly events: OrderEvent[];
  readonly order: TrackedOrder;
  /** Kite's state is ahead of its trades (filled quantity not yet in the trades): confirm again. */
  readonly again: boolean;
}

/**
 * Derives the events that bring `t` up to Kite's `latest` state and `trades`. Never reports
 * a fill twice, never lowers the filled quantity, never ends an order twice.
 */
export function confirmOrder(
  t: TrackedOrder,
  latest: KiteOrder,
  trades: readonly KiteTrade[],
  charges: ChargesModel,
): Confirmation {
  if (t.done) return { events: [], order: t, again: false };
  const ids = {
    broker: 'zerodha' as const,
    clientOrderId: t.clientOrderId,
    strategyId: t.strategyId,
    token: t.token,
  };
  const events: OrderEvent[] = [];
  let order: TrackedOrder = { ...t, kiteOrderId: latest.orderId };
  const status = latest.status;
  if (PENDING.has(status)) return { events, order, again: true };
  if (status === 'REJECTED') {
    const remaining = order.quantity - order.filled;
    const detail = `rejected by Kite: ${latest.statusMessage ?? 'no reason given'}`;
    if (!order.accepted)
      events.push({
        type: 'OrderRejected',
        ...ids,
        side: t.side,
        quantity: quantity(order.quantity),
        code: rejectCodeOf(latest.statusMessage),
        detail,
      });
    else if (remaining > 0)
      events.push({
        type: 'OrderCanceled',
        ...ids,
        side: t.side,
        quantity: quantity(remaining),
        reason: detail,
      });
    return { events, order: { ...order, done: true }, again: false };
  }
  if (!order.accepted) {
    events.push({ type: 'OrderAccepted', ...ids, brokerOrderId: latest.orderId });
    order = { ...order, accepted: true };
  }
  // Fills: the trades in Kite's order, beyond what was reported.
  let filled = order.filled;
  for (const { trade: tr, shares: fresh } of freshShares(trades, filled, order.quantity)) {
    const price = tr.price as number;
    events.push({
      type: 'OrderFilled',
      ...ids,
      side: t.side,
      quantity: quantity(fresh),
      price: paise(price),
      fees: computeCharges(t.side, fresh, price, order.product, charges).total,
      slippage: paise(t.refPrice > 0 ? (price - t.refPrice) * (t.side === 'BUY' ? 1 : -1) : 0),
      tickSeq: 0,
      product: order.product,
    });
    filled += fresh;
  }
  order = { ...order, filled };
  const tradesBehind = filled < Math.min(latest.filledQuantity, order.quantity);
  if (status === 'COMPLETE') {
    const done = filled >= order.quantity;
    return { events, order: { ...order, done }, again: !done };
  }
  if (status === 'CANCELLED') {
    if (tradesBehind) return { events, order, again: true };
    const remaining = order.quantity - filled;
    if (remaining > 0)
      events.push({
        type: 'OrderCanceled',
        ...ids,
        side: t.side,
        quantity: quantity(remaining),
        reason: latest.statusMessage ?? 'canceled at Kite',
      });
    return { events, order: { ...order, done: true }, again: false };
  }
  return { events, order, again: tradesBehind };
}

/**
 * The trades in Kite's order (trade ids grow) with their shares beyond the first `seen` of the
 * order, up to `cap` shares in all: what was not reported yet. Trades wholly seen are left out.
 */
export function freshShares(
  trades: readonly KiteTrade[],
  seen: number,
  cap = Number.POSITIVE_INFINITY,
): { trade: KiteTrade; shares: number }[] {
  const out: { trade: KiteTrade; shares: number }[] = [];
  let cum = 0;
  for (const trade of [...trades].sort((a, b) => compareTradeIds(a.tradeId, b.tradeId))) {
    const before = cum;
    cum += trade.quantity;
    const shares = Math.min(cum, cap) - Math.max(before, seen);
    if (shares > 0) out.push({ trade, shares });
  }
  return out;
}

/** Trade ids in Kite's order: numeric ids compare as numbers (Kite's are digit strings). */
function compareTradeIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
