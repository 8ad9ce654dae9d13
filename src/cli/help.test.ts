import { describe, expect, it } from 'vitest';
import type { Command } from './command.js';
import { commandHelp, usage, usageLine } from './help.js';

const cmd: Command = {
  name: 'demo run',
  summary: 'runs the demo',
  options: [
    { name: 'ticks', value: 'N', required: true, help: 'ticks to run' },
    { name: 'seed', value: 'S', default: '1', help: 'the seed' },
    { name: 'set', value: 'K=V', repeatable: true, help: 'a change' },
    { name: 'dry-run', help: 'sends nothing' },
  ],
  env: ['PORT', 'KAFKA_TOPIC_PREFIX', 'LOG_LEVEL'],
  logTo: 'stderr',
  run: () => Promise.resolve(0),
};

describe('usageLine', () => {
  it('writes required options bare, others in brackets, repeatable ones with ...', () => {
    expect(usageLine(cmd)).toBe(
      'node dist/main.js demo run --ticks N [--seed S] [--set K=V]... [--dry-run]',
    );
  });
});

describe('commandHelp', () => {
  const text = commandHelp(cmd);

  it('lists every option with its placeholder, default and notes', () => {
    expect(text).toContain('\n  --ticks N   ticks to run (required)\n');
    expect(text).toContain('\n  --seed S    the seed (default: 1)\n');
    expect(text).toContain('\n  --set K=V   a change (repeatable)\n');
    expect(text).toContain('\n  --dry-run   sends nothing\n');
    expect(text).toContain('\n  --help, -h  shows this help\n');
  });

  it('lists the variables it reads in the table’s order, with default and meaning', () => {
    const lines = text.split('\n');
    const at = lines.indexOf('  VARIABLE            DEFAULT  MEANING');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 4)).toEqual([
      '  PORT                8080     port of the HTTP API',
      '  LOG_LEVEL           info     pino level: fatal, error, warn, info, debug, trace or silent',
      '  KAFKA_TOPIC_PREFIX  empty    prepended to every topic name: a separate journal on a shared cluster',
    ]);
  });

  it('says when a command reads no variable', () => {
    expect(commandHelp({ ...cmd, env: [] })).toContain('Environment variables: none');
  });
});

describe('usage', () => {
  it('marks the first command as the default and lists help', () => {
    const text = usage([cmd], { name: 'x', version: '1.2.3', description: 'd' });
    expect(text).toMatch(/^x 1\.2\.3: d\n/);
    expect(text).toContain('  demo run (default)  runs the demo\n');
    expect(text).toContain('  help [command]');
    expect(text).toContain('  --version');
  });
});
