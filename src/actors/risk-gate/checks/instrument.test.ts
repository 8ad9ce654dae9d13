import { describe, expect, it } from 'vitest';
import {
  LOTTY,
  NIFTY,
  RELIANCE,
  TCS,
  TEST_LIMITS,
  signalOf,
  viewFor,
} from '../../../../test/helpers/risk-gate.js';
import { instrumentCheck } from './instrument.js';
import { lotSizeCheck } from './lot-size.js';
import { tickSizeCheck } from './tick-size.js';

describe('instrumentCheck', () => {
  it('passes a listed equity when every instrument is allowed', () => {
    const s = signalOf('BUY', 1);
    expect(instrumentCheck(s, viewFor(s), TEST_LIMITS)).toEqual({
      check: 'instrument',
      passed: true,
    });
  });

  it('refuses an index with INSTRUMENT_NOT_TRADABLE', () => {
    const s = signalOf('BUY', 1, { token: NIFTY });
    expect(instrumentCheck(s, viewFor(s), TEST_LIMITS)).toMatchObject({
      passed: false,
      code: 'INSTRUMENT_NOT_TRADABLE',
      detail: expect.stringContaining('NIFTY 50'),
    });
  });

  it('refuses an instrument outside the allow-list or the run with INSTRUMENT_NOT_ALLOWED', () => {
    const limits = { ...TEST_LIMITS, allowedInstruments: [RELIANCE] };
    const ok = signalOf('BUY', 1);
    expect(instrumentCheck(ok, viewFor(ok), limits).passed).toBe(true);
    const tcs = signalOf('BUY', 1, { token: TCS });
    expect(instrumentCheck(tcs, viewFor(tcs), limits)).toMatchObject({
      code: 'INSTRUMENT_NOT_ALLOWED',
      detail: expect.stringContaining('TCS'),
    });
    const unknown = signalOf('BUY', 1, { token: 12345 });
    expect(instrumentCheck(unknown, viewFor(unknown), TEST_LIMITS)).toMatchObject({
      code: 'INSTRUMENT_NOT_ALLOWED',
      detail: "instrument 12345 is not among the run's instruments",
    });
  });
});

describe('lotSizeCheck', () => {
  it('passes whole lots and refuses anything else with LOT_SIZE_MISMATCH', () => {
    for (const q of [25, 50, 250]) {
      const s = signalOf('BUY', q, { token: LOTTY, price: 50_000 });
      expect(lotSizeCheck(s, viewFor(s), TEST_LIMITS).passed).toBe(true);
    }
    for (const q of [1, 24, 26, 60]) {
      const s = signalOf('BUY', q, { token: LOTTY, price: 50_000 });
      expect(lotSizeCheck(s, viewFor(s), TEST_LIMITS)).toMatchObject({
        passed: false,
        code: 'LOT_SIZE_MISMATCH',
        detail: `quantity ${q} is not a multiple of LOTTY's lot size 25`,
      });
    }
  });
});

describe('tickSizeCheck', () => {
  const at = (order: object) => signalOf('BUY', 1, { order: { orderType: 'LIMIT', ...order } });

  it('passes prices on the tick (5 paise for RELIANCE)', () => {
    const s = at({ limitPrice: 100_005, bracket: { takeProfit: 110_000, stopLoss: 95_000 } });
    expect(tickSizeCheck(s, viewFor(s), TEST_LIMITS).passed).toBe(true);
  });

  it.each([
    ['limit price', { limitPrice: 100_003 }],
    ['trigger price', { orderType: 'SL', limitPrice: 100_010, triggerPrice: 100_002 }],
    ['take-profit price', { limitPrice: 100_000, bracket: { takeProfit: 110_001 } }],
    ['stop-loss price', { limitPrice: 100_000, bracket: { stopLoss: 94_999 } }],
  ])('refuses a %s off the tick with TICK_SIZE_MISMATCH', (name, order) => {
    const s = at(order);
    const r = tickSizeCheck(s, viewFor(s), TEST_LIMITS);
    expect(r).toMatchObject({ passed: false, code: 'TICK_SIZE_MISMATCH' });
    expect(r.detail).toMatch(
      new RegExp(`^${name} \\d+ paise is not a multiple of RELIANCE's tick size 5 paise$`),
    );
  });

  it("uses the instrument's own tick size (10 paise for LOTTY)", () => {
    const s = signalOf('BUY', 25, {
      token: LOTTY,
      order: { orderType: 'LIMIT', limitPrice: 50_005 },
    });
    expect(tickSizeCheck(s, viewFor(s), TEST_LIMITS).code).toBe('TICK_SIZE_MISMATCH');
  });
});
