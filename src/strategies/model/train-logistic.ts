/**
 * Trains a logistic model by plain full-batch gradient descent on standardized features: no
 * randomness (weights start at 0) and a fixed order of sums, so the same rows give the same
 * model, bit for bit.
 */
import { LOGISTIC_FORMAT, type LogisticModel } from './logistic-model.js';

export interface TrainOptions {
  /** Gradient steps over the whole set. */
  readonly iterations: number;
  readonly learningRate: number;
  /** L2 penalty on the weights (not the bias). */
  readonly l2: number;
}

export const TRAIN_DEFAULTS: TrainOptions = { iterations: 500, learningRate: 0.5, l2: 1e-4 };

/** Rounds to 8 significant digits, so a model file does not show float noise. */
const round = (x: number): number => Number(x.toPrecision(8));

/**
 * Fits P(label 1 | x) to `rows` (one feature vector each) and `labels` (0 or 1). Each feature is
 * standardized by its mean and population standard deviation (1 for a constant feature).
 */
export function trainLogistic(
  names: readonly string[],
  rows: readonly (readonly number[])[],
  labels: readonly (0 | 1)[],
  options: TrainOptions = TRAIN_DEFAULTS,
  description?: string,
): LogisticModel {
  const n = rows.length;
  const k = names.length;
  if (n === 0 || labels.length !== n) {
    throw new RangeError(
      `trainLogistic needs rows and as many labels, got ${n} and ${labels.length}`,
    );
  }
  const mean = new Array<number>(k).fill(0);
  const scale = new Array<number>(k).fill(0);
  for (const r of rows) for (let j = 0; j < k; j++) mean[j]! += r[j]!;
  for (let j = 0; j < k; j++) mean[j]! /= n;
  for (const r of rows) for (let j = 0; j < k; j++) scale[j]! += (r[j]! - mean[j]!) ** 2;
  for (let j = 0; j < k; j++) {
    const sd = Math.sqrt(scale[j]! / n);
    // a feature that does not vary (up to float noise) keeps scale 1 and learns no weight
    scale[j] = sd > 1e-9 * Math.max(1, Math.abs(mean[j]!)) ? round(sd) : 1;
    mean[j] = round(mean[j]!);
  }
  const xs = rows.map((r) => r.map((v, j) => (v - mean[j]!) / scale[j]!));
  const w = new Array<number>(k).fill(0);
  let b = 0;
  for (let it = 0; it < options.iterations; it++) {
    const gw = new Array<number>(k).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      let z = b;
      for (let j = 0; j < k; j++) z += w[j]! * x[j]!;
      const err = 1 / (1 + Math.exp(-z)) - labels[i]!;
      for (let j = 0; j < k; j++) gw[j]! += err * x[j]!;
      gb += err;
    }
    for (let j = 0; j < k; j++) w[j]! -= options.learningRate * (gw[j]! / n + options.l2 * w[j]!);
    b -= (options.learningRate * gb) / n;
  }
  return {
    format: LOGISTIC_FORMAT,
    features: [...names],
    weights: w.map(round),
    bias: round(b),
    mean,
    scale,
    ...(description !== undefined ? { description } : {}),
  };
}
