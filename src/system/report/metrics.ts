/**
 * The report's figures as pure functions over arrays: drawdown, daily returns by IST day, Sharpe,
 * Sortino, win rate, profit factor, exposure and even downsampling. Money in paise, time in epoch
 * ms, ratios as numbers.
 */
import { istDate } from '../../model/index.js';
import type { DrawdownPoint, EquityPoint, MaxDrawdown } from './report-types.js';

/**
 * Periods per year used to annualize daily Sharpe and Sortino: the usual convention of 252
 * trading days, a scale factor rather than a count of any year's sessions.
 */
export const PERIODS_PER_YEAR = 252;

/** The last point of each IST day, in order (points must be in time order). */
export function lastOfEachIstDay(points: readonly EquityPoint[]): EquityPoint[] {
  const out: EquityPoint[] = [];
  let day: string | null = null;
  for (const p of points) {
    const d = istDate(p.ts);
    if (d === day) out[out.length - 1] = p;
    else out.push(p);
    day = d;
  }
  return out;
}

/** Return of each close over the one before it; the first over `start` (the starting equity). */
export function dailyReturns(start: number, closes: readonly number[]): number[] {
  const out: number[] = [];
  let prev = start;
  for (const c of closes) {
    out.push(prev === 0 ? 0 : c / prev - 1);
    prev = c;
  }
  return out;
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * Annualized Sharpe ratio of daily returns (risk-free rate 0): mean over the sample standard
 * deviation (n − 1), times √252. Null with fewer than 2 returns or when they never vary.
 */
export function sharpe(returns: readonly number[]): number | null {
  if (returns.length < 2) return null;
  const m = mean(returns);
  let ss = 0;
  for (const r of returns) ss += (r - m) ** 2;
  const sd = Math.sqrt(ss / (returns.length - 1));
  return sd === 0 ? null : (m / sd) * Math.sqrt(PERIODS_PER_YEAR);
}

/**
 * Annualized Sortino ratio of daily returns (target 0): mean over the downside deviation
 * √(Σ min(0, r)² / n) taken over all days, times √252. Null with fewer than 2 returns or
 * without a losing day.
 */
export function sortino(returns: readonly number[]): number | null {
  if (returns.length < 2) return null;
  let ss = 0;
  for (const r of returns) ss += Math.min(0, r) ** 2;
  const dd = Math.sqrt(ss / returns.length);
  return dd === 0 ? null : (mean(returns) / dd) * Math.sqrt(PERIODS_PER_YEAR);
}

/** The fraction below the running peak at each point (0 at a new peak). */
export function drawdownSeries(points: readonly EquityPoint[]): DrawdownPoint[] {
  let peak = -Infinity;
  return points.map((p) => {
    peak = Math.max(peak, p.equity);
    return { ts: p.ts, drawdown: peak > 0 ? (peak - p.equity) / peak : 0 };
  });
}

/** The largest fall from a running peak, as a fraction of the peak and in paise, with its times. */
export function maxDrawdown(points: readonly EquityPoint[]): MaxDrawdown {
  let best: MaxDrawdown = { fraction: 0, paise: 0, peakTs: null, troughTs: null };
  let peak: EquityPoint | null = null;
  for (const p of points) {
    if (peak === null || p.equity > peak.equity) peak = p;
    const fall = peak.equity - p.equity;
    const fraction = peak.equity > 0 ? fall / peak.equity : 0;
    if (fall > 0 && fraction > best.fraction)
      best = { fraction, paise: fall, peakTs: peak.ts, troughTs: p.ts };
  }
  return best;
}

/** Trades with a positive net PnL over all trades; null without trades. */
export function winRate(netPnls: readonly number[]): number | null {
  if (netPnls.length === 0) return null;
  return netPnls.filter((x) => x > 0).length / netPnls.length;
}

/** Sum of the positive net PnLs over the sum of the negative ones' size; null without a loss. */
export function profitFactor(netPnls: readonly number[]): number | null {
  let gain = 0;
  let loss = 0;
  for (const x of netPnls) {
    if (x > 0) gain += x;
    else loss -= x;
  }
  return loss === 0 ? null : gain / loss;
}

/**
 * The fraction of [start, end] covered by the intervals (in time order, not overlapping), each
 * clipped to it; 0 when end ≤ start.
 */
export function exposure(
  intervals: readonly { readonly from: number; readonly to: number }[],
  start: number,
  end: number,
): number {
  if (end <= start) return 0;
  let covered = 0;
  for (const i of intervals) covered += Math.max(0, Math.min(i.to, end) - Math.max(i.from, start));
  return covered / (end - start);
}

/**
 * At most `max` items chosen evenly, the first and the last always kept (max below 2 counts as 2).
 */
export function downsample<T>(items: readonly T[], max: number): T[] {
  const m = Math.max(2, Math.floor(max));
  if (items.length <= m) return [...items];
  const out: T[] = [];
  const step = (items.length - 1) / (m - 1);
  for (let i = 0; i < m; i++) out.push(items[Math.round(i * step)]!);
  return out;
}
