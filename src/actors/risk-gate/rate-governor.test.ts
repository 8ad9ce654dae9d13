import { describe, expect, it } from 'vitest';
import type { SignalRejected } from '../../model/index.js';
import { DAY, MINUTE, MONDAY_10_IST, gateRig, signalOf } from '../../../test/helpers/risk-gate.js';

/** Limits loose everywhere but the order rate, so only the governor refuses. */
const LOOSE = {
  maxDailyTrades: 100_000,
  maxOpenOrders: 100_000,
  maxPositionPerInstrument: 100_000,
  ordersPerDay: 100_000,
};

/** Alternating buys and sells of one share through s1 and s2: nothing but the rate adds up. */
const nth = (i: number) =>
  signalOf(i % 2 === 0 ? 'BUY' : 'SELL', 1, { strategy: i % 4 < 2 ? 's1' : 's2' });

describe('order-rate governor (account-wide)', () => {
  it('refuses the 11th order within one calendar second, whichever strategy sends it', () => {
    const g = gateRig({ limits: LOOSE });
    g.tick();
    g.clock.advance(100); // anywhere inside the second
    const out = Array.from({ length: 11 }, (_, i) => g.decide(nth(i)));
    expect(out.slice(0, 10).every((d) => d.type === 'SignalValidated')).toBe(true);
    expect(new Set(out.slice(0, 10).map((d) => d.signal.strategyId))).toEqual(
      new Set(['s1', 's2']),
    );
    const last = out[10] as SignalRejected;
    expect(last).toMatchObject({ type: 'SignalRejected', code: 'RATE_LIMIT_PER_SECOND' });
    expect(last.detail).toBe(
      'the account has 10 orders this calendar second; 1 more would pass its limit of 10 per second',
    );
    // The refused intent did not count, and the next calendar second starts again.
    expect(g.ctx().rate.inSecond).toBe(10);
    g.clock.set(MONDAY_10_IST + 1_000);
    expect(g.decide(nth(11)).type).toBe('SignalValidated');
  });

  it('refuses the 401st order within a calendar minute, spread over its seconds', () => {
    const g = gateRig({ limits: LOOSE });
    g.tick();
    const codes: string[] = [];
    for (let i = 0; i < 401; i++) {
      g.clock.set(MONDAY_10_IST + Math.floor(i / 10) * 1_000); // 10 in each of seconds 0..40
      const d = g.decide(nth(i));
      codes.push(d.type === 'SignalRejected' ? d.code : 'VALIDATED');
    }
    expect(codes.slice(0, 400).every((c) => c === 'VALIDATED')).toBe(true);
    expect(codes[400]).toBe('RATE_LIMIT_PER_MINUTE');
    g.clock.set(MONDAY_10_IST + MINUTE);
    expect(g.decide(nth(401)).type).toBe('SignalValidated');
  });

  it('refuses past the day limit until the next IST trading day', () => {
    const g = gateRig({ limits: { ...LOOSE, ordersPerDay: 5 } });
    g.tick();
    for (let i = 0; i < 5; i++) {
      g.clock.advance(2_000);
      expect(g.decide(nth(i)).type).toBe('SignalValidated');
    }
    g.clock.advance(MINUTE);
    expect(g.decide(nth(5))).toMatchObject({ code: 'RATE_LIMIT_PER_DAY' });
    g.clock.set(MONDAY_10_IST + DAY);
    expect(g.decide(nth(6)).type).toBe('SignalValidated');
    expect(g.ctx()).toMatchObject({ day: '2026-01-06', rate: { inDay: 1 } });
  });

  it('starts the day count again at an IST_MIDNIGHT timer', () => {
    const g = gateRig({ limits: { ...LOOSE, ordersPerDay: 2 } });
    g.tick();
    g.decide(nth(0));
    g.decide(nth(1));
    expect(g.decide(nth(2))).toMatchObject({ code: 'RATE_LIMIT_PER_DAY' });
    g.actor.send({
      type: 'MarketTimerFired',
      kind: 'IST_MIDNIGHT',
      at: MONDAY_10_IST + 14 * 60 * MINUTE,
      tradingDay: '2026-01-06',
    });
    expect(g.ctx().rate.inDay).toBe(0);
    expect(g.decide(nth(3)).type).toBe('SignalValidated');
    // A timer of a day already begun (late, or repeated) starts nothing again.
    for (const tradingDay of ['2026-01-06', '2026-01-05'])
      g.actor.send({ type: 'MarketTimerFired', kind: 'IST_MIDNIGHT', at: 0, tradingDay });
    expect(g.ctx()).toMatchObject({ day: '2026-01-06', rate: { inDay: 1 } });
  });

  it('counts every slice of a sliced order', () => {
    const g = gateRig({ limits: { ...LOOSE, freezeQuantity: 1 } });
    g.tick();
    expect(g.decide(signalOf('BUY', 4)).type).toBe('SignalValidated');
    expect(g.decide(signalOf('SELL', 7))).toMatchObject({ code: 'RATE_LIMIT_PER_SECOND' });
    expect(g.decide(signalOf('SELL', 6)).type).toBe('SignalValidated');
    expect(g.ctx().rate.inSecond).toBe(10);
  });

  it("tightens on the broker's own 429: nothing new until the window it names, then as before", () => {
    const g = gateRig({ limits: LOOSE });
    g.tick();
    expect(g.decide(nth(0)).type).toBe('SignalValidated');
    const until = MONDAY_10_IST + 1_000;
    g.actor.send({
      type: 'OrderThrottled',
      broker: 'paper',
      clientOrderId: 'X',
      until,
      detail: 'Kite answered 429',
    });
    const refused = g.decide(nth(1)) as SignalRejected;
    expect(refused).toMatchObject({ type: 'SignalRejected', code: 'RATE_LIMIT_PER_SECOND' });
    expect(refused.detail).toContain("the broker refused an order for the account's rate");
    // Another broker's throttle, or an older window, changes nothing.
    g.actor.send({
      type: 'OrderThrottled',
      broker: 'zerodha',
      clientOrderId: 'Y',
      until: until + 60_000,
      detail: '',
    });
    g.actor.send({
      type: 'OrderThrottled',
      broker: 'paper',
      clientOrderId: 'Z',
      until: until - 500,
      detail: '',
    });
    expect(g.ctx().rate.throttledUntil).toBe(until);
    g.clock.set(until);
    expect(g.decide(nth(2)).type).toBe('SignalValidated');
  });
});
