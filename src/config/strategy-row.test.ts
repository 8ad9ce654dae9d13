import { describe, expect, it } from 'vitest';
import { parseStrategyRow } from './strategy-row.js';

const row = (parameters: Record<string, unknown>) => ({
  id: 'ema_cross_tcs',
  type: 'ema_cross',
  enabled: true,
  brokers: ['paper'],
  instruments: [2953217],
  parameters,
});

describe('parseStrategyRow', () => {
  it('reads a row as a strategy configuration', () => {
    expect(parseStrategyRow(row({ fast_period: 3 }))).toEqual({
      ok: true,
      value: {
        id: 'ema_cross_tcs',
        type: 'ema_cross',
        enabled: true,
        brokers: ['paper'],
        instruments: [2953217],
        params: { fast_period: 3 },
      },
    });
  });

  it('refuses a misspelled parameter, naming the nearest and how to correct the row', () => {
    expect(parseStrategyRow(row({ fast_perod: 3 }))).toEqual({
      ok: false,
      error:
        'strategy_configurations row "ema_cross_tcs": parameters: unknown parameter "fast_perod"; did you mean "fast_period"? (ema_cross takes fast_period, slow_period, bar_ticks, quantity); correct the row with UPDATE',
    });
  });

  it('refuses a malformed row, naming the field', () => {
    const r = parseStrategyRow({ ...row({}), brokers: ['kite'] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^strategy_configurations row "ema_cross_tcs": brokers\.0: /);
  });
});
