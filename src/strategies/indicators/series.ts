/** Averages and dispersion over the tail of a series of numbers. */

/** Whether `period` is an integer ≥ `min`; a wrong period is a programming error, so it throws. */
export function checkPeriod(period: number, min = 1): void {
  if (!Number.isInteger(period) || period < min) {
    throw new RangeError(`period must be an integer >= ${min}, got ${period}`);
  }
}

/** The mean of the last `period` values; null while fewer than `period` are given. */
export function sma(values: readonly number[], period: number): number | null {
  checkPeriod(period);
  if (values.length < period) return null;
  let sum = 0;
  for (let i = values.length - period; i < values.length; i++) sum += values[i]!;
  return sum / period;
}

/**
 * The standard deviation of the last `period` values: `sample` divides by period − 1 (so it needs
 * period ≥ 2), `population` by period. Null while fewer than `period` values are given.
 */
export function stdev(
  values: readonly number[],
  period: number,
  kind: 'sample' | 'population',
): number | null {
  checkPeriod(period, kind === 'sample' ? 2 : 1);
  const mean = sma(values, period);
  if (mean === null) return null;
  let ss = 0;
  for (let i = values.length - period; i < values.length; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / (kind === 'sample' ? period - 1 : period));
}

/**
 * The next exponential moving average: prev + α·(value − prev) with α = 2/(period + 1);
 * a null `prev` (no average yet) seeds it with `value`.
 */
export function emaNext(prev: number | null, value: number, period: number): number {
  checkPeriod(period);
  return prev === null ? value : prev + (2 / (period + 1)) * (value - prev);
}

/**
 * Simple returns between consecutive values: out[i] = values[i+1]/values[i] − 1, one fewer than
 * the values. A return from a value of 0 is 0 (prices are positive; a 0 is a missing price).
 */
export function returns(values: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const prev = values[i - 1]!;
    out.push(prev === 0 ? 0 : values[i]! / prev - 1);
  }
  return out;
}
