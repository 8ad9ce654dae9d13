/**
 * `new-strategy`: the template and its test are written, never over an existing file nor under a
 * bad name, and the generated test passes under vitest from the project root, importing the SDK
 * as the package ('alpha-panda').
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStrategyRegistry, writeNewStrategy } from '../../src/system/index.js';
import { ROOT, tempDir } from '../helpers/system.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

describe('new-strategy', () => {
  it('refuses a name that is not snake_case, a built-in type, and an existing file', () => {
    const dir = tempDir('ap-new-');
    cleanup.push(dir.remove);
    expect(() => writeNewStrategy(dir.path, 'MyBreakout')).toThrow(
      /"MyBreakout" is not snake_case.*e\.g\. my_breakout/,
    );
    expect(() => writeNewStrategy(dir.path, 'my-breakout')).toThrow(/e\.g\. my_breakout/);
    expect(() => writeNewStrategy(dir.path, 'momentum')).toThrow(
      /"momentum" is a built-in strategy type; choose another name, e\.g\. my_momentum/,
    );
    writeFileSync(join(dir.path, 'taken.test.ts'), 'keep me');
    expect(() => writeNewStrategy(dir.path, 'taken')).toThrow(/taken\.test\.ts already exists/);
    expect(readFileSync(join(dir.path, 'taken.test.ts'), 'utf8')).toBe('keep me');
    expect(() => readFileSync(join(dir.path, 'taken.ts'))).toThrow();
  });

  it('writes a strategy that loads and a test that passes under vitest', () => {
    // Inside the project, as STRATEGIES_DIR is, so 'alpha-panda' resolves to this package.
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.tmp', 'strategies-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const written = writeNewStrategy(dir, 'my_first');
    expect(written).toEqual([join(dir, 'my_first.ts'), join(dir, 'my_first.test.ts')]);
    expect(() => writeNewStrategy(dir, 'my_first')).toThrow(
      /my_first\.ts and .*my_first\.test\.ts already exist;/,
    );

    const { registry, problems } = loadStrategyRegistry(dir);
    expect(problems).toEqual([]);
    expect(registry.types()).toContain('my_first');

    // The project's vitest configuration with this folder included, as strategies/ is.
    const config = join(dir, 'vitest.config.ts');
    writeFileSync(
      config,
      `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { root: ${JSON.stringify(ROOT)}, include: [${JSON.stringify(`${relative(ROOT, dir)}/**/*.test.ts`)}] } });\n`,
    );
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', config],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } },
    );
    const out = `${run.stdout}\n${run.stderr}`;
    expect(out, out).toMatch(/Tests\s+3 passed \(3\)/);
    expect(run.status, out).toBe(0);
  });
});
