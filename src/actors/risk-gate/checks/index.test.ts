import { describe, expect, it } from 'vitest';
import { DENIAL_CODES, paise, quantity } from '../../../model/index.js';
import { NIFTY, TEST_LIMITS, signalOf, viewFor } from '../../../../test/helpers/risk-gate.js';
import { CHECKS } from './index.js';

const NAMES = [
  'trading_state',
  'market_hours',
  'mis_cutoff',
  'instrument',
  'order_validity',
  'quantity',
  'lot_size',
  'tick_size',
  'price_band',
  'notional',
  'max_position',
  'max_open_orders',
  'max_daily_trades',
  'cash',
  'slicing',
  'order_rate',
];

describe('CHECKS', () => {
  it('runs every check in order, each with a stable name, and passes a plain order', () => {
    const s = signalOf('BUY', 10);
    const results = CHECKS.map((c) => c(s, viewFor(s), TEST_LIMITS));
    expect(results.map((r) => r.check)).toEqual(NAMES);
    expect(results.every((r) => r.passed)).toBe(true);
  });

  it('reports every failure with its code and a detail', () => {
    const L = { ...TEST_LIMITS, freezeQuantity: 1_000, maxSlices: 2, maxQuantity: 1_000 };
    const s = signalOf('BUY', 2_501, {
      token: NIFTY,
      price: 500_000,
      order: {
        orderType: 'LIMIT',
        product: 'MIS',
        limitPrice: 2_000_001,
        bracket: { takeProfit: 1_000_005 },
      },
    });
    const v = viewFor(
      s,
      {
        state: 'HALTED',
        stateOf: 'HALTED for broker paper (operator: test)',
        marketOpen: false,
        minuteOfDay: 1_000,
        lastPrice: 1_000_000,
        openOrders: 100,
        tradesToday: 50,
        ordersThisSecond: 10,
        availableCash: 0,
        instrument: { ...viewFor(s).instrument!, lotSize: quantity(2), tickSize: paise(5) },
      },
      L,
    );
    const r = CHECKS.map((c) => c(s, v, L));
    expect(r.map((x) => x.code)).toEqual([
      'TRADING_HALTED',
      'MARKET_CLOSED',
      'MIS_ENTRY_CUTOFF',
      'INSTRUMENT_NOT_TRADABLE',
      'INVALID_ORDER',
      'QUANTITY_ABOVE_MAX',
      'LOT_SIZE_MISMATCH',
      'TICK_SIZE_MISMATCH',
      'PRICE_OUTSIDE_BAND',
      'NOTIONAL_EXCEEDS_MAX_PER_ORDER',
      'POSITION_EXCEEDS_MAX_PER_INSTRUMENT',
      'MAX_OPEN_ORDERS',
      'MAX_DAILY_TRADES',
      'INSUFFICIENT_CASH',
      'TOO_MANY_SLICES',
      'RATE_LIMIT_PER_SECOND',
    ]);
    for (const x of r) {
      expect(DENIAL_CODES).toContain(x.code);
      expect(x.detail).toBeTruthy();
    }
  });
});
