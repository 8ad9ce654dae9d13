/**
 * An instrument's history as the SDK keeps it in the strategy's state: the last ticks, the last
 * completed time bars and the bar being built. Plain data (it goes into snapshots as it is).
 */
import { IST_OFFSET_MS, type MarketTick } from '../../model/index.js';
import { ring, ringClone, ringPush, type Bar, type Ring } from '../indicators/index.js';

/** IST is UTC+05:30 all year: bars start at multiples of their length from IST midnight. */

export interface History {
  readonly ticks: Ring<MarketTick>;
  /** Completed bars, oldest first. */
  readonly bars: Ring<Bar>;
  /** The bar being built; null before the first tick (or without bars). */
  bar: Bar | null;
  /** The day volume of the last tick, to turn Kite's cumulative volume into a bar's own. */
  lastVolume: number | null;
}

/** An empty history keeping `size` ticks and `size` completed bars. */
export function emptyHistory(size: number): History {
  return { ticks: ring(size), bars: ring(size), bar: null, lastVolume: null };
}

/** A copy sharing nothing mutable (ticks and completed bars are never changed, so shared). */
export function cloneHistory(h: History): History {
  return {
    ticks: ringClone(h.ticks),
    bars: ringClone(h.bars),
    bar: h.bar === null ? null : { ...h.bar },
    lastVolume: h.lastVolume,
  };
}

/** Start of the `barMs` bar holding `ts`, epoch ms, counted from IST midnight. */
export function barStart(ts: number, barMs: number): number {
  return Math.floor((ts + IST_OFFSET_MS) / barMs) * barMs - IST_OFFSET_MS;
}

/**
 * Adds `tick` to `h` (in place). With `barMs`, returns the bar this tick closed (the first tick of
 * a later bar closes the one being built: bars come from tick times, never from a clock, and a
 * stretch with no ticks makes no bars), else null.
 */
export function pushTick(h: History, tick: MarketTick, barMs: number | null): Bar | null {
  ringPush(h.ticks, tick);
  // Kite's volume is the day's so far: a bar's is the growth over its ticks (a fall is a new day).
  const v = tick.volume;
  const traded = h.lastVolume === null ? 0 : v >= h.lastVolume ? v - h.lastVolume : v;
  h.lastVolume = v;
  if (barMs === null) return null;
  const start = barStart(tick.ts, barMs);
  const p = tick.lastPrice;
  const cur = h.bar;
  if (cur !== null && start <= cur.ts) {
    h.bar = {
      ts: cur.ts,
      open: cur.open,
      high: Math.max(cur.high, p),
      low: Math.min(cur.low, p),
      close: p,
      volume: cur.volume + traded,
    };
    return null;
  }
  h.bar = { ts: start, open: p, high: p, low: p, close: p, volume: traded };
  if (cur === null) return null;
  ringPush(h.bars, cur);
  return cur;
}
