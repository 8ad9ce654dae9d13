import { configFile } from '../../test/helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../runtime/index.js';
import { StrategyRegistry } from '../strategies/index.js';
import { parseStrategiesYaml } from './strategies-file.js';

const YAML = configFile('strategies.yaml');

function configError(text: string): ConfigError {
  try {
    parseStrategiesYaml(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('parseStrategiesYaml accepted the text');
}

describe('parseStrategiesYaml on config/strategies.yaml', () => {
  const all = parseStrategiesYaml(YAML);

  it('reads every entry with its fields and defaults', () => {
    expect(all.map((s) => s.id)).toEqual([
      'ema_cross_reliance',
      'ema_cross_tcs',
      'ema_cross_banks',
      'momentum_large_caps',
      'momentum_default',
    ]);
    expect(all[0]).toEqual({
      id: 'ema_cross_reliance',
      type: 'ema_cross',
      enabled: true,
      brokers: ['paper'],
      instruments: [738561],
      params: { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 10 },
    });
    expect(all[3]!.instruments).toEqual([81153, 897537, 2815745, 2977281, 2714625, 969473]);
    expect(all[4]!.params).toEqual({});
  });

  it('names only known strategy types whose parameters validate', () => {
    const registry = new StrategyRegistry();
    for (const s of all) {
      const def = registry.lookup(s.type);
      expect(def.ok, s.type).toBe(true);
      if (def.ok) expect(def.value.params.safeParse(s.params).success, s.id).toBe(true);
    }
  });
});

describe('parseStrategiesYaml keys', () => {
  it('accepts the original’s strategy_name / strategy_type / instrument_tokens', () => {
    const text = `
strategies:
  - strategy_name: legacy_momentum
    strategy_type: momentum
    instrument_tokens: [738561, 408065]
    enabled: false
    brokers: [paper, zerodha]
    parameters:
      lookback_periods: 10
`;
    expect(parseStrategiesYaml(text)).toEqual([
      {
        id: 'legacy_momentum',
        type: 'momentum',
        enabled: false,
        brokers: ['paper', 'zerodha'],
        instruments: [738561, 408065],
        params: { lookback_periods: 10 },
      },
    ]);
  });

  it('prefers the new keys when both are given', () => {
    const [s] = parseStrategiesYaml(
      'strategies:\n  - { id: new_id, strategy_name: old_id, type: ema_cross, instruments: [1] }\n',
    );
    expect(s!.id).toBe('new_id');
  });
});

describe('parseStrategiesYaml errors', () => {
  const good = '  - { id: ok_one, type: momentum, instruments: [738561] }';

  it('names the entry by number and id, and the field', () => {
    const err = configError(`strategies:\n${good}\n  - { id: bad_two, type: momentum }\n`);
    expect(err.message).toMatch(/^strategies\.yaml: strategy #2 \(bad_two\): instruments: /);
  });

  it.each([
    ['{ id: Bad Id, type: momentum, instruments: [1] }', '(Bad Id): id: must be 1-64 characters'],
    ['{ id: x, type: momentum, instruments: [] }', '(x): instruments:'],
    ['{ id: x, type: momentum, instruments: [-3] }', '(x): instruments.0:'],
    ['{ id: x, type: momentum, instruments: [1], brokers: [kite] }', '(x): brokers.0:'],
    ['{ id: x, type: "", instruments: [1] }', '(x): type:'],
    ['{ id: x, type: momentum, instruments: [1], enabled: "sometimes" }', '(x): enabled:'],
    ['{ type: momentum, instruments: [1] }', '(?): id:'],
  ])('reports %s', (entry, expected) => {
    const err = configError(`strategies:\n${good}\n  - ${entry}\n`);
    expect(err.message).toContain('strategy #2 ');
    expect(err.message).toContain(expected);
  });

  it('refuses a duplicate id, naming it', () => {
    expect(configError(`strategies:\n${good}\n${good}\n`).message).toBe(
      'strategies.yaml: strategy id ok_one appears twice',
    );
  });

  it('refuses a file without a strategies list, or that is not YAML', () => {
    expect(configError('- x\n').message).toBe(
      'strategies.yaml: expected a top-level "strategies:" list',
    );
    expect(configError('strategies: {}\n').message).toBe(
      'strategies.yaml: expected a top-level "strategies:" list',
    );
    expect(configError('strategies: [\n').message).toMatch(/^strategies\.yaml: not valid YAML/);
  });

  it('uses the source name it is given', () => {
    expect(() => parseStrategiesYaml('strategies: 1', 'config/strategies.yaml')).toThrow(
      'config/strategies.yaml: expected',
    );
  });

  it('refuses an entry that is not a mapping', () => {
    expect(configError(`strategies:\n${good}\n  - momentum\n`).message).toBe(
      'strategies.yaml: strategy #2: expected a mapping of id, type, enabled, brokers, instruments, parameters',
    );
  });
});

describe('parseStrategiesYaml unknown names', () => {
  const good = '  - { id: ok_one, type: momentum, instruments: [738561] }';

  it('refuses an unknown key in an entry, naming the nearest valid one', () => {
    const text = `strategies:\n${good}\n  - { id: momentum_x, type: momentum, instruments: [1], paramters: { threshold: 0.02 } }\n`;
    expect(configError(text).message).toBe(
      'strategies.yaml: strategy #2 (momentum_x): unknown key "paramters"; did you mean "parameters"?',
    );
  });

  it.each([
    ['instrument', 'instruments'],
    ['enable', 'enabled'],
    ['broker', 'brokers'],
    ['strategy_nme', 'strategy_name'],
    ['instrument_token', 'instrument_tokens'],
  ])('takes %s for %s', (key, meant) => {
    const text = `strategies:\n  - { id: x, type: momentum, instruments: [1], ${key}: 1 }\n`;
    expect(configError(text).message).toContain(`unknown key "${key}"; did you mean "${meant}"?`);
  });

  it('lists the keys when no key is near', () => {
    const text = 'strategies:\n  - { id: x, type: momentum, instruments: [1], colour: red }\n';
    expect(configError(text).message).toBe(
      'strategies.yaml: strategy #1 (x): unknown key "colour"; the keys are id, type, enabled, brokers, instruments, parameters, strategy_name, strategy_type, instrument_tokens',
    );
  });

  it('refuses an unknown top-level key, naming the nearest valid one', () => {
    expect(configError('strategys:\n  - { id: x }\n').message).toBe(
      'strategies.yaml: unknown top-level key "strategys"; did you mean "strategies"?',
    );
    expect(configError(`strategies:\n${good}\ndefaults: {}\n`).message).toBe(
      'strategies.yaml: unknown top-level key "defaults"; the top-level keys are strategies',
    );
  });

  it("refuses a parameter its type does not declare, naming the nearest and the type's", () => {
    const text = `strategies:\n${good}\n  - id: ema_x\n    type: ema_cross\n    instruments: [1]\n    parameters: { fast_perod: 3, slow_period: 8 }\n`;
    expect(configError(text).message).toBe(
      'strategies.yaml: strategy #2 (ema_x): parameters: unknown parameter "fast_perod"; did you mean "fast_period"? (ema_cross takes fast_period, slow_period, bar_ticks, quantity)',
    );
    // An unknown type's parameters are left to the strategy check, which reports the type.
    const [s] = parseStrategiesYaml(
      'strategies:\n  - { id: x, type: ema_cros, instruments: [1], parameters: { any: 1 } }\n',
    );
    expect(s!.params).toEqual({ any: 1 });
  });

  it('names every unknown parameter of an entry', () => {
    const text =
      'strategies:\n  - { id: m, type: momentum, instruments: [1], parameters: { lookback: 5, treshold: 0.1, colour: 1 } }\n';
    expect(configError(text).message).toBe(
      'strategies.yaml: strategy #1 (m): parameters: unknown parameter "lookback"; did you mean "lookback_periods"?; unknown parameter "treshold"; did you mean "threshold"?; unknown parameter "colour" (momentum takes lookback_periods, threshold, position_size, max_position)',
    );
  });
});
