import { describe, expect, it } from 'vitest';
import { SignalRejectedSchema, SignalValidatedSchema } from '../../model/index.js';
import {
  LOTTY,
  MINUTE,
  MONDAY_10_IST,
  OPEN_ALWAYS,
  S1,
  gateRig,
  istDate,
  orderId,
  outcome,
  signalOf,
} from '../../../test/helpers/risk-gate.js';

describe('risk gate: validation', () => {
  it('rejects with NO_REFERENCE_PRICE before any tick, reporting every check', () => {
    const g = gateRig();
    const d = g.decide(signalOf('BUY', 10));
    expect(SignalRejectedSchema.parse(d)).toMatchObject({
      type: 'SignalRejected',
      broker: 'paper',
      code: 'NO_REFERENCE_PRICE',
    });
    expect(d.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['price_band']);
    expect(d.checks).toHaveLength(16);
    expect(g.ctx().rejected).toBe(1);
  });

  it('validates a signal inside every limit, with the order it resolves to', () => {
    const g = gateRig();
    g.tick(100_000);
    const d = g.decide(signalOf('BUY', 10));
    expect(SignalValidatedSchema.parse(d)).toMatchObject({
      type: 'SignalValidated',
      order: {
        orderType: 'MARKET',
        validity: 'DAY',
        product: 'CNC',
        protectionPrice: 102_000,
        slices: [10],
      },
    });
    expect(d.checks.every((c) => c.passed)).toBe(true);
    expect(g.ctx()).toMatchObject({ validated: 1, pending: { s1: { 738561: 10 } } });
  });

  it('rejects with the code of the first failing check', () => {
    const g = gateRig({ limits: { maxQuantity: 50, priceBandBps: 500 } });
    g.tick(100_000);
    expect(g.outcome('BUY', 51, { price: 106_000 })).toBe('QUANTITY_ABOVE_MAX');
    expect(g.outcome('BUY', 10, { price: 105_001 })).toBe('PRICE_OUTSIDE_BAND');
    expect(g.outcome('BUY', 10, { price: 105_000 })).toBe('VALIDATED');
  });

  it('refuses when the market calendar says closed at the time of the input', () => {
    const close = MONDAY_10_IST + 330 * MINUTE; // 15:30 IST
    const g = gateRig({ hours: { isOpen: (t) => t < close, tradingDay: istDate } });
    g.tick();
    expect(g.outcome('BUY', 1)).toBe('VALIDATED');
    g.clock.set(close);
    const d = g.decide(signalOf('BUY', 1));
    expect(d).toMatchObject({ code: 'MARKET_CLOSED' });
    expect(d.type === 'SignalRejected' && d.detail).toContain('2026-01-05T10:00:00.000Z');
  });

  it('stops new MIS entries from the cut-off minute of the clock, but not exits', () => {
    const g = gateRig({ limits: { defaultProduct: 'MIS', misEntryCutoffMinute: 915 } });
    g.tick();
    g.trade('BUY', 10);
    g.clock.set(MONDAY_10_IST + 314 * MINUTE); // 15:14 IST
    expect(g.outcome('BUY', 1)).toBe('VALIDATED');
    g.clock.set(MONDAY_10_IST + 315 * MINUTE); // 15:15 IST
    expect(g.outcome('BUY', 1)).toBe('MIS_ENTRY_CUTOFF');
    expect(g.outcome('SELL', 5)).toBe('VALIDATED');
    expect(g.outcome('BUY', 1, { order: { product: 'CNC' } })).toBe('VALIDATED');
  });

  it('uses the run’s instruments for lot size', () => {
    const g = gateRig();
    g.tick(50_000, LOTTY);
    expect(g.outcome('BUY', 30, { token: LOTTY, price: 50_000 })).toBe('LOT_SIZE_MISMATCH');
    expect(g.outcome('BUY', 50, { token: LOTTY, price: 50_000 })).toBe('VALIDATED');
  });
});

describe('risk gate: slicing', () => {
  it('validates a quantity above the freeze quantity as slices', () => {
    const g = gateRig({ limits: { freezeQuantity: 400, maxPositionPerInstrument: 10_000 } });
    g.tick(10_000);
    const d = g.decide(signalOf('BUY', 1_000, { price: 10_000 }));
    expect(d).toMatchObject({ type: 'SignalValidated', order: { slices: [400, 400, 200] } });
    expect(g.ctx().rate).toMatchObject({ inSecond: 3, inMinute: 3, inDay: 3 });
    expect(g.ctx().unplaced).toEqual({ s1: 3 });
  });

  it('refuses more than the maximum of slices with TOO_MANY_SLICES', () => {
    const g = gateRig({ limits: { freezeQuantity: 100, maxPositionPerInstrument: 10_000 } });
    g.tick(10_000);
    expect(g.outcome('BUY', 1_100, { price: 10_000 })).toBe('TOO_MANY_SLICES');
    expect(g.outcome('BUY', 1_000, { price: 10_000 })).toBe('VALIDATED');
  });
});

