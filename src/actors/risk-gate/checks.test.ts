import { describe, expect, it } from 'vitest';
import {
  DENIAL_CODES,
  paise,
  quantity,
  strategyId,
  type Side,
  type TradingSignal,
} from '../../model/index.js';
import {
  CHECKS,
  DEFAULT_LIMITS,
  notionalCheck,
  positionCheck,
  cashCheck,
  priceBandCheck,
  quantityCheck,
  tradingStateCheck,
  type GateView,
  type RiskLimits,
} from './checks.js';

const LIMITS: RiskLimits = {
  maxPositionPerInstrument: 1_000,
  priceBandBps: 1_000,
  maxNotionalPerOrder: 1_000_000,
  minQuantity: 1,
  maxQuantity: 500,
  startingCash: 100_000_000,
  cashBufferBps: 50,
};

function signal(side: Side, q: number, price = 10_000): TradingSignal {
  return {
    type: 'TradingSignal',
    broker: 'paper',
    strategyId: strategyId('s1'),
    token: 738561,
    side,
    quantity: quantity(q),
    price: paise(price),
    confidence: 0.5,
    reasoning: 'test',
    tickSeq: 1,
  };
}

const view = (over: Partial<GateView> = {}): GateView => ({
  state: 'ACTIVE',
  lastPrice: 10_000,
  exposure: 0,
  availableCash: 100_000_000,
  ...over,
});

describe('tradingStateCheck', () => {
  it('passes in ACTIVE whatever the order', () => {
    for (const s of [signal('BUY', 10), signal('SELL', 10)])
      expect(tradingStateCheck(s, view({ exposure: 50 }))).toEqual({
        check: 'trading_state',
        passed: true,
      });
  });

  it('refuses everything in HALTED with TRADING_HALTED', () => {
    for (const exposure of [-50, 0, 50])
      for (const s of [signal('BUY', 10), signal('SELL', 10)])
        expect(tradingStateCheck(s, view({ state: 'HALTED', exposure }))).toMatchObject({
          check: 'trading_state',
          passed: false,
          code: 'TRADING_HALTED',
        });
  });

  const reducing = (exposure: number, side: Side, q: number) =>
    tradingStateCheck(signal(side, q), view({ state: 'REDUCING', exposure }));

  it.each([
    // exposure, side, qty, allowed
    [50, 'SELL', 1, true],
    [50, 'SELL', 49, true],
    [50, 'SELL', 50, true], // to flat
    [50, 'SELL', 51, false], // through zero
    [50, 'BUY', 1, false],
    [-50, 'BUY', 20, true],
    [-50, 'BUY', 50, true],
    [-50, 'BUY', 51, false],
    [-50, 'SELL', 1, false],
    [0, 'BUY', 1, false],
    [0, 'SELL', 1, false],
  ] as const)('in REDUCING with exposure %d, %s %d allowed: %s', (exposure, side, q, allowed) => {
    const r = reducing(exposure, side, q);
    expect(r.passed).toBe(allowed);
    if (!allowed) {
      expect(r.code).toBe('REDUCE_ONLY');
      expect(r.detail).toContain(String(exposure));
    }
  });
});

describe('quantityCheck', () => {
  it.each([
    [1, true, undefined],
    [0, false, 'QUANTITY_BELOW_MIN'],
    [500, true, undefined],
    [501, false, 'QUANTITY_ABOVE_MAX'],
  ] as const)('quantity %d passes: %s', (q, passed, code) => {
    const r = quantityCheck(signal('BUY', q), view(), LIMITS);
    expect(r).toMatchObject({ check: 'quantity', passed });
    expect(r.code).toBe(code);
  });

  it('uses the configured minimum', () => {
    const l = { ...LIMITS, minQuantity: 10 };
    expect(quantityCheck(signal('BUY', 10), view(), l).passed).toBe(true);
    expect(quantityCheck(signal('BUY', 9), view(), l)).toMatchObject({
      code: 'QUANTITY_BELOW_MIN',
      detail: 'quantity 9 < minimum 10',
    });
  });
});

describe('priceBandCheck', () => {
  it.each([
    [11_000, true], // exactly +10%
    [11_001, false],
    [9_000, true], // exactly −10%
    [8_999, false],
    [10_000, true],
  ])('price %d against last 10,000 with a 1,000 bps band passes: %s', (price, passed) => {
    const r = priceBandCheck(signal('BUY', 1, price), view(), LIMITS);
    expect(r.passed).toBe(passed);
    if (!passed) expect(r.code).toBe('PRICE_OUTSIDE_BAND');
  });

  it('refuses with NO_REFERENCE_PRICE before any tick (or a zero price)', () => {
    for (const lastPrice of [undefined, 0])
      expect(priceBandCheck(signal('BUY', 1), view({ lastPrice }), LIMITS)).toMatchObject({
        check: 'price_band',
        passed: false,
        code: 'NO_REFERENCE_PRICE',
      });
  });
});

