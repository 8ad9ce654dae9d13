/** Reads and validates a model file through the strategy's environment, parsed once per text. */
import { ConfigError } from '../../runtime/index.js';
import type { StrategyEnv } from '../strategy.js';
import { ModelSchema, type Model } from './model-file.js';

/** Parsed models by file text: every instrument's init, and every strategy, share one parse. */
const PARSED = new Map<string, Model>();

/** Parses model text read from `path`; the error names the file and the field. */
export function parseModel(text: string, path: string): Model {
  const hit = PARSED.get(text);
  if (hit !== undefined) return hit;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`model ${path}: not JSON (${(err as Error).message})`);
  }
  const r = ModelSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map(
      (i) => `${i.path.length > 0 ? i.path.join('.') : '(file)'}: ${i.message}`,
    );
    throw new ConfigError(
      `model ${path}: ${issues.join('; ')} (expected alpha-panda.logistic/1 or ` +
        'alpha-panda.trees/1; docs/strategies.md describes both)',
    );
  }
  PARSED.set(text, r.data);
  return r.data;
}

/**
 * Loads the model at `path` (relative to STRATEGIES_DIR) for strategy type `type` computing the
 * features `names`; refuses one whose feature count differs, naming the file and both counts.
 */
export function loadModel(
  env: StrategyEnv,
  path: string,
  type: string,
  names: readonly string[],
): Model {
  const m = parseModel(env.file(path), path);
  if (m.features.length !== names.length) {
    throw new ConfigError(
      `model ${path}: ${type} computes ${names.length} features (${names.join(', ')}) but the ` +
        `model takes ${m.features.length} (${m.features.join(', ')}); give model_path a model ` +
        `trained on the ${type} features`,
    );
  }
  return m;
}
