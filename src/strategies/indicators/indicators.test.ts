import { describe, expect, it } from 'vitest';
import { atr, bollinger, emaNext, returns, rsi, sma, stdev, trueRange, type Bar } from './index.js';

const bar = (high: number, low: number, close: number): Bar => ({
  ts: 0,
  open: close,
  high,
  low,
  close,
  volume: 0,
});

describe('sma', () => {
  it('averages the last `period` values', () => {
    expect(sma([1, 2, 3, 4, 5], 3)).toBe(4); // (3 + 4 + 5) / 3
    expect(sma([1, 2, 3, 4, 5], 5)).toBe(3); // 15 / 5
    expect(sma([1, 2], 3)).toBeNull();
    expect(() => sma([1], 0)).toThrow(/period must be an integer >= 1, got 0/);
  });
});

describe('stdev', () => {
  // mean 5; squared deviations 9 1 1 1 0 0 4 16 sum 32
  const xs = [2, 4, 4, 4, 5, 5, 7, 9];
  it('population divides by n', () => {
    expect(stdev(xs, 8, 'population')).toBe(2); // sqrt(32 / 8)
  });
  it('sample divides by n − 1', () => {
    expect(stdev(xs, 8, 'sample')).toBeCloseTo(Math.sqrt(32 / 7), 12); // 2.13809
    expect(stdev([1, 2, 3, 4], 3, 'sample')).toBe(1); // 2,3,4: mean 3, ss 2, 2 / 2
  });
  it('is null on a short series and refuses a sample of one', () => {
    expect(stdev([1, 2], 3, 'population')).toBeNull();
    expect(() => stdev([1, 2], 1, 'sample')).toThrow(/>= 2/);
  });
});

describe('emaNext', () => {
  it('seeds with the first value, then moves by 2/(period+1)', () => {
    expect(emaNext(null, 10, 4)).toBe(10);
    expect(emaNext(10, 20, 4)).toBe(14); // 10 + 0.4 · (20 − 10)
    expect(emaNext(14, 9, 4)).toBe(12); // 14 + 0.4 · (9 − 14)
  });
});

describe('returns', () => {
  it('gives one simple return per step', () => {
    const r = returns([100, 110, 99]);
    expect(r).toHaveLength(2);
    expect(r[0]).toBeCloseTo(0.1, 12); // 110 / 100 − 1
    expect(r[1]).toBeCloseTo(-0.1, 12); // 99 / 110 − 1
    expect(returns([5])).toEqual([]);
    expect(returns([0, 5])).toEqual([0]);
  });
});

describe('rsi', () => {
  it('averages gains and losses over the last `period` changes', () => {
    // changes +1 −1 +2 +1: gains 4 / 4 = 1, losses 1 / 4 = 0.25, RS 4, 100 − 100 / 5
    expect(rsi([10, 11, 10, 12, 13], 4)).toBe(80);
    // last 3 changes −1 +2 +1: gain 3, loss 1, RS 3, 100 − 100 / 4
    expect(rsi([10, 11, 10, 12, 13], 3)).toBe(75);
  });
  it('needs period + 1 values', () => {
    expect(rsi([1, 2, 3], 3)).toBeNull();
    expect(rsi([1, 2, 3, 4], 3)).toBe(100);
  });
  it('gives 100 without losses (also when flat) and 0 without gains', () => {
    expect(rsi([5, 5, 5], 2)).toBe(100);
    expect(rsi([5, 4, 3], 2)).toBe(0); // RS 0
  });
});

describe('bollinger', () => {
  it('is the SMA ± k sample deviations', () => {
    const b = bollinger([2, 4, 4, 4, 5, 5, 7, 9], 8, 2)!;
    expect(b.middle).toBe(5);
    expect(b.upper).toBeCloseTo(5 + 2 * Math.sqrt(32 / 7), 12); // 9.27618
    expect(b.lower).toBeCloseTo(5 - 2 * Math.sqrt(32 / 7), 12); // 0.72382
    expect(bollinger([1, 2], 3, 2)).toBeNull();
  });
});

describe('trueRange and atr', () => {
  it('takes the widest of the three ranges', () => {
    const b = bar(12, 9, 10);
    expect(trueRange(b, null)).toBe(3); // 12 − 9
    expect(trueRange(b, 14)).toBe(5); // |9 − 14|
    expect(trueRange(b, 7)).toBe(5); // |12 − 7|
    expect(trueRange(b, 10)).toBe(3);
  });
  it('averages the last `period` true ranges', () => {
    const bars = [bar(10, 8, 9), bar(11, 9, 10), bar(15, 12, 14)];
    // TR: b0 10 − 8 = 2 (no previous close); b1 max(2, |11−9|, |9−9|) = 2; b2 max(3, |15−10|, |12−10|) = 5
    expect(atr(bars, 2)).toBe(3.5); // (2 + 5) / 2
    expect(atr(bars, 3)).toBe(3); // (2 + 2 + 5) / 3
    expect(atr(bars, 4)).toBeNull();
  });
});
