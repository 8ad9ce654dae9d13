/** `new-strategy NAME`: writes a strategy template and its test into STRATEGIES_DIR. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../runtime/index.js';
import { BUILT_IN_STRATEGIES, sdk } from '../../strategies/index.js';
import { strategyTemplate, strategyTestTemplate } from './template.js';

/** `name` made snake_case (`MyBreakout`, `my-breakout` → `my_breakout`), or undefined when nothing is left. */
export function snakeCase(name: string): string | undefined {
  const s = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (s === '') return undefined;
  return /^[a-z]/.test(s) ? s : `s_${s}`;
}

/** What is wrong with `name` as a new strategy type, with the nearest valid one; null when it is fine. */
export function newStrategyNameProblem(
  name: string,
  builtIns: readonly string[] = BUILT_IN_STRATEGIES.map((d) => d.type),
): string | null {
  if (!sdk.STRATEGY_NAME.test(name)) {
    const s = snakeCase(name);
    const hint = s === undefined ? '' : `, e.g. ${s}`;
    return `${JSON.stringify(name)} is not snake_case: a lowercase letter, then lowercase letters, digits or _${hint}`;
  }
  if (builtIns.includes(name))
    return `${JSON.stringify(name)} is a built-in strategy type; choose another name, e.g. my_${name}`;
  return null;
}

/**
 * Writes `NAME.ts` and `NAME.test.ts` into `dir` (made if missing); refuses a bad name and never
 * overwrites a file. Returns the paths written.
 */
export function writeNewStrategy(
  dir: string,
  name: string,
  builtIns?: readonly string[],
): string[] {
  const problem = newStrategyNameProblem(name, builtIns);
  if (problem !== null) throw new ConfigError(`new-strategy: ${problem}`);
  const files = [
    [join(dir, `${name}.ts`), strategyTemplate(name)],
    [join(dir, `${name}.test.ts`), strategyTestTemplate(name)],
  ] as const;
  const taken = ['ts', 'mts', 'js', 'mjs', 'test.ts']
    .map((ext) => join(dir, `${name}.${ext}`))
    .filter((f) => existsSync(f));
  if (taken.length > 0)
    throw new ConfigError(
      `new-strategy: ${taken.join(' and ')} already ${taken.length === 1 ? 'exists' : 'exist'}; choose another name or remove it (nothing was written)`,
    );
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of files) writeFileSync(path, text, { flag: 'wx' });
  return files.map(([path]) => path);
}
