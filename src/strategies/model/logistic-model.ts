/**
 * The model file format of the model strategies: a logistic regression in JSON, with the
 * standardization of its inputs inside it, so any program (a TypeScript script, a notebook) that
 * can write JSON can produce one:
 *
 *   { "format": "alpha-panda.logistic/1", "features": ["ret_window", ...],
 *     "weights": [w1, ...], "bias": b, "mean": [m1, ...], "scale": [s1, ...] }
 *
 * P(label 1) = 1 / (1 + e^−z), z = bias + Σ weights[i] · (x[i] − mean[i]) / scale[i].
 * Label 1 is a BUY, label 0 a SELL.
 */
import { z } from 'zod';

export const LOGISTIC_FORMAT = 'alpha-panda.logistic/1';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const LogisticModelSchema = z
  .object({
    format: z.literal(LOGISTIC_FORMAT),
    features: z.array(z.string().min(1)).min(1),
    weights: z.array(finite),
    bias: finite,
    mean: z.array(finite),
    scale: z.array(finite.refine((x) => x > 0, 'must be > 0 (use 1 for a constant feature)')),
    /** Free text: how and on what it was trained. */
    description: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    for (const k of ['weights', 'mean', 'scale'] as const) {
      if (m[k].length !== m.features.length) {
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `has ${m[k].length} entries, features has ${m.features.length}: one per feature`,
        });
      }
    }
  });
export type LogisticModel = z.infer<typeof LogisticModelSchema>;

/** P(label 1 | x) under model `m`; `x` has one value per feature, in the model's order. */
export function probabilityOfOne(m: LogisticModel, x: readonly number[]): number {
  let z = m.bias;
  for (let i = 0; i < m.weights.length; i++) {
    z += (m.weights[i]! * (x[i]! - m.mean[i]!)) / m.scale[i]!;
  }
  return 1 / (1 + Math.exp(-z));
}
