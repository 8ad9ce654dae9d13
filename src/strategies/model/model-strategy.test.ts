import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ticksAt } from '../../../test/helpers/ticks.js';
import type { StrategyEnv } from '../strategy.js';
import {
  BREAKOUT_FEATURES,
  MEAN_REVERSION_FEATURES,
  MOMENTUM_FEATURES,
  mlBreakout,
  mlMeanReversion,
  mlMomentum,
  type LogisticModel,
  type ModelParams,
} from './index.js';

const STRATEGIES_DIR = join(import.meta.dirname, '..', '..', '..', 'strategies');
const DISK: StrategyEnv = { file: (p) => readFileSync(join(STRATEGIES_DIR, p), 'utf8') };
/** An environment holding the given files' texts. */
const files = (f: Record<string, string>): StrategyEnv => ({
  file: (p) => {
    if (f[p] === undefined) throw new Error(`${p}: not found`);
    return f[p];
  },
});
const sample = (name: string) => JSON.parse(DISK.file(`models/${name}`)) as LogisticModel;

type Def = typeof mlMomentum;
/** The signal of the last of `prices` (paise) at `position`, default parameters but `over`. */
function last(def: Def, prices: readonly number[], position = 0, over: Partial<ModelParams> = {}) {
  const p = { ...def.params.parse({}), ...over };
  const s = def.init(p, DISK);
  let out = null;
  for (const t of ticksAt(1, prices)) out = def.onTick(s, t, p, position);
  return out;
}
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (m: LogisticModel, x: number[]) =>
  x.reduce((z, v, i) => z + (m.weights[i]! * (v - m.mean[i]!)) / m.scale[i]!, m.bias);

const FLAT = Array<number>(20).fill(10_000);
const DIP = [...FLAT.slice(1), 9_900];
const SPIKE = [...FLAT.slice(1), 10_100];

describe('features', () => {
  it('computes the momentum, mean-reversion and breakout features of a window', () => {
    // DIP: 19 × 10000 then 9900. Returns: 18 × 0 and −0.01, mean −0.01/19; population variance
    // (18 · (0.01/19)² + (0.01 · 18/19)²) / 19 = 4.98615e−6, σ 0.00223297.
    const vol = Math.sqrt((18 * (0.01 / 19) ** 2 + (0.01 * (18 / 19)) ** 2) / 19);
    const m = MOMENTUM_FEATURES.compute(DIP);
    expect(m.map((v) => +v.toFixed(8))).toEqual([-0.01, -0.01, +vol.toFixed(8), 9_900, 20]);
    // mean 9995, sample variance (19 · 5² + 95²)/19 = 500: z = −95/√500 = −4.2485
    const r = MEAN_REVERSION_FEATURES.compute(DIP);
    expect(r[0]).toBeCloseTo(-95 / Math.sqrt(500), 12);
    expect(r.slice(1)).toEqual([9_900, m[2], 20]);
    // high 10000, low 9900 (the price itself), mean |return| 0.01/19
    const b = BREAKOUT_FEATURES.compute(DIP);
    expect(b[0]).toBeCloseTo(-0.01, 12);
    expect(b[1]).toBe(0);
    expect(b[2]).toBeCloseTo(0.01 / 19, 12);
    expect(b[3]).toBe(9_900);
    expect(MEAN_REVERSION_FEATURES.compute(FLAT)[0]).toBe(0); // flat: z 0, not NaN
  });
});

