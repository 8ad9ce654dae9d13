import { istDate } from '../../model/index.js';
import { describe, expect, it } from 'vitest';
import {
  dailyReturns,
  downsample,
  drawdownSeries,
  exposure,
  lastOfEachIstDay,
  maxDrawdown,
  profitFactor,
  sharpe,
  sortino,
  winRate,
} from './metrics.js';

const series = (xs: number[]) => xs.map((equity, i) => ({ ts: i * 1000, equity }));

describe('IST days', () => {
  it('starts a day at 18:30 UTC', () => {
    expect(istDate(Date.UTC(2026, 0, 5, 18, 29, 59, 999))).toBe('2026-01-05');
    expect(istDate(Date.UTC(2026, 0, 5, 18, 30))).toBe('2026-01-06');
  });

  it('keeps the last point of each IST day', () => {
    const a = { ts: Date.UTC(2026, 0, 5, 4, 0), equity: 1 };
    const b = { ts: Date.UTC(2026, 0, 5, 18, 29), equity: 2 };
    const c = { ts: Date.UTC(2026, 0, 5, 18, 31), equity: 3 };
    const d = { ts: Date.UTC(2026, 0, 6, 10, 0), equity: 4 };
    expect(lastOfEachIstDay([a, b, c, d])).toEqual([b, d]);
  });

  it('returns each close over the one before, the first over the start', () => {
    // 110 / 100 − 1 = 0.1; 99 / 110 − 1 = −0.1.
    const r = dailyReturns(100, [110, 99]);
    expect(r[0]).toBeCloseTo(0.1, 12);
    expect(r[1]).toBeCloseTo(-0.1, 12);
  });
});

describe('Sharpe and Sortino', () => {
  // Returns 0.02, −0.01, 0.02, −0.01: mean 0.005.
  const r = [0.02, -0.01, 0.02, -0.01];

  it('annualizes the mean over the sample deviation by √252', () => {
    // Deviations ±0.015, Σ² = 4 × 0.000225 = 0.0009, / (4 − 1) = 0.0003, sd = 0.0173205;
    // 0.005 / 0.0173205 = 1 / (2√3); × √252 = √252 / (2√3) = √21 = 4.58258.
    expect(sharpe(r)).toBeCloseTo(Math.sqrt(21), 9);
    expect(sharpe(r)).toBeCloseTo(4.58258, 5);
  });

  it('divides by the downside deviation over all days', () => {
    // min(0, r)² = 0, 0.0001, 0, 0.0001: Σ = 0.0002, / 4 = 0.00005, dd = 0.00707107;
    // 0.005 / 0.00707107 = 1 / √2; × √252 = √126 = 11.22497.
    expect(sortino(r)).toBeCloseTo(Math.sqrt(126), 9);
    expect(sortino(r)).toBeCloseTo(11.22497, 5);
  });

  it('is null with fewer than 2 days, no variation or no losing day', () => {
    expect(sharpe([0.01])).toBeNull();
    expect(sortino([0.01])).toBeNull();
    expect(sharpe([0.01, 0.01])).toBeNull();
    expect(sortino([0.01, 0.02])).toBeNull();
  });
});

describe('drawdown', () => {
  // Equity 100, 120, 90, 110, 130, 117: peaks 100, 120, 120, 120, 130, 130.
  const eq = series([100, 120, 90, 110, 130, 117]);

  it('is the fraction below the running peak', () => {
    // 0, 0, 30/120 = 0.25, 10/120 = 0.083333, 0, 13/130 = 0.1.
    const dd = drawdownSeries(eq).map((p) => p.drawdown);
    expect(dd[0]).toBe(0);
    expect(dd[1]).toBe(0);
    expect(dd[2]).toBeCloseTo(0.25, 12);
    expect(dd[3]).toBeCloseTo(1 / 12, 12);
    expect(dd[4]).toBe(0);
    expect(dd[5]).toBeCloseTo(0.1, 12);
  });

  it('finds the deepest fall with its peak and trough', () => {
    // 120 → 90: 30 paise, 30/120 = 0.25 (deeper than 130 → 117 = 0.1).
    expect(maxDrawdown(eq)).toEqual({ fraction: 0.25, paise: 30, peakTs: 1000, troughTs: 2000 });
    expect(maxDrawdown(series([1, 2, 3]))).toEqual({
      fraction: 0,
      paise: 0,
      peakTs: null,
      troughTs: null,
    });
  });
});

describe('trade ratios', () => {
  it('counts wins over all trades (zero is not a win)', () => {
    // 2 wins (100, 30) of 4 trades = 0.5.
    expect(winRate([100, -50, 30, 0])).toBe(0.5);
    expect(winRate([])).toBeNull();
  });

  it('divides gross profit by gross loss', () => {
    // (100 + 30) / 50 = 2.6.
    expect(profitFactor([100, -50, 30, 0])).toBe(2.6);
    // (10) / (20 + 30) = 0.2.
    expect(profitFactor([10, -20, -30])).toBe(0.2);
    expect(profitFactor([10, 20])).toBeNull();
  });
});

describe('exposure', () => {
  it('is the covered fraction of the run, intervals clipped to it', () => {
    // (10 − 0) + (25 − 20) = 15 of 50 = 0.3.
    expect(
      exposure(
        [
          { from: 0, to: 10 },
          { from: 20, to: 25 },
        ],
        0,
        50,
      ),
    ).toBe(0.3);
    // (50 − 40) of 50 = 0.2: the part after the end does not count.
    expect(exposure([{ from: 40, to: 60 }], 0, 50)).toBe(0.2);
    expect(exposure([{ from: 0, to: 10 }], 5, 5)).toBe(0);
  });
});

describe('downsample', () => {
  const ten = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

  it('keeps evenly spaced items, the first and the last', () => {
    // Step (10 − 1) / (4 − 1) = 3: indexes 0, 3, 6, 9.
    expect(downsample(ten, 4)).toEqual([0, 3, 6, 9]);
    // Eleven items, step 10 / 3: 0, 3.33 → 3, 6.67 → 7, 10.
    expect(downsample([...ten, 10], 4)).toEqual([0, 3, 7, 10]);
    expect(downsample(ten, 20)).toEqual(ten);
    expect(downsample(ten, 1)).toEqual([0, 9]);
  });
});
