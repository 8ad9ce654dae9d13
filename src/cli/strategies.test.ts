import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandContext } from './command.js';
import { strategiesCommand } from './strategies.js';

const ctx = {} as CommandContext;

describe('strategies command', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the reference it is given, and takes no options', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const cmd = strategiesCommand(() => '# Strategy reference\n');
    expect(cmd.name).toBe('strategies');
    expect(cmd.env).toContain('LOG_LEVEL');
    expect(await cmd.run(ctx, [])).toBe(0);
    expect(out.join('')).toBe('# Strategy reference\n');
    await expect(cmd.run(ctx, ['--format', 'json'])).rejects.toThrow(/--format/);
  });
});
