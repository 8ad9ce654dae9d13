import { describe, expect, it } from 'vitest';
import type { Side } from '../../../model/index.js';
import {
  TEST_LIMITS,
  signalOf,
  viewFor,
  type PlainOrderSpec as OrderSpec,
} from '../../../../test/helpers/risk-gate.js';
import { orderValidityCheck } from './order-validity.js';

/** The check on a signal at last price ₹1,000.00 (100,000 paise). */
const judge = (side: Side, order: OrderSpec | undefined, lastPrice = 100_000) => {
  const s = signalOf(side, 1, order === undefined ? {} : { order });
  return orderValidityCheck(s, viewFor(s, { lastPrice }), TEST_LIMITS);
};

describe('orderValidityCheck', () => {
  it.each<[string, Side, OrderSpec | undefined]>([
    ['no spec (MARKET)', 'BUY', undefined],
    ['MARKET', 'SELL', { orderType: 'MARKET' }],
    ['LIMIT', 'BUY', { orderType: 'LIMIT', limitPrice: 99_000 }],
    [
      'SL buy: trigger above last, limit at or above trigger',
      'BUY',
      { orderType: 'SL', triggerPrice: 101_000, limitPrice: 101_000 },
    ],
    [
      'SL sell: trigger below last, limit at or below trigger',
      'SELL',
      { orderType: 'SL', triggerPrice: 99_000, limitPrice: 98_900 },
    ],
    ['SL-M sell', 'SELL', { orderType: 'SL-M', triggerPrice: 99_000 }],
    ['MARKET buy bracket', 'BUY', { bracket: { takeProfit: 105_000, stopLoss: 97_000 } }],
    [
      'LIMIT sell bracket around its limit',
      'SELL',
      {
        orderType: 'LIMIT',
        limitPrice: 101_000,
        bracket: { takeProfit: 100_500, stopLoss: 101_500 },
      },
    ],
  ])('passes %s', (_name, side, order) => {
    expect(judge(side, order)).toEqual({ check: 'order_validity', passed: true });
  });

  it.each<[string, Side, OrderSpec, string]>([
    ['LIMIT without a limit', 'BUY', { orderType: 'LIMIT' }, 'a LIMIT order needs a limit price'],
    [
      'LIMIT with a trigger',
      'BUY',
      { orderType: 'LIMIT', limitPrice: 1, triggerPrice: 2 },
      'a LIMIT order takes no trigger price (got 2 paise)',
    ],
    [
      'SL without a trigger',
      'BUY',
      { orderType: 'SL', limitPrice: 101_000 },
      'a SL order needs a trigger price',
    ],
    [
      'SL without a limit',
      'BUY',
      { orderType: 'SL', triggerPrice: 101_000 },
      'a SL order needs a limit price',
    ],
    ['SL-M without a trigger', 'SELL', { orderType: 'SL-M' }, 'a SL-M order needs a trigger price'],
    [
      'SL-M with a limit',
      'SELL',
      { orderType: 'SL-M', triggerPrice: 99_000, limitPrice: 98_000 },
      'a SL-M order takes no limit price (got 98000 paise)',
    ],
    [
      'MARKET with a limit',
      'BUY',
      { limitPrice: 100_000 },
      'a MARKET order takes no limit price (got 100000 paise)',
    ],
    [
      'MARKET with a trigger',
      'BUY',
      { orderType: 'MARKET', triggerPrice: 100_000 },
      'a MARKET order takes no trigger price (got 100000 paise)',
    ],
    [
      'SL buy limit under its trigger',
      'BUY',
      { orderType: 'SL', triggerPrice: 101_000, limitPrice: 100_900 },
      "a BUY SL order's limit 100900 paise must be at or above its trigger 101000 paise",
    ],
    [
      'SL sell limit over its trigger',
      'SELL',
      { orderType: 'SL', triggerPrice: 99_000, limitPrice: 99_100 },
      "a SELL SL order's limit 99100 paise must be at or below its trigger 99000 paise",
    ],
    [
      'buy stop at the last price',
      'BUY',
      { orderType: 'SL-M', triggerPrice: 100_000 },
      "a BUY stop's trigger 100000 paise must be above the last price 100000 paise",
    ],
    [
      'sell stop above the last price',
      'SELL',
      { orderType: 'SL-M', triggerPrice: 100_100 },
      "a SELL stop's trigger 100100 paise must be below the last price 100000 paise",
    ],
    [
      'buy take-profit below entry',
      'BUY',
      { bracket: { takeProfit: 99_000 } },
      "a BUY order's take-profit 99000 paise must be above its entry price 100000 paise",
    ],
    [
      'buy stop-loss above entry',
      'BUY',
      { bracket: { stopLoss: 100_000 } },
      "a BUY order's stop-loss 100000 paise must be below its entry price 100000 paise",
    ],
    [
      'sell take-profit above entry',
      'SELL',
      { bracket: { takeProfit: 101_000 } },
      "a SELL order's take-profit 101000 paise must be below its entry price 100000 paise",
    ],
    [
      'sell stop-loss below its limit',
      'SELL',
      { orderType: 'LIMIT', limitPrice: 102_000, bracket: { stopLoss: 101_000 } },
      "a SELL order's stop-loss 101000 paise must be above its entry price 102000 paise",
    ],
  ])('refuses %s with INVALID_ORDER', (_name, side, order, detail) => {
    expect(judge(side, order)).toEqual({
      check: 'order_validity',
      passed: false,
      code: 'INVALID_ORDER',
      detail,
    });
  });
});
