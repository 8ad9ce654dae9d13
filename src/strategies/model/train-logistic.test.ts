import { describe, expect, it } from 'vitest';
import { predict } from './model-file.js';
import { trainLogistic } from './train-logistic.js';

describe('trainLogistic', () => {
  // label 1 exactly when x0 > 5; x1 is constant, so it cannot matter
  const rows = [1, 2, 3, 4, 6, 7, 8, 9].map((v) => [v, 3]);
  const labels = rows.map((r) => (r[0]! > 5 ? 1 : 0)) as (0 | 1)[];

  it('standardizes inside the model: mean and population deviation, 1 for a constant', () => {
    const m = trainLogistic(['x0', 'x1'], rows, labels);
    // x0: mean 40/8 = 5; squared deviations 16 9 4 1 1 4 9 16 = 60, sd sqrt(60/8) = 2.7386128
    expect(m.mean).toEqual([5, 3]);
    expect(m.scale).toEqual([2.7386128, 1]);
    expect(m.weights[1]).toBe(0);
  });

  it('separates what it was trained on, and gives the same model twice', () => {
    const m = trainLogistic(['x0', 'x1'], rows, labels);
    expect(m.weights[0]).toBeGreaterThan(1);
    for (let i = 0; i < rows.length; i++) expect(predict(m, rows[i]!).label).toBe(labels[i]);
    expect(predict(m, [9, 3]).probability).toBeGreaterThan(0.9);
    expect(trainLogistic(['x0', 'x1'], rows, labels)).toEqual(m);
  });

  it('refuses rows without labels', () => {
    expect(() => trainLogistic(['x'], [[1]], [])).toThrow(/got 1 and 0/);
  });
});
