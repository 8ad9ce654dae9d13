/**
 * Misspelled settings in the environment: a variable one or two edits from a documented one, or
 * an undocumented one under a settings prefix (`RISK__MAX_POSITON`). Every other variable of an
 * ordinary environment (PATH, HOSTNAME, PGPORT, npm_*, ...) belongs to someone else and is left
 * alone, so the thresholds are tight: one edit for names of up to 8 characters (PORT, HOST,
 * DATA_DIR), two for longer ones.
 */
import { ENV_PREFIXES, ENV_VAR_NAMES, ENV_VARS, envVarsWithPrefix } from './env-vars.js';
import { nearest } from './nearest.js';

const NAMES = ENV_VARS.map((v) => v.name);

/** Edits a variable may be off a documented name and still be taken for a misspelling of it. */
const misspelling = (known: string): number => (known.length <= 8 ? 1 : 2);

/**
 * One line per variable of `env` that looks like a misspelled setting, naming the nearest
 * documented variable; empty when there is none. Names compare without regard to case.
 */
export function misspelledVariables(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (ENV_VAR_NAMES.has(name) || name.startsWith('npm_')) continue;
    const upper = name.toUpperCase();
    const prefix = ENV_PREFIXES.find((p) => upper.startsWith(p));
    if (prefix !== undefined) {
      const group = envVarsWithPrefix(prefix);
      const near = nearest(upper, group, { maxDistance: Infinity, abbreviations: true })!;
      out.push(
        `${name}: not a setting; did you mean ${near}? (the ${prefix} settings: ${group.join(', ')})`,
      );
      continue;
    }
    const near = nearest(upper, NAMES, { maxDistance: misspelling });
    if (near !== undefined) out.push(`${name}: not a setting; did you mean ${near}?`);
  }
  return out;
}
