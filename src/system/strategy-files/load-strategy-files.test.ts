import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BUILT_IN_STRATEGIES, NO_FILES } from '../../strategies/index.js';
import { sdk } from '../../strategies/index.js';
import { guardProblem } from './guard.js';
import { loadStrategyRegistry, strategyFileNames } from './load-strategy-files.js';
import { sha256 } from './files-dir.js';

/** The instrument a state is started for. */
const INSTRUMENT = { token: 738561, symbol: 'RELIANCE', exchange: 'NSE', tickSize: 10, lotSize: 1 };

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A STRATEGIES_DIR holding `files` (name → text). */
function strategiesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ap-strategies-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A strategy file named `name` whose onTick body is `body`. */
const strategy = (name: string, body = 'return null;', head = '') => `${head}
import { defineStrategy, market } from 'alpha-panda';
import { z } from 'zod';

export default defineStrategy({
  name: '${name}',
  params: z.object({ quantity: z.number().int().default(2) }),
  onTick(ctx): ReturnType<typeof market> | null {
    ${body}
  },
});
`;

/** The built-in types and `types`, sorted, as the registry lists them. */
const withBuiltIns = (...types: string[]) =>
  [...BUILT_IN_STRATEGIES.map((d) => d.type), ...types].sort();

const tick = sdk.makeTick(100, Date.UTC(2026, 0, 5, 4, 0, 0));

