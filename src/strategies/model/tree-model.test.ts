import { describe, expect, it } from 'vitest';
import { ticksAt } from '../../../test/helpers/ticks.js';
import { mlMeanReversion, parseModel, predict, TreeModelSchema } from './index.js';

const split = (feature: number, threshold: number, left: number, right: number) => ({
  feature,
  threshold,
  left,
  right,
});
const BOOSTED = {
  format: 'alpha-panda.trees/1',
  features: ['a', 'b'],
  combine: 'sum_logit',
  base: 0.5,
  trees: [
    { nodes: [split(0, 1, 1, 2), { value: 1 }, { value: -1 }] },
    { nodes: [{ value: 0.25 }] },
  ],
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('tree-ensemble models', () => {
  it('sums the leaves in log-odds (boosting); a split goes left when x ≤ threshold', () => {
    const m = parseModel(JSON.stringify(BOOSTED), 'b.json');
    // x0 = 0.5 ≤ 1: leaf 1; + 0.25 + base 0.5 = 1.75
    expect(predict(m, [0.5, 0])).toEqual({ label: 1, probability: sigmoid(1.75) }); // 0.852
    expect(predict(m, [1, 0])).toEqual({ label: 1, probability: sigmoid(1.75) });
    // x0 = 2 > 1: leaf −1; −1 + 0.25 + 0.5 = −0.25, P(1) 0.438, so label 0 at 0.562
    expect(predict(m, [2, 0])).toEqual({ label: 0, probability: 1 - sigmoid(-0.25) });
  });

  it('averages leaf probabilities (a forest)', () => {
    const forest = {
      ...BOOSTED,
      combine: 'mean_probability',
      trees: [
        { nodes: [split(0, 1, 1, 2), { value: 0.9 }, { value: 0.2 }] },
        { nodes: [{ value: 0.7 }] },
      ],
    };
    const m = parseModel(JSON.stringify(forest), 'f.json');
    expect(predict(m, [0.5, 0]).probability).toBeCloseTo(0.8, 12); // (0.9 + 0.7) / 2
    expect(predict(m, [2, 0])).toMatchObject({ label: 0 }); // (0.2 + 0.7) / 2 = 0.45
    expect(predict(m, [2, 0]).probability).toBeCloseTo(0.55, 12);
  });

  it('refuses trees that loop, name a missing feature or leave [0, 1] in a forest', () => {
    const issues = (m: unknown) =>
      TreeModelSchema.safeParse(m).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    const loop = { ...BOOSTED, trees: [{ nodes: [split(0, 1, 0, 1), { value: 1 }] }] };
    expect(issues(loop)).toEqual([
      'trees.0.nodes.0.left: must be a later node of this tree (1 to 1)',
    ]);
    const far = { ...BOOSTED, trees: [{ nodes: [split(2, 1, 1, 2), { value: 1 }, { value: 0 }] }] };
    expect(issues(far)).toEqual(['trees.0.nodes.0.feature: names feature 2, but there are 2']);
    const forest = { ...BOOSTED, combine: 'mean_probability' };
    expect(issues(forest)).toEqual([
      'trees.0.nodes.2.value: must be a probability in [0, 1] when combine is mean_probability',
    ]);
    expect(() => parseModel(JSON.stringify({ ...BOOSTED, format: 'onnx' }), 'x.json')).toThrow(
      /^model x\.json: format: .*\(expected alpha-panda\.logistic\/1 or alpha-panda\.trees\/1/,
    );
  });

  it('drives a model strategy like a logistic model', () => {
    // zscore > 2: leaf −3, P(1) = σ(−3) = 0.047: a SELL at 0.953
    const model = {
      format: 'alpha-panda.trees/1',
      features: ['zscore', 'price', 'volatility', 'window'],
      combine: 'sum_logit',
      trees: [{ nodes: [split(0, 2, 1, 2), { value: 0 }, { value: -3 }] }],
    };
    const env = { file: () => JSON.stringify(model) };
    const p = mlMeanReversion.params.parse({ model_path: 'models/trees.json' });
    const s = mlMeanReversion.init(p, env);
    let out = null;
    for (const t of ticksAt(1, [...Array<number>(19).fill(10_000), 10_100])) {
      out = mlMeanReversion.onTick(s, t, p, 10);
    }
    expect(out).toMatchObject({ side: 'SELL', quantity: 10 });
    expect(out!.confidence).toBeCloseTo(1 - sigmoid(-3), 12);
  });
});
