import { describe, expect, it } from 'vitest';
import type { StrategyConfig } from '../model/index.js';
import { StrategyRegistry } from '../strategies/index.js';
import { checkLiveChange, checkStrategyConfig } from './strategy-config.js';

const registry = new StrategyRegistry();
const cfg = (over: Partial<StrategyConfig> = {}): StrategyConfig =>
  ({
    id: 'ema_a',
    type: 'ema_cross',
    params: { fast_period: 3, slow_period: 8 },
    instruments: [738561],
    brokers: ['paper'],
    enabled: true,
    ...over,
  }) as StrategyConfig;

describe('checkStrategyConfig', () => {
  it('names the nearest known type for a misspelled one', () => {
    expect(checkStrategyConfig(cfg({ type: 'ema_cros' }), registry, [], ['paper'])).toBe(
      'strategy ema_a: unknown strategy type "ema_cros"; known types: ema_cross, momentum; did you mean "ema_cross"?',
    );
  });
});

describe('checkLiveChange', () => {
  it('refuses a misspelled parameter instead of dropping it, naming the nearest', () => {
    expect(
      checkLiveChange(
        cfg(),
        cfg({ params: { fast_period: 2, slow_period: 8 } }),
        registry,
        undefined,
      ),
    ).toEqual({
      ok: true,
      params: { fast_period: 2, slow_period: 8, bar_ticks: 100, quantity: 100 },
    });
    const r = checkLiveChange(
      cfg(),
      cfg({ params: { fast_perod: 2, slow_period: 8 } }),
      registry,
      undefined,
    );
    expect(r).toEqual({
      ok: false,
      error:
        'strategy ema_a: invalid parameters: unknown parameter "fast_perod"; did you mean "fast_period"? (ema_cross takes fast_period, slow_period, bar_ticks, quantity)',
    });
  });
});
