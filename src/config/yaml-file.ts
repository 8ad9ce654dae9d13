/**
 * Reads a YAML configuration file against a strict zod schema: every problem is a ConfigError
 * naming the file and the field, and an unknown key names the nearest valid one.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../runtime/index.js';
import { didYouMean } from './nearest.js';

/**
 * The keys an object of `schema` may have at `path` (list indices step into the element), for
 * naming the nearest valid one of an unknown key.
 */
export function schemaKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: unknown = schema;
  for (const seg of [...path, null]) {
    while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap();
    if (seg === null) break;
    if (s instanceof z.ZodArray) s = s.element;
    else if (s instanceof z.ZodObject) s = (s.shape as Record<PropertyKey, unknown>)[seg];
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** Parses YAML `text` (from `path`) with `schema`, whose objects should be strict. */
export function parseYamlFile<S extends z.ZodType>(
  text: string,
  path: string,
  schema: S,
): z.output<S> {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid YAML: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    const where = i.path.map(String).join('.') || '(top level)';
    if (i.code === 'unrecognized_keys') {
      const known = schemaKeysAt(schema, i.path);
      return i.keys
        .map((k) => {
          const hint = didYouMean(k, known);
          const at = i.path.length > 0 ? ` in ${where}` : '';
          return `unknown key ${JSON.stringify(k)}${at}${hint === '' ? `; the keys are ${known.join(', ')}` : hint}`;
        })
        .join('\n  ');
    }
    return `${where}: ${i.message}`;
  });
  throw new ConfigError(`${path}:\n  ${lines.join('\n  ')}`);
}

/** Reads and parses a YAML file; a missing file is a ConfigError naming it and `fix`. */
export function readYamlFile<S extends z.ZodType>(
  path: string,
  schema: S,
  fix: string,
): z.output<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}; ${fix}`);
  }
  return parseYamlFile(text, path, schema);
}