describe('loadStrategyRegistry', () => {
  it('loads every top-level strategy file, skipping tests, declarations and sub-folders', () => {
    const dir = strategiesDir({
      'alpha_one.ts': strategy('alpha_one', 'return market("BUY", ctx.params.quantity);'),
      'beta.mjs': strategy('beta').replace('(ctx): ReturnType<typeof market> | null', '(ctx)'),
      'alpha_one.test.ts': 'throw new Error("not loaded")',
      'types.d.ts': 'export {}',
      'models/inner.ts': 'throw new Error("not loaded")',
      'README.md': '# strategies',
    });
    expect(strategyFileNames(dir)).toEqual(['alpha_one.ts', 'beta.mjs']);
    const { registry, problems } = loadStrategyRegistry(dir);
    expect(problems).toEqual([]);
    expect(registry.types()).toEqual(withBuiltIns('alpha_one', 'beta'));
    const def = registry.lookup('alpha_one');
    if (!def.ok) throw new Error(def.error);
    const st: unknown = def.value.init(def.value.params.parse({}), NO_FILES, INSTRUMENT);
    expect(def.value.onTick(st, tick, { quantity: 2 }, 0)).toMatchObject({
      side: 'BUY',
      quantity: 2,
    });
  });

  it('records each file by SHA-256, and the model files its definition reads', () => {
    const text = strategy('hashed');
    const dir = strategiesDir({ 'hashed.ts': text, 'models/m.json': '{"w":[1]}' });
    const { registry } = loadStrategyRegistry(dir, [
      {
        type: 'modelled',
        params: z.object({}),
        files: () => ['models/m.json', 'models/missing.json'],
        init: (_p, env) => JSON.parse(env.file('models/m.json')) as unknown,
        clone: (s) => s,
        onTick: () => null,
      },
    ]);
    expect(registry.code('hashed', {})).toEqual({ 'hashed.ts': sha256(text) });
    expect(registry.code('modelled', {})).toEqual({ 'models/m.json': sha256('{"w":[1]}') });
    // The registry binds the run's files: init reads the model whatever env it is handed.
    const m = registry.lookup('modelled');
    expect(m.ok && m.value.init({}, NO_FILES)).toEqual({ w: [1] });
    expect(registry.files?.sha256('../outside')).toBeUndefined();
    expect(() => registry.files?.file('models/missing.json')).toThrow(/no such file/);
  });

  it('registers a broken file as a broken type with file:line:column and the reason', () => {
    const dir = strategiesDir({
      'good.ts': strategy('good'),
      'syntax.ts': strategy('syntax', 'const x = ;'),
      'throws.ts': strategy('throws', '', 'const n: number = 1;\nthrow new Error("boom at load");'),
      'no_default.ts': `export const x = 1;\n`,
      'named.ts': strategy('other_name'),
      'Bad-Name.ts': strategy('bad_name'),
    });
    const { registry, problems } = loadStrategyRegistry(dir);
    const error = (type: string) => {
      const r = registry.lookup(type);
      return r.ok ? 'loaded' : r.error;
    };
    expect(error('good')).toBe('loaded');
    expect(error('syntax')).toBe('syntax.ts:9:15: syntax error: Unexpected token');
    expect(error('throws')).toBe('throws.ts:2:7: threw while loading: boom at load');
    expect(error('no_default')).toMatch(
      /no_default\.ts:1:1: the default export must be defineStrategy/,
    );
    expect(error('named')).toMatch(
      /named\.ts:6:3: defines strategy "other_name" but the file is named for "named"/,
    );
    expect(error('Bad-Name')).toMatch(/Bad-Name\.ts:1:1: the file name must be snake_case/);
    expect(problems.map((p) => p.path).sort()).toEqual(
      ['Bad-Name.ts', 'named.ts', 'no_default.ts', 'syntax.ts', 'throws.ts'].sort(),
    );
    // Broken types are not offered as known types, and keep their file's hash for RunStarted.
    expect(registry.types()).toEqual(withBuiltIns('good'));
    expect(Object.keys(registry.code('syntax', {}) ?? {})).toEqual(['syntax.ts']);
  });

  it('names the file as STRATEGIES_DIR was given when that is a relative path', () => {
    const dir = strategiesDir({ 'syntax.ts': strategy('syntax', 'const x = ;') });
    const rel = relative(process.cwd(), dir);
    const r = loadStrategyRegistry(rel).registry.lookup('syntax');
    expect(!r.ok && r.error).toBe(`${join(rel, 'syntax.ts')}:9:15: syntax error: Unexpected token`);
  });

  it('refuses a file named like a built-in type and keeps the built-in', () => {
    const dir = strategiesDir({ 'momentum.ts': strategy('momentum') });
    const { registry, problems } = loadStrategyRegistry(dir);
    expect(problems[0]!.error).toMatch(/momentum\.ts:1:1: "momentum" is a built-in strategy type/);
    expect(registry.lookup('momentum').ok).toBe(true);
    expect(registry.sourceOf('momentum')).toBeUndefined();
  });

  it('refuses the clock, randomness, timers and modules other than the SDK and zod, naming them', () => {
    const dir = strategiesDir({
      'uses_now.ts': strategy('uses_now', 'const t = Date.now();\n    return null;'),
      'uses_random.ts': strategy(
        'uses_random',
        'if (Math.random() > 0.5) return null;\n    return null;',
      ),
      'uses_timer.ts': strategy('uses_timer', 'setTimeout(() => 1, 5);\n    return null;'),
      'uses_fs.ts': strategy('uses_fs', 'return null;', "import { readFileSync } from 'fs';"),
      'uses_require.js': `const fs = require('node:fs');\nmodule.exports = 1;\n`,
      'uses_new_date.ts': strategy('uses_new_date', 'const d = new Date();\n    return null;'),
    });
    const { registry } = loadStrategyRegistry(dir);
    const error = (type: string) => {
      const r = registry.lookup(type);
      return r.ok ? 'loaded' : r.error;
    };
    expect(error('uses_now')).toMatch(
      /uses_now\.ts:9:15: Date\.now\(\) is not available to a strategy/,
    );
    expect(error('uses_random')).toMatch(/uses_random\.ts:9:9: Math\.random\(\) is not available/);
    expect(error('uses_timer')).toMatch(/uses_timer\.ts:9:5: setTimeout is not available/);
    expect(error('uses_fs')).toMatch(
      /uses_fs\.ts:1:30: imports "fs": a strategy may import only 'alpha-panda', 'alpha-panda\/sdk', 'zod'/,
    );
    expect(error('uses_require')).toMatch(/uses_require\.js:1:20: imports "node:fs"/);
    expect(error('uses_new_date')).toMatch(
      /uses_new_date\.ts:9:19: new Date\(\) without a time reads the clock/,
    );
  });

  it('refuses at run time what the static check cannot see, naming it', () => {
    const dir = strategiesDir({
      'sneaky.ts': strategy(
        'sneaky',
        `const g = ctx.params.quantity === 1 ? 'random' : 'now';
    if (g === 'random') (Math as unknown as Record<string, () => number>)[g]!();
    else (Date as unknown as Record<string, () => number>)[g]!();
    return null;`,
      ),
      'sneaky_require.js': `module.exports = require(['f', 's'].join(''));\n`,
    });
    const { registry } = loadStrategyRegistry(dir);
    const r = registry.lookup('sneaky');
    if (!r.ok) throw new Error(r.error);
    const def = r.value;
    const st: unknown = def.init({ quantity: 1 }, NO_FILES, INSTRUMENT);
    expect(() => def.onTick(st, tick, { quantity: 1 }, 0)).toThrow(
      /Math.random\(\) is not available/,
    );
    expect(() => def.onTick(st, tick, { quantity: 2 }, 0)).toThrow(/Date.now\(\) is not available/);
    const req = registry.lookup('sneaky_require');
    expect(!req.ok && req.error).toMatch(
      /sneaky_require\.js:1:\d+: threw while loading: require\("fs"\): a strategy may import only/,
    );
  });
});

describe('guardProblem', () => {
  it('ignores names in comments, strings, templates, regexes and property positions', () => {
    const src = [
      '// Date.now() in a comment',
      '/* Math.random() */',
      'const a = "Date.now()" + `setTimeout ${1 + 2} process`;',
      'const r = /Math.random/.test(x);',
      'const o = { process: 1, setTimeout: 2 }; o.process; o.setTimeout;',
      'const d = new Date(ctx.tick.ts); Date.UTC(2026, 0, 1);',
    ].join('\n');
    expect(guardProblem(src)).toBeNull();
    expect(guardProblem('const t = `${Date.now()}`;')).toMatchObject({ line: 1, column: 14 });
    expect(guardProblem('x = process.env.X')).toMatchObject({ reason: /process is not available/ });
  });
});
