/**
 * The OHLC path: how a candle becomes ticks, so that a limit or a stop between its low and high
 * fills as it would have. Documented in docs/backtesting.md.
 *
 * - Waypoints: open → low → high → close when close >= open, else open → high → low → close.
 * - Between two waypoints, a number (0 to 3) of intermediate prices drawn from the run's seed, evenly spaced and on
 *   whole ticks (never more than the ticks between them); equal neighbours are merged.
 * - The N prices are spaced evenly inside the candle's interval: price i at start + ⌊i·interval/N⌋.
 * - The candle's volume is split evenly over its ticks (the first ones take the remainder).
 * - Depth: 5 levels a side, best bid one tick below the price and best ask one tick above, each
 *   further level one tick away; quantity (level + 1) × the tick's traded quantity (at least 1).
 * - Day fields as the exchange reports them: open, high, low, volume and the volume-weighted
 *   average price since the IST day's first tick; `close` is the previous day's last price.
 */
import { istDay, type DepthLevel, type Instrument, type MarketTick } from '../../model/index.js';
import type { Random } from '../../runtime/index.js';
import type { Candle } from './kite-candles.js';

/** Intermediate prices drawn per leg: 0 to this many. */
const MAX_STEPS_PER_LEG = 3;
const DEPTH_LEVELS = 5;

/** The prices one candle trades through, in order (paise, on `tick`). */
export function candlePrices(c: Candle, tick: number, random: Random): number[] {
  const way =
    c.close >= c.open ? [c.open, c.low, c.high, c.close] : [c.open, c.high, c.low, c.close];
  const out: number[] = [way[0]!];
  for (let leg = 0; leg < 3; leg++) {
    const a = way[leg]!;
    const b = way[leg + 1]!;
    const ticks = Math.abs(b - a) / tick;
    const steps = Math.min(Math.floor(random.next() * (MAX_STEPS_PER_LEG + 1)), ticks - 1);
    for (let s = 1; s <= steps; s++) {
      const p = a + Math.round(((b - a) * s) / (steps + 1) / tick) * tick;
      if (p !== out.at(-1)) out.push(p);
    }
    if (b !== out.at(-1)) out.push(b);
  }
  return out;
}

/** Depth around `price`: 5 levels a side one tick apart, the spread one tick each way. */
export function depthAround(
  price: number,
  tick: number,
  qty: number,
): { bids: DepthLevel[]; asks: DepthLevel[] } {
  const bids: DepthLevel[] = [];
  const asks: DepthLevel[] = [];
  const base = Math.max(1, qty);
  for (let i = 0; i < DEPTH_LEVELS; i++) {
    const quantity = base * (i + 1);
    const bid = price - tick * (i + 1);
    if (bid > 0) bids.push({ price: bid as DepthLevel['price'], quantity, orders: i + 1 });
    asks.push({ price: (price + tick * (i + 1)) as DepthLevel['price'], quantity, orders: i + 1 });
  }
  return { bids, asks };
}

/**
 * The ticks of `candles` (one instrument's, in time order), each candle spread over
 * `intervalMs`; `random` (forked per instrument, then per candle) decides the intermediate steps.
 */
export function* candleTicks(
  candles: readonly Candle[],
  instrument: Instrument,
  intervalMs: number,
  random: Random,
): Generator<MarketTick> {
  const tick = instrument.tickSize as number;
  let day = -1;
  let prevClose = candles[0]?.open ?? 0;
  let lastPrice = prevClose;
  let dayOpen = 0;
  let dayHigh = 0;
  let dayLow = 0;
  let dayVolume = 0;
  let dayValue = 0;
  for (const c of candles) {
    const d = istDay(c.ts);
    if (d !== day) {
      if (day !== -1) prevClose = lastPrice;
      day = d;
      dayOpen = c.open;
      dayHigh = c.open;
      dayLow = c.open;
      dayVolume = 0;
      dayValue = 0;
    }
    // A stream per candle: a candle's ticks do not depend on the range read around it.
    const prices = candlePrices(c, tick, random.fork(String(c.ts)));
    const n = prices.length;
    const each = Math.floor(c.volume / n);
    const extra = c.volume - each * n;
    for (let i = 0; i < n; i++) {
      const price = prices[i]!;
      const qty = each + (i < extra ? 1 : 0);
      dayVolume += qty;
      dayValue += qty * price;
      if (price > dayHigh) dayHigh = price;
      if (price < dayLow) dayLow = price;
      const { bids, asks } = depthAround(price, tick, qty);
      lastPrice = price;
      yield {
        token: instrument.token,
        ts: c.ts + Math.floor((i * intervalMs) / n),
        lastPrice: price as MarketTick['lastPrice'],
        lastQuantity: qty,
        averagePrice: (dayVolume > 0
          ? Math.round(dayValue / dayVolume)
          : price) as MarketTick['averagePrice'],
        volume: dayVolume,
        buyQuantity: bids.reduce((s, l) => s + l.quantity, 0),
        sellQuantity: asks.reduce((s, l) => s + l.quantity, 0),
        open: dayOpen as MarketTick['open'],
        high: dayHigh as MarketTick['high'],
        low: dayLow as MarketTick['low'],
        close: prevClose as MarketTick['close'],
        oi: c.oi,
        bids,
        asks,
      };
    }
  }
}
