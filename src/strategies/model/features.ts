/**
 * The features of the model strategies, computed from one instrument's last prices (paise,
 * oldest first, the current tick last). The original computed them from a history shared by
 * every instrument and, before its window filled, from placeholder values; these need a full
 * window and are per instrument.
 */
import { returns, sma, stdev } from '../indicators/index.js';

/** A feature set: its names (as a model file lists them) and how to compute it. */
export interface FeatureSet {
  readonly names: readonly string[];
  /** Fewest prices in the window. */
  readonly minWindow: number;
  compute(prices: readonly number[]): number[];
}

const absMean = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((a, x) => a + Math.abs(x), 0) / xs.length;
const popStd = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : stdev(xs, xs.length, 'population')!;

/**
 * ml_momentum, 5 features: the return over the window, the return over the last 5 ticks, the
 * population standard deviation of the tick returns, the price (paise), the window length.
 */
export const MOMENTUM_FEATURES: FeatureSet = {
  names: ['return_window', 'return_5', 'volatility', 'price', 'window'],
  minWindow: 6,
  compute(ps) {
    const p = ps.at(-1)!;
    const first = ps[0]!;
    const back5 = ps[ps.length - 6]!;
    return [p / first - 1, p / back5 - 1, popStd(returns(ps)), p, ps.length];
  },
};

/**
 * ml_mean_reversion, 4 features: the z-score of the price against the window (sample standard
 * deviation; 0 for a flat window), the price (paise), the population standard deviation of the
 * tick returns, the window length.
 */
export const MEAN_REVERSION_FEATURES: FeatureSet = {
  names: ['zscore', 'price', 'volatility', 'window'],
  minWindow: 2,
  compute(ps) {
    const p = ps.at(-1)!;
    const mean = sma(ps, ps.length)!;
    const sd = stdev(ps, ps.length, 'sample')!;
    return [sd === 0 ? 0 : (p - mean) / sd, p, popStd(returns(ps)), ps.length];
  },
};

/**
 * ml_breakout, 4 features: the distance of the price from the window's high and from its low
 * (fractions; the window includes the price), the mean absolute tick return, the price (paise).
 */
export const BREAKOUT_FEATURES: FeatureSet = {
  names: ['from_high', 'from_low', 'mean_abs_return', 'price'],
  minWindow: 2,
  compute(ps) {
    const p = ps.at(-1)!;
    const hi = Math.max(...ps);
    const lo = Math.min(...ps);
    return [(p - hi) / hi, (p - lo) / lo, absMean(returns(ps)), p];
  },
};
