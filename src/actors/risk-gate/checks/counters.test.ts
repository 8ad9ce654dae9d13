import { describe, expect, it } from 'vitest';
import { TEST_LIMITS, signalOf, viewFor } from '../../../../test/helpers/risk-gate.js';
import { maxDailyTradesCheck } from './max-daily-trades.js';
import { maxOpenOrdersCheck } from './max-open-orders.js';
import { orderRateCheck } from './order-rate.js';
import { slicingCheck } from './slicing.js';

describe('maxOpenOrdersCheck', () => {
  const L = { ...TEST_LIMITS, maxOpenOrders: 5, freezeQuantity: 100 };

  it('counts the new order’s slices with the open ones', () => {
    const three = signalOf('BUY', 300); // 3 slices
    expect(maxOpenOrdersCheck(three, viewFor(three, { openOrders: 0 }, L), L).passed).toBe(true);
    expect(maxOpenOrdersCheck(three, viewFor(three, { openOrders: 2 }, L), L).passed).toBe(true);
    expect(maxOpenOrdersCheck(three, viewFor(three, { openOrders: 3 }, L), L)).toEqual({
      check: 'max_open_orders',
      passed: false,
      code: 'MAX_OPEN_ORDERS',
      detail: 'strategy s1 has 3 open orders; 3 more would pass the limit of 5',
    });
  });
});

describe('maxDailyTradesCheck', () => {
  it('passes the last allowed trade of the day and refuses the next', () => {
    const L = { ...TEST_LIMITS, maxDailyTrades: 3 };
    const s = signalOf('BUY', 1);
    expect(maxDailyTradesCheck(s, viewFor(s, { tradesToday: 2 }), L).passed).toBe(true);
    expect(maxDailyTradesCheck(s, viewFor(s, { tradesToday: 3 }), L)).toEqual({
      check: 'max_daily_trades',
      passed: false,
      code: 'MAX_DAILY_TRADES',
      detail: 'strategy s1 has 3 validated trades on 2026-01-05; limit is 3',
    });
  });
});

describe('slicingCheck', () => {
  const L = { ...TEST_LIMITS, freezeQuantity: 100, maxSlices: 10, maxQuantity: 100_000 };

  it('passes up to the maximum of slices and refuses one more with TOO_MANY_SLICES', () => {
    const ten = signalOf('BUY', 1_000, { price: 1_000 });
    expect(slicingCheck(ten, viewFor(ten, {}, L), L)).toEqual({
      check: 'slicing',
      passed: true,
      detail: '10 slices of at most 100',
    });
    const eleven = signalOf('BUY', 1_001, { price: 1_000 });
    expect(slicingCheck(eleven, viewFor(eleven, {}, L), L)).toEqual({
      check: 'slicing',
      passed: false,
      code: 'TOO_MANY_SLICES',
      detail: 'quantity 1001 at freeze quantity 100 needs 11 slices; limit is 10',
    });
  });
});

describe('orderRateCheck', () => {
  const L = { ...TEST_LIMITS, ordersPerSecond: 10, ordersPerMinute: 400, ordersPerDay: 5_000 };
  const s = signalOf('BUY', 1);

  it('passes while every window has room', () => {
    const v = viewFor(s, { ordersThisSecond: 9, ordersThisMinute: 399, ordersToday: 4_999 });
    expect(orderRateCheck(s, v, L).passed).toBe(true);
  });

  it.each([
    [
      { ordersThisSecond: 10 },
      'RATE_LIMIT_PER_SECOND',
      'the account has 10 orders this calendar second; 1 more would pass its limit of 10 per second',
    ],
    [
      { ordersThisMinute: 400 },
      'RATE_LIMIT_PER_MINUTE',
      'the account has 400 orders this calendar minute; 1 more would pass its limit of 400 per minute',
    ],
    [
      { ordersToday: 5_000 },
      'RATE_LIMIT_PER_DAY',
      'the account has 5000 orders on trading day 2026-01-05; 1 more would pass its limit of 5000 per day',
    ],
  ] as const)('refuses a full window %o with %s', (full, code, detail) => {
    expect(orderRateCheck(s, viewFor(s, full), L)).toEqual({
      check: 'order_rate',
      passed: false,
      code,
      detail,
    });
  });

  it('counts every slice of the order', () => {
    const sliced = { ...L, freezeQuantity: 1 };
    const three = signalOf('BUY', 3);
    expect(
      orderRateCheck(three, viewFor(three, { ordersThisSecond: 8 }, sliced), sliced).code,
    ).toBe('RATE_LIMIT_PER_SECOND');
    expect(
      orderRateCheck(three, viewFor(three, { ordersThisSecond: 7 }, sliced), sliced).passed,
    ).toBe(true);
  });
});