describe('model strategies over the sample models', () => {
  it('each sample model loads, with the feature count of its strategy', () => {
    for (const [def, file] of [
      [mlMomentum, 'momentum_v1.json'],
      [mlMeanReversion, 'mean_reversion_v1.json'],
      [mlBreakout, 'breakout_v1.json'],
    ] as const) {
      const p = def.params.parse({});
      expect(def.files!(p)).toEqual([`models/${file}`]);
      expect(def.init(p, DISK).model.features).toEqual(sample(file).features);
    }
  });

  it('waits for a full window', () => {
    expect(last(mlMeanReversion, SPIKE.slice(1), 10)).toBeNull();
  });

  it('ml_mean_reversion sells a spike it holds, with the model’s probability', () => {
    const m = sample('mean_reversion_v1.json');
    const p0 = 1 - sigmoid(logit(m, MEAN_REVERSION_FEATURES.compute(SPIKE)));
    expect(p0).toBeGreaterThan(0.6);
    const s = last(mlMeanReversion, SPIKE, 10);
    expect(s).toMatchObject({ side: 'SELL', quantity: 10 });
    expect(s!.confidence).toBeCloseTo(p0, 12);
    expect(s!.reasoning).toMatch(
      /^models\/mean_reversion_v1\.json predicts 0 \(SELL\) with p=0\.\d{3} > 0\.6; zscore=4\.24853 /,
    );
    expect(last(mlMeanReversion, SPIKE, 0)).toBeNull(); // holds nothing to sell
  });

  it('buys a dip, and only strictly above the threshold', () => {
    const m = sample('momentum_v1.json');
    const p1 = sigmoid(logit(m, MOMENTUM_FEATURES.compute(DIP)));
    expect(p1).toBeGreaterThan(0.6);
    expect(last(mlMomentum, DIP, 0)).toMatchObject({ side: 'BUY', quantity: 100 });
    expect(last(mlMomentum, DIP, 0)!.confidence).toBeCloseTo(p1, 12);
    expect(last(mlMomentum, DIP, 0, { confidence_threshold: p1 })).toBeNull();
    expect(last(mlMomentum, DIP, 100)).toBeNull(); // at max_position (= position_size)
  });

  it('does not signal on a flat window (probability near 0.5)', () => {
    for (const def of [mlMomentum, mlMeanReversion]) expect(last(def, FLAT, 10)).toBeNull();
    expect(last(mlBreakout, Array<number>(30).fill(10_000), 10)).toBeNull();
  });

  it('ml_breakout signals with its own window of 30 and threshold 0.65', () => {
    const p = mlBreakout.params.parse({});
    expect(p).toMatchObject({ lookback_periods: 30, confidence_threshold: 0.65 });
    const up = [...Array<number>(29).fill(10_000), 10_150];
    const m = sample('breakout_v1.json');
    const p0 = 1 - sigmoid(logit(m, BREAKOUT_FEATURES.compute(up)));
    expect(p0).toBeGreaterThan(0.65);
    expect(last(mlBreakout, up.slice(1), 10)).toBeNull(); // 29 prices
    expect(last(mlBreakout, up, 10)).toMatchObject({ side: 'SELL', quantity: 10 });
  });
});

describe('model files', () => {
  const momentumText = DISK.file('models/momentum_v1.json');

  it('refuses a model whose feature count differs, naming the file and both counts', () => {
    const p = mlBreakout.params.parse({ model_path: 'models/momentum_v1.json' });
    expect(() => mlBreakout.init(p, DISK)).toThrow(
      'model models/momentum_v1.json: ml_breakout computes 4 features (from_high, from_low, ' +
        'mean_abs_return, price) but the model takes 5 (return_window, return_5, volatility, ' +
        'price, window); give model_path a model trained on the ml_breakout features',
    );
  });

  it('names the file and the field of a malformed model', () => {
    const bad = { ...JSON.parse(momentumText), weights: [1, 'x', 3, 4, 5] };
    const env = files({ 'm.json': JSON.stringify(bad), 'n.json': '{ nope' });
    const p = (model_path: string) => mlMomentum.params.parse({ model_path });
    expect(() => mlMomentum.init(p('m.json'), env)).toThrow(
      /^model m\.json: weights\.1: Invalid input: expected number, received string/,
    );
    expect(() => mlMomentum.init(p('n.json'), env)).toThrow(/^model n\.json: not JSON/);
    const short = { ...JSON.parse(momentumText), scale: [1, 1, 1, 1] };
    expect(() => mlMomentum.init(p('s.json'), files({ 's.json': JSON.stringify(short) }))).toThrow(
      'model s.json: scale: has 4 entries, features has 5: one per feature',
    );
    expect(() => mlMomentum.init(p('absent.json'), env)).toThrow('absent.json: not found');
  });

  it('parses a model text once for every instrument', () => {
    const p = mlMomentum.params.parse({});
    const a = mlMomentum.init(p, DISK);
    const b = mlMomentum.init(p, DISK);
    expect(a.model).toBe(b.model);
    expect(a.prices).not.toBe(b.prices);
  });

  it('keeps a state that survives JSON (a snapshot)', () => {
    const p = mlMeanReversion.params.parse({});
    const s = mlMeanReversion.init(p, DISK);
    const ticks = ticksAt(1, SPIKE);
    for (const t of ticks.slice(0, -1)) mlMeanReversion.onTick(s, t, p, 10);
    const back = JSON.parse(JSON.stringify(s)) as typeof s;
    expect(mlMeanReversion.onTick(back, ticks.at(-1)!, p, 10)?.side).toBe('SELL');
  });
});
