/** RSI and Bollinger bands over the tail of a series of prices. */
import { checkPeriod, sma, stdev } from './series.js';

/**
 * The relative strength index over the last `period` changes (so it needs period + 1 values):
 * the simple averages (not Wilder's smoothing) of the gains and of the losses, RS = gain/loss,
 * RSI = 100 − 100/(1 + RS). An average loss of 0 gives 100, also for a flat window (no gain
 * either), as the original computes it. Null while fewer than period + 1 values are given.
 */
export function rsi(values: readonly number[], period: number): number | null {
  checkPeriod(period);
  if (values.length < period + 1) return null;
  let gain = 0;
  let loss = 0;
  for (let i = values.length - period; i < values.length; i++) {
    const d = values[i]! - values[i - 1]!;
    if (d > 0) gain += d;
    else loss -= d;
  }
  if (loss === 0) return 100;
  return 100 - 100 / (1 + gain / loss);
}

/** Bollinger bands: the SMA of the last `period` values ± k sample standard deviations. */
export function bollinger(
  values: readonly number[],
  period: number,
  k: number,
): { middle: number; upper: number; lower: number } | null {
  checkPeriod(period, 2);
  const middle = sma(values, period);
  const sd = stdev(values, period, 'sample');
  if (middle === null || sd === null) return null;
  return { middle, upper: middle + k * sd, lower: middle - k * sd };
}
