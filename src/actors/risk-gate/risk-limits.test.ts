import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { MONDAY_10_IST, OPEN_ALWAYS, TEST_LIMITS } from '../../../test/helpers/risk-gate.js';
import { SimulatedClock } from '../../runtime/index.js';
import { riskGateMachine } from './risk-gate-machine.js';
import { riskLimits, type RiskLimits } from './risk-limits.js';

describe('riskLimits', () => {
  it('returns valid limits as they are', () => {
    expect(riskLimits(TEST_LIMITS)).toBe(TEST_LIMITS);
  });

  it('refuses a market protection of 0 (SEBI: no unprotected market orders), naming the field', () => {
    expect(() => riskLimits({ ...TEST_LIMITS, marketProtectionBps: 0 })).toThrow(RangeError);
    expect(() => riskLimits({ ...TEST_LIMITS, marketProtectionBps: 0 })).toThrow(
      /^risk limit marketProtectionBps must be an integer from 1 to 10000 .*received 0$/,
    );
  });

  it.each<[keyof RiskLimits, unknown]>([
    ['maxSlices', 0],
    ['ordersPerSecond', 1.5],
    ['freezeQuantity', -1],
    ['misEntryCutoffMinute', 1441],
    ['dailyLossLimitPerStrategy', -5],
    ['lossLimitAction', 'ACTIVE'],
    ['defaultProduct', 'NRML'],
    ['allowedInstruments', [738561, 0]],
  ])('refuses %s = %j', (field, value) => {
    expect(() => riskLimits({ ...TEST_LIMITS, [field]: value } as RiskLimits)).toThrow(
      new RegExp(`^risk limit ${field} must be`),
    );
  });

  it('refuses a maximum quantity below the minimum', () => {
    expect(() => riskLimits({ ...TEST_LIMITS, minQuantity: 10, maxQuantity: 9 })).toThrow(
      /maxQuantity \(9\) must not be below minQuantity \(10\)/,
    );
  });

  it('keeps a gate from starting on limits without market protection', () => {
    const actor = createActor(riskGateMachine, {
      input: {
        broker: 'paper',
        limits: { ...TEST_LIMITS, marketProtectionBps: 0 },
        instruments: [],
        hours: OPEN_ALWAYS,
        clock: new SimulatedClock(MONDAY_10_IST),
      },
    });
    const snap = actor.getSnapshot();
    expect(snap.status).toBe('error');
    expect(String(snap.error)).toContain('RangeError: risk limit marketProtectionBps');
  });
});
