/** What a command prints reaches a reader that stops early without an error of the command's own. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/system.js';

describe('command output', () => {
  it('ends quietly with its own exit code when the reader has gone (`... | head`)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js'), 'strategies'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader leaves before the command writes anything.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  }, 30_000);
});
