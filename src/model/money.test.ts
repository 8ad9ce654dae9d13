import { describe, expect, it } from 'vitest';
import {
  applyBps,
  formatRupees,
  notional,
  paise,
  parsePaise,
  parseRupees,
  quantity,
} from './money.js';

/** Exact reference: amount × bps / 10000 rounded half away from zero, in BigInt. */
function bpsExact(amount: number, bps: number): number {
  const num = BigInt(amount) * BigInt(bps);
  const neg = num < 0n;
  const abs = neg ? -num : num;
  let q = abs / 10_000n;
  if ((abs % 10_000n) * 2n >= 10_000n) q += 1n;
  return Number(neg ? -q : q);
}

/** A small deterministic generator for property checks (model/ may import nothing else). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('paise and quantity', () => {
  it('accept safe integers, negatives included', () => {
    expect(paise(0)).toBe(0);
    expect(paise(-1205)).toBe(-1205);
    expect(paise(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(quantity(100)).toBe(100);
    expect(quantity(-5)).toBe(-5);
  });

  it.each([0.5, 1.05, -0.01, NaN, Infinity, -Infinity, 2 ** 53])('throw on %s', (x) => {
    expect(() => paise(x)).toThrow(RangeError);
    expect(() => paise(x)).toThrow(`paise must be a safe integer, received ${String(x)}`);
    expect(() => quantity(x)).toThrow(`quantity must be a safe integer, received ${String(x)}`);
  });

  it('parsePaise returns a result instead of throwing', () => {
    expect(parsePaise(245_050)).toEqual({ ok: true, value: 245_050 });
    for (const bad of [2450.5, '245050', null, undefined, NaN]) {
      const r = parsePaise(bad);
      expect(r.ok).toBe(false);
    }
    expect(parsePaise('12')).toEqual({
      ok: false,
      error: 'expected an integer number of paise, received "12"',
    });
  });

  it('notional multiplies exactly and refuses an unsafe product', () => {
    expect(notional(paise(157_370), quantity(172))).toBe(27_067_640);
    expect(() => notional(paise(2 ** 40), quantity(2 ** 20))).toThrow(RangeError);
  });
});

describe('parseRupees', () => {
  it.each([
    ['2450.50', 245_050],
    ['2450.5', 245_050],
    ['2450', 245_000],
    ['0.05', 5],
    ['0.5', 50],
    ['0', 0],
    ['-3', -300],
    ['-0.05', -5],
    ['-12.05', -1205],
    [' 7.10 ', 710],
    ['1234567890.99', 123_456_789_099],
  ])('parses %j as %d paise', (s, p) => {
    expect(parseRupees(s)).toEqual({ ok: true, value: p });
  });

  it.each(['', 'abc', '1.234', '1.', '.5', '+1', '1,000', '1e3', '--1', '₹10'])(
    'refuses %j with a message quoting it',
    (s) => {
      const r = parseRupees(s);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(JSON.stringify(s));
    },
  );

  it('refuses an amount beyond safe integers', () => {
    expect(parseRupees('999999999999999999').ok).toBe(false);
  });
});

describe('formatRupees', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [100, '1.00'],
    [245_050, '2450.50'],
    [-5, '-0.05'],
    [-1205, '-12.05'],
    [-100, '-1.00'],
    [123_456_789_099, '1234567890.99'],
  ])('formats %d paise as %s', (p, s) => {
    expect(formatRupees(p)).toBe(s);
  });

  it('round-trips with parseRupees for any safe amount', () => {
    const next = lcg(17);
    for (let i = 0; i < 10_000; i++) {
      const p = Math.floor((next() - 0.5) * 2 * 2 ** 50);
      expect(parseRupees(formatRupees(p))).toEqual({ ok: true, value: p });
    }
  });
});

describe('applyBps', () => {
  it.each([
    // amount, bps, expected
    [10_000, 5, 5],
    [1, 5_000, 1], // 0.5 rounds up
    [-1, 5_000, -1], // -0.5 rounds away from zero
    [3, 5_000, 2], // 1.5
    [-3, 5_000, -2], // -1.5
    [1, 4_999, 0], // 0.4999
    [-1, 4_999, 0],
    [1, 5_001, 1],
    [19_999, 1, 2], // 1.9999
    [15_000, 1, 2], // 1.5
    [14_999, 1, 1], // 1.4999
    [1_000_000, -25, -2_500],
    [-15_000, 1, -2],
    [0, 300, 0],
  ])('%d paise × %d bps = %d', (amount, bps, expected) => {
    expect(applyBps(amount, bps)).toBe(expected);
  });

  it('matches exact rational rounding for random amounts and rates', () => {
    const next = lcg(99);
    for (let i = 0; i < 20_000; i++) {
      const amount = Math.floor((next() - 0.5) * 2e10);
      const bps = Math.floor((next() - 0.5) * 20_000);
      expect(applyBps(amount, bps)).toBe(bpsExact(amount, bps));
    }
  });

  it('returns integers', () => {
    expect(Number.isSafeInteger(applyBps(123_457, 3))).toBe(true);
  });
});
