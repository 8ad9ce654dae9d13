import { describe, expect, it } from 'vitest';
import {
  INSTRUMENTS,
  LOTTY,
  RELIANCE,
  TEST_LIMITS,
  signalOf,
} from '../../../test/helpers/risk-gate.js';
import { protectionPriceOf, resolveOrder, slicesOf } from './resolve-order.js';

const reliance = INSTRUMENTS.find((i) => i.token === RELIANCE)!;
const lotty = INSTRUMENTS.find((i) => i.token === LOTTY)!;

describe('slicesOf', () => {
  it('does not slice at or under the freeze quantity, or when slicing is off', () => {
    expect(slicesOf(1_800, 1_800)).toEqual([1_800]);
    expect(slicesOf(50_000, 0)).toEqual([50_000]);
  });

  it('splits into ceil(q / freeze) slices, full ones first and the remainder last', () => {
    expect(slicesOf(2_500, 1_000)).toEqual([1_000, 1_000, 500]);
    expect(slicesOf(3_000, 1_000)).toEqual([1_000, 1_000, 1_000]);
    expect(slicesOf(11_000, 1_000)).toHaveLength(11);
  });

  it('keeps every slice a whole number of lots', () => {
    expect(slicesOf(150, 60, 25)).toEqual([50, 50, 50]);
  });
});

describe('protectionPriceOf', () => {
  it('moves a BUY up by the basis points and rounds up to the tick', () => {
    // 100,000 × 1.02 = 102,000: already on the 5-paise tick.
    expect(protectionPriceOf('BUY', 100_000, 200, 5)).toBe(102_000);
    // 100,003 × 1.02 = 102,003.06 → up to 102,005.
    expect(protectionPriceOf('BUY', 100_003, 200, 5)).toBe(102_005);
    // 1,001 × 1.0001 = 1,001.1001 → up to 1,010 on a 10-paise tick.
    expect(protectionPriceOf('BUY', 1_001, 1, 10)).toBe(1_010);
  });

  it('moves a SELL down by the basis points and rounds down to the tick', () => {
    expect(protectionPriceOf('SELL', 100_000, 200, 5)).toBe(98_000);
    // 100,003 × 0.98 = 98,002.94 → down to 98,000.
    expect(protectionPriceOf('SELL', 100_003, 200, 5)).toBe(98_000);
    // 1,009 × 0.9999 = 1,008.8991 → down to 1,000 on a 10-paise tick.
    expect(protectionPriceOf('SELL', 1_009, 1, 10)).toBe(1_000);
  });

  it('never goes below one tick', () => {
    expect(protectionPriceOf('SELL', 5, 10_000, 5)).toBe(5);
  });
});

describe('resolveOrder', () => {
  it('resolves a bare signal to a protected MARKET DAY order on the default product', () => {
    expect(resolveOrder(signalOf('BUY', 10), 100_003, reliance, TEST_LIMITS)).toEqual({
      orderType: 'MARKET',
      validity: 'DAY',
      product: 'CNC',
      protectionPrice: 102_005,
      slices: [10],
    });
    const mis = { ...TEST_LIMITS, defaultProduct: 'MIS' as const };
    expect(resolveOrder(signalOf('SELL', 10), 100_003, reliance, mis)).toMatchObject({
      product: 'MIS',
      protectionPrice: 98_000,
    });
  });

  it('protects an SL-M from its trigger, and leaves LIMIT and SL orders at their limit', () => {
    const slm = signalOf('SELL', 10, { order: { orderType: 'SL-M', triggerPrice: 95_000 } });
    expect(resolveOrder(slm, 100_000, reliance, TEST_LIMITS)).toMatchObject({
      orderType: 'SL-M',
      triggerPrice: 95_000,
      protectionPrice: 93_100,
    });
    const limit = signalOf('BUY', 10, {
      order: { orderType: 'LIMIT', limitPrice: 99_000, validity: 'IOC', product: 'MIS' },
    });
    expect(resolveOrder(limit, 100_000, reliance, TEST_LIMITS)).toEqual({
      orderType: 'LIMIT',
      validity: 'IOC',
      product: 'MIS',
      limitPrice: 99_000,
      slices: [10],
    });
  });

  it("rounds on the instrument's own tick and slices on its lots", () => {
    const l = { ...TEST_LIMITS, freezeQuantity: 60 };
    expect(resolveOrder(signalOf('BUY', 150, { token: LOTTY }), 50_001, lotty, l)).toMatchObject({
      // 50,001 × 1.02 = 51,001.02 → up to 51,010 on the 10-paise tick.
      protectionPrice: 51_010,
      slices: [50, 50, 50],
    });
  });

  it('gives no protection price without a reference price', () => {
    expect(resolveOrder(signalOf('BUY', 1), undefined, reliance, TEST_LIMITS)).not.toHaveProperty(
      'protectionPrice',
    );
  });
});
