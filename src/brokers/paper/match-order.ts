/**
 * Matching one order against its instrument's book. The model, in integer paise and shares:
 *
 * - Book. The last tick's 5-level depth; a tick without depth is one level at LTP ± half the
 *   assumed spread (spreadBps, at least a tick) of unlimited size (fill.ts). Our orders never
 *   deplete the displayed book for one another: each sees the whole of it.
 * - Arrival (on handle with no latency, else the first tick at or after the order's matchable
 *   time). A stop (SL, SL-M) first needs its trigger crossed by LTP (BUY: LTP ≥ trigger; SELL:
 *   LTP ≤ trigger); a DAY stop waits for it, an IOC or FOK stop not triggered on arrival is
 *   canceled. Then the order takes the levels at or better than its bound (LIMIT and SL: the
 *   limit price; MARKET and SL-M: the protection price, or none), at the levels' prices. FOK
 *   fills nothing unless all of it can fill now; a MARKET, SL-M or IOC remainder is canceled;
 *   the rest of a DAY LIMIT or SL rests.
 * - Resting limit, on each later tick. Crossed (BUY: best ask < limit; SELL: best bid > limit;
 *   without depth: LTP at or through the limit): fills against the levels at or better than the
 *   limit, at their prices (without depth: the fallback price capped at the limit). Otherwise
 *   it waits in the queue at its price: on starting to rest it has a derived-random share of
 *   the displayed same-side quantity at its price ahead of it (0 to all of it; 0 when its price
 *   is not displayed), drawn from hash(seed, client order id, modification count). Each later
 *   tick whose LTP is at or through the limit works the queue down by the volume traded since
 *   the previous tick (the tick's cumulative volume less the previous one's); volume beyond the
 *   queue fills the order at its limit price (all of it when partialFills is off).
 * - Prices: slippage (slippageBps) moves MARKET and SL-M fills against the side, never past the
 *   protection price nor below 1 paisa; LIMIT and SL fills are at the book's prices.
 */
import { istDate, paise, type OrderEvent } from '../../model/index.js';
import { computeCharges } from './charges.js';
import { afterFill } from './brackets.js';
import { cancelRemaining, closeOrder } from './close-order.js';
import { derivedBelow } from './derived-random.js';
import {
  accountKey,
  isOpen,
  remainingOf,
  type Engine,
  type LastTick,
  type OpenOrder,
} from './engine-state.js';
import { filled } from './events.js';
import { walkBook } from './fill.js';
import { applyFill } from './accounts.js';
import { applySlippage } from './slippage.js';

const isStop = (o: OpenOrder): boolean => o.orderType === 'SL' || o.orderType === 'SL-M';
const isMarketLike = (o: OpenOrder): boolean => o.orderType === 'MARKET' || o.orderType === 'SL-M';

function boundOf(o: OpenOrder): number | null {
  return isMarketLike(o) ? o.protectionPrice : o.limitPrice;
}

/** Whether LTP has reached the trigger of `o`; a tick without a trade (LTP 0) triggers nothing. */
export function stopTriggered(o: OpenOrder, ltp: number): boolean {
  if (ltp <= 0) return false;
  if (o.triggerPrice === null) return true;
  return o.side === 'BUY' ? ltp >= o.triggerPrice : ltp <= o.triggerPrice;
}

/** `o` reaches the exchange: a stop checks its trigger, then the order matches now. */
export function arrive(e: Engine, o: OpenOrder, last: LastTick, out: OrderEvent[]): void {
  o.arrived = true;
  if (isStop(o) && !o.triggered) {
    if (!stopTriggered(o, last.tick.lastPrice)) {
      if (o.validity !== 'DAY') {
        cancelRemaining(
          e.state,
          o,
          `${o.validity} stop not triggered on arrival: last price ${last.tick.lastPrice} paise (tick seq ${last.seq}) has not reached the trigger ${o.triggerPrice} paise`,
          out,
        );
      }
      return;
    }
    o.triggered = true;
  }
  matchNow(e, o, last, out);
}

/**
 * Matches the marketable part of `o` now, then applies its validity to the rest: FOK all or
 * nothing, MARKET/SL-M/IOC remainder canceled, DAY LIMIT/SL resting in the queue.
 */
export function matchNow(e: Engine, o: OpenOrder, last: LastTick, out: OrderEvent[]): void {
  const want = remainingOf(o);
  const bound = boundOf(o);
  const take = walkBook(o.side, want, last.tick, {
    allowPartial: e.config.partialFills,
    spreadBps: e.config.spreadBps,
    tickSize: e.config.tickSize,
    ...(bound === null ? {} : { bound }),
  });
  const within = bound === null ? '' : ` at or better than ${bound} paise`;
  if (o.validity === 'FOK' && take.filled < want) {
    cancelRemaining(
      e.state,
      o,
      `FOK: only ${take.filled} of ${want} could fill at once${within} on the book of tick seq ${last.seq}, so nothing filled`,
      out,
    );
    return;
  }
  if (take.filled > 0) fill(e, o, take.filled, take.averagePrice, last.seq, out);
  if (!isOpen(e.state, o)) return;
  const left = remainingOf(o);
  if (isMarketLike(o) || o.validity === 'IOC') {
    const book = o.side === 'BUY' ? 'asks' : 'bids';
    const what = isMarketLike(o) ? `a ${o.orderType} order's` : "an IOC order's";
    cancelRemaining(
      e.state,
      o,
      `${left} of ${o.quantity} unfilled: the book of tick seq ${last.seq} showed only ${take.filled} (its ${book}${within}); ${what} remainder is canceled`,
      out,
    );
    return;
  }
  startResting(e, o, last);
}

