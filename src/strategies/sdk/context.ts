/**
 * What a strategy's callbacks see: the tick, its parameters and state, its position, and the
 * instrument's history with the indicators over it. Nothing else reaches user code: no clock,
 * no randomness, no I/O (time is the tick's `ts`).
 */
import type { MarketTick } from '../../model/index.js';
import {
  atr as atrOf,
  bollinger as bollingerOf,
  emaNext,
  ringLength,
  ringValues,
  rsi as rsiOf,
  sma as smaOf,
  type Bar,
  type Ring,
} from '../indicators/index.js';
import type { StrategyFill, StrategyInstrument, StrategyRejection } from '../strategy.js';
import type { History } from './history.js';

/** The instrument's history and the indicators over it. */
export interface HistoryView {
  /** The last `n` ticks (all that are kept when absent), oldest first. */
  ticks(n?: number): readonly MarketTick[];
  /** The last prices of the last `n` ticks, paise, oldest first. */
  closes(n?: number): readonly number[];
  /** The last `n` completed time bars (`bars.seconds` long, from IST midnight), oldest first. */
  bars(n?: number): readonly Bar[];
  /**
   * The series the indicators read: the completed bars' closes when the strategy has `bars`,
   * else the ticks' last prices; paise, oldest first.
   */
  series(n?: number): readonly number[];
  /** Simple moving average of the last `n` values of the series; null until it has `n`. */
  sma(n: number): number | null;
  /**
   * Exponential moving average (α = 2/(n+1)) over the kept series, seeded with the SMA of its
   * first `n` values; null until it has `n`.
   */
  ema(n: number): number | null;
  /** RSI over the last `n` changes (simple averages); null until it has n + 1 values. */
  rsi(n: number): number | null;
  /** Average true range of the last `n` bars (ticks as one-price bars without `bars`). */
  atr(n: number): number | null;
  /** SMA of the last `n` values ± k sample standard deviations. */
  bollinger(n: number, k: number): { middle: number; upper: number; lower: number } | null;
  /** Highest high of the last `n` bars (highest price of the last `n` ticks without `bars`). */
  highest(n: number): number | null;
  /** Lowest low of the last `n` bars (lowest price of the last `n` ticks without `bars`). */
  lowest(n: number): number | null;
}

/** What onTick sees. `state` is the instrument's: change it in place. */
export interface TickContext<P, S> extends HistoryView {
  readonly tick: MarketTick;
  /** The tick's instrument: symbol, exchange, tick size (paise) and lot size. */
  readonly instrument: StrategyInstrument;
  readonly params: P;
  readonly state: S;
  /** Signed shares held or asked for on this instrument (the first broker's). */
  readonly position: number;
}

/** What onBar sees: a bar just closed (by `tick`, the first tick of a later bar). */
export interface BarContext<P, S> extends TickContext<P, S> {
  readonly bar: Bar;
}

export interface FillContext<P, S> {
  readonly fill: StrategyFill;
  readonly params: P;
  readonly state: S;
}

export interface RejectionContext<P, S> {
  readonly rejection: StrategyRejection;
  readonly params: P;
  readonly state: S;
}

function last<T>(r: Ring<T>, n: number | undefined): T[] {
  const all = ringValues(r);
  return n === undefined ? all : all.slice(Math.max(0, all.length - n));
}

function checkCount(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`${what}(${n}): use a whole number of periods, 1 or more`);
}

/** The history view over `h`; `withBars` says whether the indicators read bars or ticks. */
export function historyView(h: History, withBars: boolean): HistoryView {
  const tickBars = (n: number): Bar[] =>
    last(h.ticks, n).map((t) => ({
      ts: t.ts,
      open: t.lastPrice,
      high: t.lastPrice,
      low: t.lastPrice,
      close: t.lastPrice,
      volume: t.lastQuantity,
    }));
  const barsOf = (n: number): Bar[] => (withBars ? last(h.bars, n) : tickBars(n));
  const series = (n?: number): number[] =>
    withBars ? last(h.bars, n).map((b) => b.close) : last(h.ticks, n).map((t) => t.lastPrice);
  return {
    ticks: (n) => last(h.ticks, n),
    closes: (n) => last(h.ticks, n).map((t) => t.lastPrice),
    bars: (n) => last(h.bars, n),
    series,
    sma: (n) => smaOf(series(n), n),
    ema(n) {
      checkCount('ema', n);
      const s = series();
      if (s.length < n) return null;
      let e: number | null = smaOf(s.slice(0, n), n);
      for (let i = n; i < s.length; i++) e = emaNext(e, s[i]!, n);
      return e;
    },
    rsi: (n) => rsiOf(series(n + 1), n),
    atr: (n) => {
      checkCount('atr', n);
      // One bar more, so the oldest of the n has a previous close.
      const kept = withBars ? ringLength(h.bars) : ringLength(h.ticks);
      return kept < n ? null : atrOf(barsOf(n + 1), n);
    },
    bollinger: (n, k) => bollingerOf(series(n), n, k),
    highest(n) {
      checkCount('highest', n);
      const b = barsOf(n);
      return b.length < n ? null : Math.max(...b.map((x) => x.high));
    },
    lowest(n) {
      checkCount('lowest', n);
      const b = barsOf(n);
      return b.length < n ? null : Math.min(...b.map((x) => x.low));
    },
  };
}
