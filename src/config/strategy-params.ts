/** The parameter names each strategy type declares, for refusing misspelled ones. */
import { z } from 'zod';
import { StrategyRegistry } from '../strategies/index.js';
import { didYouMean } from './nearest.js';

const BUILT_IN = new StrategyRegistry();

/** The names a parameter schema declares, or undefined when it is not an object schema. */
export function parameterNames(schema: z.ZodType): string[] | undefined {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
}

/**
 * What is wrong with the names in `params` for strategy type `type`: each name its schema does
 * not declare, with the nearest one it does; null when every name is declared, and for a type the
 * registry does not know (the strategy's own check reports that).
 */
export function unknownParameters(
  type: string,
  params: Readonly<Record<string, unknown>>,
  registry: StrategyRegistry = BUILT_IN,
): string | null {
  const def = registry.lookup(type);
  const names = def.ok ? parameterNames(def.value.params) : undefined;
  if (names === undefined) return null;
  const unknown = Object.keys(params).filter((k) => !names.includes(k));
  if (unknown.length === 0) return null;
  const each = unknown.map(
    (k) =>
      `unknown parameter ${JSON.stringify(k)}${didYouMean(k, names, undefined, { abbreviations: true })}`,
  );
  return `${each.join('; ')} (${type} takes ${names.join(', ')})`;
}