/** `o` starts resting at its limit: it draws its place in the queue at that price. */
export function startResting(e: Engine, o: OpenOrder, last: LastTick): void {
  const limit = o.limitPrice;
  const same = o.side === 'BUY' ? last.tick.bids : last.tick.asks;
  const displayed = same.find((l) => l.price === limit && l.quantity > 0)?.quantity ?? 0;
  o.queueAhead =
    displayed === 0
      ? 0
      : derivedBelow(e.config.seed, `${o.clientOrderId}:${o.modifications}`, displayed + 1);
}

/**
 * What `o` does on a new tick of its instrument: arrive once its latency has passed, trigger,
 * or (a resting limit) fill on a cross or through the queue. `prevVolume`: the instrument's
 * cumulative volume on the tick before, if any.
 */
export function onOrderTick(
  e: Engine,
  o: OpenOrder,
  last: LastTick,
  prevVolume: number | undefined,
  out: OrderEvent[],
): void {
  if (!o.arrived) {
    if (e.clock.now() >= o.matchableAt) arrive(e, o, last, out);
    return;
  }
  if (isStop(o) && !o.triggered) {
    if (stopTriggered(o, last.tick.lastPrice)) {
      o.triggered = true;
      matchNow(e, o, last, out);
    }
    return;
  }
  if (o.queueAhead === null || o.limitPrice === null) return;
  const limit = o.limitPrice;
  const { tick } = last;
  if (crosses(o, tick, limit)) {
    o.queueAhead = 0;
    const take = walkBook(o.side, remainingOf(o), tick, {
      allowPartial: e.config.partialFills,
      spreadBps: e.config.spreadBps,
      tickSize: e.config.tickSize,
      bound: limit,
    });
    if (take.filled > 0) fill(e, o, take.filled, take.averagePrice, last.seq, out);
    return;
  }
  const ltp = tick.lastPrice;
  const through = ltp > 0 && (o.side === 'BUY' ? ltp <= limit : ltp >= limit);
  if (!through || prevVolume === undefined) return;
  const traded = Math.max(0, tick.volume - prevVolume);
  const used = Math.min(o.queueAhead, traded);
  o.queueAhead -= used;
  const reaching = traded - used;
  if (reaching === 0) return;
  const qty = e.config.partialFills ? Math.min(reaching, remainingOf(o)) : remainingOf(o);
  fill(e, o, qty, limit, last.seq, out);
}

type Tick = LastTick['tick'];

function crosses(o: OpenOrder, tick: Tick, limit: number): boolean {
  const live = (l: { price: number; quantity: number }): boolean => l.price > 0 && l.quantity > 0;
  const bestBid = tick.bids.find(live);
  const bestAsk = tick.asks.find(live);
  if (bestBid === undefined && bestAsk === undefined) {
    if (tick.lastPrice <= 0) return false;
    return o.side === 'BUY' ? tick.lastPrice <= limit : tick.lastPrice >= limit;
  }
  if (o.side === 'BUY') return bestAsk !== undefined && bestAsk.price < limit;
  return bestBid !== undefined && bestBid.price > limit;
}

/** The price `o` trades at for a book price: slipped for MARKET and SL-M, within protection. */
function tradePrice(e: Engine, o: OpenOrder, bookPrice: number): number {
  if (!isMarketLike(o)) return bookPrice;
  const slipped: number = applySlippage(o.side, paise(bookPrice), e.config.slippageBps);
  const p = o.protectionPrice;
  if (o.side === 'BUY') return p === null ? slipped : Math.min(slipped, p);
  return Math.max(slipped, p ?? 1);
}

/**
 * Fills `qty` shares of `o` at `bookPrice` from the book of tick `seq`: the OrderFilled (fees by
 * the order's product, slippage against its reference price), the account, bracket work (new
 * exits match at once), and closing the order when nothing is left.
 */
export function fill(
  e: Engine,
  o: OpenOrder,
  qty: number,
  bookPrice: number,
  seq: number,
  out: OrderEvent[],
): void {
  const price = tradePrice(e, o, bookPrice);
  const fees = computeCharges(o.side, qty, price, o.product, e.config.charges, {
    dpCharge: firstDeliverySellToday(e, o),
  }).total;
  const slippage = o.side === 'BUY' ? price - o.price : o.price - price;
  out.push(filled(o, qty, price, fees, slippage, seq));
  o.filled += qty;
  applyFill(e.state, o, qty);
  const exits = afterFill(e, o, qty, out);
  const last = e.state.lastTicks.get(o.token);
  for (const x of exits) {
    if (last !== undefined && isOpen(e.state, x)) arrive(e, x, last, out);
  }
  if (remainingOf(o) <= 0) closeOrder(e.state, o);
}

/**
 * Whether this fill is the account's first delivery (CNC) sell of the scrip on the IST trading
 * day: the depository charges DP once per scrip per day sold from the demat (Zerodha's charges).
 */
function firstDeliverySellToday(e: Engine, o: OpenOrder): boolean {
  if (o.product !== 'CNC' || o.side !== 'SELL') return false;
  const day = istDate(e.clock.now());
  if (day !== e.state.dpDay) {
    e.state.dpDay = day;
    e.state.dpCharged.clear();
  }
  const key = accountKey(o.strategyId, o.token);
  if (e.state.dpCharged.has(key)) return false;
  e.state.dpCharged.add(key);
  return true;
}
