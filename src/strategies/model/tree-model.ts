/**
 * The tree-ensemble model format: decision trees in JSON, the form gradient-boosting and random
 * forest libraries export, so a model trained elsewhere can be written out by a short script:
 *
 *   { "format": "alpha-panda.trees/1", "features": ["zscore", ...], "combine": "sum_logit",
 *     "base": 0, "trees": [ { "nodes": [ { "feature": 0, "threshold": -1.5, "left": 1,
 *     "right": 2 }, { "value": 0.4 }, { "value": -0.1 } ] } ] }
 *
 * A tree starts at node 0; a split goes to `left` when x[feature] ≤ threshold, else to `right`;
 * children come after their parent, so every path ends. `sum_logit` (boosting): P(label 1) =
 * 1 / (1 + e^−(base + Σ leaf values)). `mean_probability` (a forest): P(label 1) = the mean of
 * the leaf values, each a probability in [0, 1]; `base` is then unused.
 */
import { z } from 'zod';

export const TREES_FORMAT = 'alpha-panda.trees/1';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const index = z.number().int().nonnegative();

const TreeNodeSchema = z.union([
  z.object({ feature: index, threshold: finite, left: index, right: index }).strict(),
  z.object({ value: finite }).strict(),
]);
type TreeNode = z.infer<typeof TreeNodeSchema>;

export const TreeModelSchema = z
  .object({
    format: z.literal(TREES_FORMAT),
    features: z.array(z.string().min(1)).min(1),
    combine: z.enum(['sum_logit', 'mean_probability']),
    base: finite.default(0),
    trees: z.array(z.object({ nodes: z.array(TreeNodeSchema).min(1) })).min(1),
    description: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    m.trees.forEach((t, ti) =>
      t.nodes.forEach((n, ni) => {
        const at = (message: string, field?: string) =>
          ctx.addIssue({
            code: 'custom',
            path: ['trees', ti, 'nodes', ni, ...(field ? [field] : [])],
            message,
          });
        if ('value' in n) {
          if (m.combine === 'mean_probability' && (n.value < 0 || n.value > 1)) {
            at('must be a probability in [0, 1] when combine is mean_probability', 'value');
          }
          return;
        }
        if (n.feature >= m.features.length) {
          at(`names feature ${n.feature}, but there are ${m.features.length}`, 'feature');
        }
        for (const side of ['left', 'right'] as const) {
          if (n[side] <= ni || n[side] >= t.nodes.length) {
            at(`must be a later node of this tree (${ni + 1} to ${t.nodes.length - 1})`, side);
          }
        }
      }),
    );
  });
export type TreeModel = z.infer<typeof TreeModelSchema>;

/** The leaf value `x` reaches in `nodes`. */
function leaf(nodes: readonly TreeNode[], x: readonly number[]): number {
  let n = nodes[0]!;
  while (!('value' in n)) n = nodes[x[n.feature]! <= n.threshold ? n.left : n.right]!;
  return n.value;
}

/** P(label 1 | x) under the ensemble `m`. */
export function treesProbabilityOfOne(m: TreeModel, x: readonly number[]): number {
  let sum = 0;
  for (const t of m.trees) sum += leaf(t.nodes, x);
  return m.combine === 'sum_logit' ? 1 / (1 + Math.exp(-(m.base + sum))) : sum / m.trees.length;
}
