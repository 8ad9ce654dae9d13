import { describe, expect, it } from 'vitest';
import type { Side } from '../../../model/index.js';
import { TEST_LIMITS, signalOf, viewFor } from '../../../../test/helpers/risk-gate.js';
import { cashCheck } from './cash.js';
import { maxPositionCheck } from './max-position.js';
import { notionalCheck } from './notional.js';
import { priceBandCheck } from './price-band.js';
import { quantityCheck } from './quantity.js';

const L = { ...TEST_LIMITS, maxQuantity: 500, maxNotionalPerOrder: 1_000_000 };

describe('quantityCheck', () => {
  it.each([
    [1, undefined],
    [0, 'QUANTITY_BELOW_MIN'],
    [500, undefined],
    [501, 'QUANTITY_ABOVE_MAX'],
  ] as const)('quantity %d gives %s', (q, code) => {
    const s = signalOf('BUY', q);
    const r = quantityCheck(s, viewFor(s), L);
    expect(r.passed).toBe(code === undefined);
    expect(r.code).toBe(code);
  });

  it('names the numbers', () => {
    const s = signalOf('BUY', 9);
    expect(quantityCheck(s, viewFor(s), { ...L, minQuantity: 10 }).detail).toBe(
      'quantity 9 < minimum 10',
    );
  });
});

describe('priceBandCheck', () => {
  it.each([
    [110_000, true], // exactly +10%
    [110_001, false],
    [90_000, true], // exactly −10%
    [89_999, false],
  ])('a MARKET signal at %d against last 100,000 passes: %s', (price, passed) => {
    const s = signalOf('BUY', 1, { price });
    const r = priceBandCheck(s, viewFor(s, { lastPrice: 100_000 }), L);
    expect(r.passed).toBe(passed);
    if (!passed) expect(r.code).toBe('PRICE_OUTSIDE_BAND');
  });

  it('judges LIMIT and SL orders at their limit price, SL-M at its trigger', () => {
    const limit = signalOf('BUY', 1, { order: { orderType: 'LIMIT', limitPrice: 111_000 } });
    expect(priceBandCheck(limit, viewFor(limit), L)).toMatchObject({
      code: 'PRICE_OUTSIDE_BAND',
      detail:
        'LIMIT price 111000 paise is 1100 bps from the last tick 100000 paise; band is 1000 bps',
    });
    const sl = signalOf('SELL', 1, {
      order: { orderType: 'SL', triggerPrice: 95_000, limitPrice: 89_000 },
    });
    expect(priceBandCheck(sl, viewFor(sl), L).code).toBe('PRICE_OUTSIDE_BAND');
    const slm = signalOf('SELL', 1, { order: { orderType: 'SL-M', triggerPrice: 89_000 } });
    expect(priceBandCheck(slm, viewFor(slm), L).code).toBe('PRICE_OUTSIDE_BAND');
    const inside = signalOf('BUY', 1, { order: { orderType: 'LIMIT', limitPrice: 109_000 } });
    expect(priceBandCheck(inside, viewFor(inside), L).passed).toBe(true);
  });

  it('refuses with NO_REFERENCE_PRICE before any tick (or a zero price)', () => {
    for (const lastPrice of [undefined, 0]) {
      const s = signalOf('BUY', 1);
      expect(priceBandCheck(s, viewFor(s, { lastPrice }), L)).toMatchObject({
        passed: false,
        code: 'NO_REFERENCE_PRICE',
      });
    }
  });
});

describe('notionalCheck', () => {
  it('passes at exactly the maximum and refuses one paisa over', () => {
    const at = signalOf('BUY', 10, { price: 100_000 });
    expect(notionalCheck(at, viewFor(at), L).passed).toBe(true);
    const over = signalOf('BUY', 10, { price: 100_001 });
    expect(notionalCheck(over, viewFor(over), L)).toMatchObject({
      passed: false,
      code: 'NOTIONAL_EXCEEDS_MAX_PER_ORDER',
      detail: 'order value 1000010 paise (10 × 100001) > maximum 1000000 paise',
    });
  });

  it('values the order at the highest of its prices and the last tick', () => {
    const s = signalOf('SELL', 10, { price: 90_000 });
    expect(notionalCheck(s, viewFor(s, { lastPrice: 100_001 }), L).code).toBe(
      'NOTIONAL_EXCEEDS_MAX_PER_ORDER',
    );
    const limit = signalOf('BUY', 10, {
      price: 90_000,
      order: { orderType: 'LIMIT', limitPrice: 100_005 },
    });
    expect(notionalCheck(limit, viewFor(limit), L).code).toBe('NOTIONAL_EXCEEDS_MAX_PER_ORDER');
  });
});

describe('maxPositionCheck', () => {
  it.each([
    [900, 'BUY', 100, true],
    [900, 'BUY', 101, false],
    [-900, 'SELL', 101, false],
    [1_000, 'SELL', 2_000, true], // to −1,000
    [1_000, 'SELL', 2_001, false],
  ] as const)('exposure %d, %s %d passes: %s', (exposure, side, q, passed) => {
    const s = signalOf(side as Side, q);
    const r = maxPositionCheck(s, viewFor(s, { exposure }), L);
    expect(r.passed).toBe(passed);
    if (!passed) expect(r.code).toBe('POSITION_EXCEEDS_MAX_PER_INSTRUMENT');
  });
});

describe('cashCheck', () => {
  it('passes a buy whose value plus the buffer fits, and refuses one paisa less cash', () => {
    // 10 × ₹1,000.00 = 1,000,000 paise; with 50 bps: 1,005,000 paise.
    const s = signalOf('BUY', 10);
    expect(cashCheck(s, viewFor(s, { availableCash: 1_005_000 }), L).passed).toBe(true);
    expect(cashCheck(s, viewFor(s, { availableCash: 1_004_999 }), L)).toMatchObject({
      passed: false,
      code: 'INSUFFICIENT_CASH',
      detail: expect.stringContaining('1005000 paise'),
    });
  });

  it('never refuses a sell for cash', () => {
    const s = signalOf('SELL', 10);
    expect(cashCheck(s, viewFor(s, { availableCash: -5 }), L).passed).toBe(true);
  });
});
