/**
 * Market timers at the paper broker: DAY orders expire at the close (and, for 24×7 runs that only
 * have midnight timers, at IST midnight when they are from an earlier day); MIS is squared off.
 */
import {
  istDate,
  clientOrderId,
  paise,
  quantity,
  type MarketTimerFired,
  type OrderEvent,
} from '../../model/index.js';
import { cancelRemaining } from './close-order.js';
import { isOpen, openOrdersByPriority, type Engine, type OpenOrder } from './engine-state.js';
import { accepted, NO_EVENTS } from './events.js';
import { acceptOrder } from './accept-order.js';
import { arrive } from './match-order.js';

/** Handles a market timer; timers other than the close, midnight and square-off change nothing. */
export function onMarketTimer(e: Engine, timer: MarketTimerFired): readonly OrderEvent[] {
  switch (timer.kind) {
    case 'SESSION_CLOSE':
      return expire(
        e,
        () => true,
        () => 'expired at the close',
      );
    case 'IST_MIDNIGHT': {
      const today = istDate(Math.max(e.clock.now(), timer.at));
      return expire(
        e,
        (o) => o.tradingDay < today,
        (o) => `expired at IST midnight: a DAY order of ${o.tradingDay}`,
      );
    }
    case 'MIS_SQUARE_OFF':
      return squareOff(e);
    default:
      return NO_EVENTS;
  }
}

/** Cancels every open order `due` selects, in time priority (orders still in flight too). */
function expire(
  e: Engine,
  due: (o: OpenOrder) => boolean,
  reason: (o: OpenOrder) => string,
): readonly OrderEvent[] {
  if (e.state.orders.size === 0) return NO_EVENTS;
  const out: OrderEvent[] = [];
  for (const o of openOrdersByPriority(e.state)) {
    if (isOpen(e.state, o) && due(o)) cancelRemaining(e.state, o, reason(o), out);
  }
  return out.length === 0 ? NO_EVENTS : out;
}

/**
 * The MIS square-off: cancels every open MIS order, then flattens every MIS position (by
 * strategy id, then instrument) with a MARKET order at the book, client order id SQ and a
 * 10-digit counter; a remainder the book cannot take is canceled like any market order's.
 */
function squareOff(e: Engine): readonly OrderEvent[] {
  const { state } = e;
  const out: OrderEvent[] = [];
  for (const o of openOrdersByPriority(state)) {
    if (isOpen(state, o) && o.product === 'MIS') {
      cancelRemaining(state, o, 'MIS square-off: open MIS orders are canceled', out);
    }
  }
  const positions = [...state.accounts.values()]
    .filter((a) => a.mis !== 0)
    .sort((a, b) =>
      a.strategyId === b.strategyId ? a.token - b.token : a.strategyId < b.strategyId ? -1 : 1,
    );
  for (const a of positions) {
    const last = state.lastTicks.get(a.token);
    if (last === undefined) continue;
    state.squareOffs += 1;
    const o = acceptOrder(e, {
      clientOrderId: clientOrderId(`SQ${String(state.squareOffs).padStart(10, '0')}`),
      strategyId: a.strategyId,
      token: a.token,
      side: a.mis > 0 ? 'SELL' : 'BUY',
      orderType: 'MARKET',
      validity: 'DAY',
      product: 'MIS',
      quantity: quantity(Math.abs(a.mis)),
      price: paise(last.tick.lastPrice),
      limitPrice: null,
      triggerPrice: null,
      protectionPrice: null,
      exitOf: null,
    });
    out.push(accepted(o, o.brokerOrderId));
    arrive(e, o, last, out);
  }
  return out.length === 0 ? NO_EVENTS : out;
}
