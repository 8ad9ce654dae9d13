/** Bars (OHLCV) and the range indicators computed from them. */
import { checkPeriod } from './series.js';

/** One bar: `ts` its start, epoch ms; prices in the unit of the series (paise for ticks). */
export interface Bar {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * The true range of a bar: the largest of high − low, |high − prevClose| and |low − prevClose|;
 * high − low when there is no previous close.
 */
export function trueRange(bar: Bar, prevClose: number | null): number {
  const hl = bar.high - bar.low;
  if (prevClose === null) return hl;
  return Math.max(hl, Math.abs(bar.high - prevClose), Math.abs(bar.low - prevClose));
}

/**
 * The average true range: the simple average of the true ranges of the last `period` bars, each
 * against the close of the bar before it when `bars` holds one (the first bar given has none, so
 * its range is high − low). Null while fewer than `period` bars are given.
 */
export function atr(bars: readonly Bar[], period: number): number | null {
  checkPeriod(period);
  if (bars.length < period) return null;
  let sum = 0;
  for (let i = bars.length - period; i < bars.length; i++) {
    sum += trueRange(bars[i]!, i > 0 ? bars[i - 1]!.close : null);
  }
  return sum / period;
}
