/** A model file: either format, told apart by its `format` field. */
import { z } from 'zod';
import { LogisticModelSchema, probabilityOfOne, type LogisticModel } from './logistic-model.js';
import { TreeModelSchema, treesProbabilityOfOne, type TreeModel } from './tree-model.js';

export const ModelSchema = z.discriminatedUnion('format', [LogisticModelSchema, TreeModelSchema]);
export type Model = LogisticModel | TreeModel;

/** P(label 1 | x); `x` has one value per feature, in the model's order. */
export function modelProbability(m: Model, x: readonly number[]): number {
  return m.format === 'alpha-panda.trees/1' ? treesProbabilityOfOne(m, x) : probabilityOfOne(m, x);
}

/** The predicted label (1 when P(1) > 0.5, as argmax with ties to 0) and its probability. */
export function predict(m: Model, x: readonly number[]): { label: 0 | 1; probability: number } {
  const p1 = modelProbability(m, x);
  return p1 > 0.5 ? { label: 1, probability: p1 } : { label: 0, probability: 1 - p1 };
}
