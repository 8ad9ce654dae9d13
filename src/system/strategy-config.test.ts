import { describe, expect, it } from 'vitest';
import type { StrategyConfig } from '../model/index.js';
import { StrategyRegistry } from '../strategies/index.js';
import { checkLiveChange, checkStrategyConfig } from './strategy-config.js';
import { loadStrategyRegistry } from './strategy-files/index.js';

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
      'strategy ema_a: unknown strategy type "ema_cros"; known types: ema_cross, hybrid_mean_reversion, hybrid_momentum, low_frequency_demo, mean_reversion, ml_breakout, ml_mean_reversion, ml_momentum, momentum, rsi; did you mean "ema_cross"?',
    );
  });
});

describe('a strategy that cannot start', () => {
  // The project's own STRATEGIES_DIR: the sample models, no strategy files.
  const shipped = loadStrategyRegistry('strategies').registry;
  const model = (params: Record<string, unknown>) =>
    cfg({ id: 'ml_a', type: 'ml_breakout', params });

  it('is refused at start, alone, when its model takes another number of features', () => {
    expect(
      checkStrategyConfig(model({}), shipped, [{ token: 738561 } as never], ['paper']),
    ).toBeNull();
    const wrong = checkStrategyConfig(
      model({ model_path: 'models/momentum_v1.json' }),
      shipped,
      [{ token: 738561 } as never],
      ['paper'],
    );
    expect(wrong).toMatch(
      /^strategy ml_a: cannot start: .*models\/momentum_v1\.json.*4 features.*takes 5/,
    );
  });

  it('is refused as a live change too, naming the missing model file', () => {
    const was = model({});
    const res = checkLiveChange(
      was,
      model({ model_path: 'models/absent.json' }),
      shipped,
      undefined,
    );
    expect(res).toMatchObject({ ok: false });
    expect((res as { error: string }).error).toMatch(/cannot start: .*models\/absent\.json/);
  });
});

describe('a live change of the files a strategy reads', () => {
  const shipped = loadStrategyRegistry('strategies').registry;
  const model = (params: Record<string, unknown>) =>
    cfg({ id: 'ml_a', type: 'ml_breakout', params });

  it('takes a restart, so the run records every file it reads', () => {
    // The mean-reversion sample also takes 4 features: it would load, but it is another file.
    const res = checkLiveChange(
      model({}),
      model({ model_path: 'models/mean_reversion_v1.json' }),
      shipped,
      undefined,
    );
    expect(res).toEqual({
      ok: false,
      error:
        'strategy ml_a: these parameters make it read models/mean_reversion_v1.json instead of models/breakout_v1.json; a change of the files a strategy reads takes a restart',
    });
    expect(
      checkLiveChange(model({}), model({ confidence_threshold: 0.9 }), shipped, undefined),
    ).toMatchObject({ ok: true });
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