describe('notionalCheck', () => {
  it('passes at exactly the maximum and refuses one paisa over', () => {
    expect(notionalCheck(signal('BUY', 100, 10_000), view(), LIMITS).passed).toBe(true);
    const r = notionalCheck(signal('BUY', 100, 10_001), view({ lastPrice: 10_001 }), LIMITS);
    expect(r).toMatchObject({ passed: false, code: 'NOTIONAL_EXCEEDS_MAX_PER_ORDER' });
    expect(r.detail).toContain('1000100');
  });

  it('values the order at the higher of the signal price and the last tick', () => {
    const r = notionalCheck(signal('SELL', 100, 9_000), view({ lastPrice: 10_001 }), LIMITS);
    expect(r.code).toBe('NOTIONAL_EXCEEDS_MAX_PER_ORDER');
    expect(
      notionalCheck(signal('SELL', 100, 9_000), view({ lastPrice: 10_000 }), LIMITS).passed,
    ).toBe(true);
  });
});

describe('positionCheck', () => {
  it.each([
    [900, 'BUY', 100, true],
    [900, 'BUY', 101, false],
    [-900, 'SELL', 100, true],
    [-900, 'SELL', 101, false],
    [1_000, 'SELL', 2_000, true], // to −1,000
    [1_000, 'SELL', 2_001, false],
    [0, 'BUY', 1_000, true],
    [0, 'SELL', 1_001, false],
  ] as const)('exposure %d, %s %d passes: %s', (exposure, side, q, passed) => {
    const r = positionCheck(signal(side, q), view({ exposure }), LIMITS);
    expect(r.passed).toBe(passed);
    if (!passed) expect(r.code).toBe('POSITION_EXCEEDS_MAX_PER_INSTRUMENT');
  });
});

describe('CHECKS', () => {
  it('runs the six checks in order, each with a stable name', () => {
    const results = CHECKS.map((c) => c(signal('BUY', 10), view(), DEFAULT_LIMITS));
    expect(results.map((r) => r.check)).toEqual([
      'trading_state',
      'quantity',
      'price_band',
      'notional',
      'max_position',
      'cash',
    ]);
    expect(results.every((r) => r.passed)).toBe(true);
  });

  it('reports every failure with a code from DENIAL_CODES and a detail', () => {
    const r = CHECKS.map((c) =>
      c(signal('BUY', 20_000, 50_000), view({ state: 'HALTED' }), DEFAULT_LIMITS),
    );
    expect(r.map((x) => x.code)).toEqual([
      'TRADING_HALTED',
      'QUANTITY_ABOVE_MAX',
      'PRICE_OUTSIDE_BAND',
      'NOTIONAL_EXCEEDS_MAX_PER_ORDER',
      'POSITION_EXCEEDS_MAX_PER_INSTRUMENT',
      'INSUFFICIENT_CASH',
    ]);
    for (const x of r) {
      expect(DENIAL_CODES).toContain(x.code);
      expect(x.detail).toBeTruthy();
    }
  });
});

describe('cashCheck', () => {
  it('passes a buy whose value plus the buffer fits the available cash, and refuses one paisa more', () => {
    // 100 × ₹100.00 = 1,000,000 paise; with 50 bps: 1,005,000 paise.
    expect(
      cashCheck(signal('BUY', 100, 10_000), view({ availableCash: 1_005_000 }), LIMITS).passed,
    ).toBe(true);
    const r = cashCheck(signal('BUY', 100, 10_000), view({ availableCash: 1_004_999 }), LIMITS);
    expect(r).toMatchObject({ passed: false, code: 'INSUFFICIENT_CASH' });
    expect(r.detail).toContain('1005000 paise');
  });

  it('prices the buy at the higher of the signal price and the last tick', () => {
    const r = cashCheck(
      signal('BUY', 100, 10_000),
      view({ lastPrice: 12_000, availableCash: 1_100_000 }),
      LIMITS,
    );
    expect(r.code).toBe('INSUFFICIENT_CASH');
  });

  it('never refuses a sell for cash', () => {
    expect(cashCheck(signal('SELL', 100), view({ availableCash: -5 }), LIMITS).passed).toBe(true);
  });
});
