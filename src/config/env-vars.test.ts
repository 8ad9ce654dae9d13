import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { projectFile } from '../../test/helpers/fixtures.js';
import { ENV_PREFIXES, ENV_VARS, envVar, envVarsWithPrefix } from './env-vars.js';
import { loadSettings, nestEnv, SettingsSchema } from './settings.js';

/** The paths of the schema's leaves: `port`, `risk.max_quantity`, `trading.zerodha.enabled`. */
function leaves(schema: z.ZodType, path: string[] = []): string[][] {
  let s = schema;
  // Defaults, prefaults and optionals wrap the object or value they default.
  for (;;) {
    const def = s._zod.def as { type: string; innerType?: z.ZodType };
    if (!['default', 'prefault', 'optional'].includes(def.type) || !def.innerType) break;
    s = def.innerType;
  }
  if (s instanceof z.ZodObject)
    return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([k, v]) =>
      leaves(v, [...path, k]),
    );
  return [path];
}

const at = (o: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], o);

const variableOf = (path: readonly string[]) => path.join('__').toUpperCase();

describe('ENV_VARS and the settings schema', () => {
  const paths = leaves(SettingsSchema);

  it('documents every setting', () => {
    expect(paths.length).toBeGreaterThan(30);
    const documented = new Set(ENV_VARS.map((v) => v.name));
    expect(paths.map(variableOf).filter((n) => !documented.has(n))).toEqual([]);
  });

  it('documents only variables the settings read', () => {
    const read = new Set(paths.map(variableOf));
    expect(ENV_VARS.map((v) => v.name).filter((n) => !read.has(n))).toEqual([]);
    for (const v of ENV_VARS) {
      const nested = nestEnv({ [v.name]: 'x' });
      expect(at(nested, v.name.toLowerCase().split('__')), v.name).toBe('x');
    }
  });

  it('names each variable once, in capitals', () => {
    const names = ENV_VARS.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });

  it('gives the default the schema applies, or `unset` where it has none', () => {
    const defaults = loadSettings({});
    for (const v of ENV_VARS) {
      const value = at(defaults, v.name.toLowerCase().split('__'));
      const shown =
        value === undefined ? 'unset' : Array.isArray(value) ? value.join(',') : String(value);
      expect(v.default, v.name).toBe(shown);
      expect(v.meaning.length, v.name).toBeGreaterThan(3);
    }
  });

  it('derives the prefixes and looks variables up', () => {
    expect(ENV_PREFIXES).toEqual([
      'FEED__',
      'PAPER_TRADING__',
      'RISK__',
      'API__',
      'METRICS__',
      'NOTIFY__',
      'PORTFOLIO__',
      'JOURNAL__',
      'SNAPSHOT__',
      'SUPERVISOR__',
      'TRADING__',
      'ZERODHA__',
    ]);
    expect(envVarsWithPrefix('SUPERVISOR__')).toEqual([
      'SUPERVISOR__MAX_RESTARTS',
      'SUPERVISOR__WINDOW_SECONDS',
    ]);
    expect(envVar('PORT').default).toBe('8080');
    expect(() => envVar('PORTT')).toThrow(/not in ENV_VARS/);
  });
});

describe("README's configuration table", () => {
  const section = projectFile('README.md')
    .split(/^## Configuration$/m)[1]!
    .split(/^## /m)[0]!;
  const rows = section.split('\n').filter((l) => /^\| `/.test(l));
  const named = rows.flatMap((r) =>
    [...r.split('|')[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!),
  );

  it('names every variable, and no other', () => {
    expect(named.length).toBeGreaterThan(0);
    expect([...named].sort()).toEqual(ENV_VARS.map((v) => v.name).sort());
  });
});
