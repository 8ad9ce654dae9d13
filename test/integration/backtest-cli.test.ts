/** `node dist/main.js backtest`: one JSON object, reproducible by seed. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/system.js';

const run = promisify(execFile);

async function backtest(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    process.execPath,
    [join(ROOT, 'dist', 'main.js'), 'backtest', ...args],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('backtest CLI', () => {
  it('prints the same fingerprint for the same seed and a different one for another seed', async () => {
    const a = await backtest('--ticks', '200000', '--seed', '7');
    const b = await backtest('--ticks', '200000', '--seed', '7');
    const c = await backtest('--ticks', '200000', '--seed', '8');
    expect(Object.keys(a).sort()).toEqual([
      'deadLettered',
      'fills',
      'fingerprint',
      'orders',
      'portfolios',
      'records',
      'rejections',
      'signals',
      'strategies',
      'ticks',
    ]);
    expect(a.ticks).toBe(200000);
    expect(a.fills as number).toBeGreaterThan(0);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toEqual(a);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  }, 120_000);

  it('says what is wrong with a bad option', async () => {
    await expect(backtest('--ticks', 'many')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--ticks: received "many"'),
    });
  });
});
