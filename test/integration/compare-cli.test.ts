/** `compare JOURNAL_A JOURNAL_B` through the CLI: two backtests' orders lined up. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/system.js';

const run = promisify(execFile);
const main = join(ROOT, 'dist', 'main.js');
const env = { PATH: process.env.PATH ?? '' };

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [main, ...args], {
    cwd: ROOT,
    env,
    maxBuffer: 64 << 20,
  });
  return stdout;
}

describe('compare', () => {
  it('lines up two runs, finds one identical to itself, and refuses a bad invocation', async () => {
    const a = mkdtempSync(join(tmpdir(), 'ap-compare-a-'));
    const b = mkdtempSync(join(tmpdir(), 'ap-compare-b-'));
    const bt = (dir: string, seed: string) =>
      cli('backtest', '--ticks', '20000', '--seed', seed, '--data-dir', dir);
    const ra = JSON.parse(await bt(a, '1')) as { orders: number };
    const rb = JSON.parse(await bt(b, '2')) as { orders: number };

    type Cmp = {
      a: { orders: number };
      b: { orders: number };
      matched: number;
      unchanged: number;
      added: unknown[];
      removed: unknown[];
      changed: unknown[];
    };
    const self = JSON.parse(await cli('compare', a, a)) as Cmp;
    expect(self).toMatchObject({
      matched: ra.orders,
      unchanged: ra.orders,
      added: [],
      removed: [],
    });

    const diff = JSON.parse(await cli('compare', a, b, '--window-ms', '1000')) as Cmp;
    expect(diff.a.orders).toBe(ra.orders);
    expect(diff.b.orders).toBe(rb.orders);
    expect(diff.matched + diff.removed.length).toBe(ra.orders);
    expect(diff.matched + diff.added.length).toBe(rb.orders);
    expect(diff.added.length + diff.removed.length + diff.changed.length).toBeGreaterThan(0);

    await expect(cli('compare', a)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('expected two data directories'),
    });
    await expect(cli('compare', a, b, '--window', '5')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('did you mean --window-ms?'),
    });
    await expect(cli('compare', a, join(a, 'absent'))).rejects.toMatchObject({ code: 2 });
  }, 120_000);
});