describe('risk gate: positions', () => {
  it('counts validated, unfilled quantity against the position limit', () => {
    const g = gateRig({ limits: { maxPositionPerInstrument: 100 } });
    g.tick();
    expect(g.outcome('BUY', 60)).toBe('VALIDATED');
    expect(g.outcome('BUY', 60)).toBe('POSITION_EXCEEDS_MAX_PER_INSTRUMENT');
    expect(g.outcome('BUY', 40)).toBe('VALIDATED');
  });

  it('rejects on the real position after fills, and frees quantity the broker refused', () => {
    const g = gateRig({ limits: { maxPositionPerInstrument: 100 } });
    g.tick();
    g.trade('BUY', 60);
    expect(g.ctx().positions).toEqual({ s1: { 738561: 60 } });
    expect(g.ctx().pending).toEqual({});
    expect(g.outcome('BUY', 41)).toBe('POSITION_EXCEEDS_MAX_PER_INSTRUMENT');
    const d = g.decide(signalOf('BUY', 40));
    const [id] = g.submit(d);
    expect(g.outcome('BUY', 1)).toBe('POSITION_EXCEEDS_MAX_PER_INSTRUMENT');
    g.reject({ id: id!, side: 'BUY', quantity: 40 });
    expect(g.outcome('BUY', 40)).toBe('VALIDATED');
  });

  it('keeps positions per strategy', () => {
    const g = gateRig({ limits: { maxPositionPerInstrument: 100 } });
    g.tick();
    g.trade('BUY', 100);
    expect(g.outcome('BUY', 1)).toBe('POSITION_EXCEEDS_MAX_PER_INSTRUMENT');
    expect(g.outcome('BUY', 100, { strategy: 's2' })).toBe('VALIDATED');
  });

  it('ignores a fill it never validated when settling pending', () => {
    const g = gateRig();
    g.tick();
    g.fill({ id: orderId(1), side: 'SELL', quantity: 5 });
    expect(g.ctx().positions).toEqual({ s1: { 738561: -5 } });
    expect(g.ctx().pending).toEqual({});
  });
});

describe('risk gate: cash', () => {
  it('reserves cash for validated buys, spends it on fills, and refuses what a strategy cannot pay', () => {
    // ₹25,000 of cash; each buy of 10 at ₹1,000 costs 1,000,000 paise.
    const g = gateRig({ limits: { startingCash: 2_500_000, cashBufferBps: 0 } });
    g.tick();
    const a = g.decide(signalOf('BUY', 10));
    const b = g.decide(signalOf('BUY', 10));
    expect(g.outcome('BUY', 10)).toBe('INSUFFICIENT_CASH');
    for (const d of [a, b]) {
      const [id] = g.submit(d);
      g.fill({ id: id!, side: 'BUY', quantity: 10, fees: 100 });
    }
    expect(g.ctx().cash[S1]).toBe(499_800);
    expect(g.outcome('BUY', 10)).toBe('INSUFFICIENT_CASH');
    g.fill({ id: orderId(9), side: 'SELL', quantity: 10, fees: 100 });
    expect(g.outcome('BUY', 10)).toBe('VALIDATED');
    expect(g.outcome('BUY', 20, { strategy: 's2' })).toBe('VALIDATED');
  });
});

describe('risk gate: market timers', () => {
  it('accepts timers other than IST midnight without a change', () => {
    const g = gateRig();
    g.tick();
    const before = g.ctx();
    g.actor.send({
      type: 'MarketTimerFired',
      kind: 'MIS_CUTOFF',
      at: MONDAY_10_IST,
      tradingDay: '2026-01-05',
    });
    expect(g.ctx()).toBe(before);
    expect(g.emitted).toEqual([]);
  });
});

describe('risk gate: hours from elsewhere', () => {
  it('asks the calendar, not a clock of its own', () => {
    const asked: number[] = [];
    const g = gateRig({
      hours: {
        isOpen: (t) => (asked.push(t), true),
        tradingDay: OPEN_ALWAYS.tradingDay,
      },
    });
    g.tick();
    g.clock.advance(1_234);
    expect(outcome(g.decide(signalOf('BUY', 1)))).toBe('VALIDATED');
    expect(asked).toEqual([MONDAY_10_IST + 1_234]);
  });
});
