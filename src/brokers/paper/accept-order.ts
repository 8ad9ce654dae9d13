/** Accepting an order, ours or one the broker places itself (a bracket exit, a square-off). */
import { istDate } from '../../model/index.js';
import { openOrder, type Engine, type OpenOrder } from './engine-state.js';
import { brokerOrderIdOf } from './events.js';

/** What an order asks for; acceptance adds the broker's bookkeeping. */
export type OrderTerms = Pick<
  OpenOrder,
  | 'clientOrderId'
  | 'strategyId'
  | 'token'
  | 'side'
  | 'orderType'
  | 'validity'
  | 'product'
  | 'quantity'
  | 'price'
  | 'limitPrice'
  | 'triggerPrice'
  | 'protectionPrice'
  | 'exitOf'
>;

/**
 * Accepts an order: gives it the next broker order id (its time priority) and today's IST trading
 * day, and opens it, matchable from `matchableAt` (now, unless a latency delays it).
 */
export function acceptOrder(e: Engine, terms: OrderTerms, matchableAt?: number): OpenOrder {
  const now = e.clock.now();
  e.state.ordersAccepted += 1;
  const n = e.state.ordersAccepted;
  const o: OpenOrder = {
    ...terms,
    filled: 0,
    brokerOrderId: brokerOrderIdOf(e.config.brokerOrderIdPrefix, n),
    acceptedNo: n,
    tradingDay: istDate(now),
    matchableAt: matchableAt ?? now,
    arrived: false,
    triggered: false,
    queueAhead: null,
    modifications: 0,
    traderModifications: 0,
  };
  openOrder(e.state, o);
  return o;
}
