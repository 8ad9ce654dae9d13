import { describe, expect, it } from 'vitest';
import type { Side } from '../../../model/index.js';
import { TEST_LIMITS, signalOf, viewFor } from '../../../../test/helpers/risk-gate.js';
import { marketHoursCheck } from './market-hours.js';
import { misCutoffCheck } from './mis-cutoff.js';
import { tradingStateCheck } from './trading-state.js';

describe('tradingStateCheck', () => {
  it('passes anything while ACTIVE', () => {
    for (const s of [signalOf('BUY', 10), signalOf('SELL', 10)])
      expect(tradingStateCheck(s, viewFor(s, { exposure: 50 }), TEST_LIMITS)).toEqual({
        check: 'trading_state',
        passed: true,
      });
  });

  it('refuses everything while HALTED with TRADING_HALTED, naming whose halt it is', () => {
    for (const exposure of [-50, 0, 50])
      for (const s of [signalOf('BUY', 10), signalOf('SELL', 10)]) {
        const stateOf = 'HALTED for strategy s1 on paper (operator: review)';
        const r = tradingStateCheck(
          s,
          viewFor(s, { state: 'HALTED', stateOf, exposure }),
          TEST_LIMITS,
        );
        expect(r).toEqual({
          check: 'trading_state',
          passed: false,
          code: 'TRADING_HALTED',
          detail: `trading is ${stateOf}`,
        });
      }
  });

  it.each([
    // exposure, side, qty, allowed
    [50, 'SELL', 1, true],
    [50, 'SELL', 50, true], // to flat
    [50, 'SELL', 51, false], // through zero
    [50, 'BUY', 1, false],
    [-50, 'BUY', 50, true],
    [-50, 'BUY', 51, false],
    [-50, 'SELL', 1, false],
    [0, 'BUY', 1, false],
    [0, 'SELL', 1, false],
  ] as const)('REDUCING with exposure %d: %s %d allowed %s', (exposure, side, q, allowed) => {
    const s = signalOf(side as Side, q);
    const r = tradingStateCheck(s, viewFor(s, { state: 'REDUCING', exposure }), TEST_LIMITS);
    expect(r.passed).toBe(allowed);
    if (!allowed) {
      expect(r.code).toBe('REDUCE_ONLY');
      expect(r.detail).toContain(`position of ${exposure}`);
    }
  });
});

describe('marketHoursCheck', () => {
  it('passes while the market is open and refuses with MARKET_CLOSED when it is not', () => {
    const s = signalOf('BUY', 1);
    expect(marketHoursCheck(s, viewFor(s), TEST_LIMITS).passed).toBe(true);
    const r = marketHoursCheck(s, viewFor(s, { marketOpen: false, minuteOfDay: 935 }), TEST_LIMITS);
    expect(r).toMatchObject({ check: 'market_hours', passed: false, code: 'MARKET_CLOSED' });
    expect(r.detail).toContain('2026-01-05T04:30:00.000Z');
    expect(r.detail).toContain('minute 935');
  });
});

describe('misCutoffCheck', () => {
  const mis = (side: Side, q: number) => signalOf(side, q, { order: { product: 'MIS' } });
  const limits = { ...TEST_LIMITS, misEntryCutoffMinute: 915 };

  it('passes an MIS entry one minute before the cut-off', () => {
    const s = mis('BUY', 10);
    expect(misCutoffCheck(s, viewFor(s, { minuteOfDay: 914 }), limits).passed).toBe(true);
  });

  it('refuses an MIS order that opens or grows a position at and after the cut-off', () => {
    for (const [exposure, side] of [
      [0, 'BUY'],
      [0, 'SELL'],
      [20, 'BUY'],
      [20, 'SELL'], // 20 − 30: through zero, a new short
    ] as const) {
      const s = mis(side, 30);
      for (const minuteOfDay of [915, 1000]) {
        const r = misCutoffCheck(s, viewFor(s, { minuteOfDay, exposure }), limits);
        expect(r).toMatchObject({ passed: false, code: 'MIS_ENTRY_CUTOFF' });
        expect(r.detail).toContain('minute 915 (15:15)');
      }
    }
  });

  it('lets an MIS order that only shrinks the position through after the cut-off', () => {
    const s = mis('SELL', 20);
    expect(misCutoffCheck(s, viewFor(s, { minuteOfDay: 930, exposure: 20 }), limits).passed).toBe(
      true,
    );
  });

  it('never applies to CNC (the default product here)', () => {
    const s = signalOf('BUY', 10);
    expect(misCutoffCheck(s, viewFor(s, { minuteOfDay: 1000 }), limits).passed).toBe(true);
  });
});
