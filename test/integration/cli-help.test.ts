/** `node dist/main.js --help`, `help <command>`, `<command> --help` and `--version`. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/index.js';
import { ENV_VARS } from '../../src/config/index.js';
import { projectFile } from '../helpers/fixtures.js';
import { ROOT } from '../helpers/system.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function main(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'main.js'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

const ok = (r: Run): string => {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};

describe('node dist/main.js --help', () => {
  it('lists every command with its summary, for --help, -h and help', async () => {
    const [long, short, word] = await Promise.all([main(['--help']), main(['-h']), main(['help'])]);
    const text = ok(long);
    for (const c of COMMANDS) {
      expect(text).toContain(`  ${c.name}`);
      expect(text).toContain(c.summary);
    }
    expect(text).toContain('help [command]');
    expect(text).toContain('--version');
    expect(ok(short)).toBe(text);
    expect(ok(word)).toBe(text);
  });

  it('answers even when the environment holds a bad or misspelled setting', async () => {
    const r = await main(['--help'], { PORT: 'x', ACTIVE_BROKER: 'paper' });
    expect(ok(r)).toContain('Usage: node dist/main.js');
  });

  it('prints the version of package.json for --version', async () => {
    const { version } = JSON.parse(projectFile('package.json')) as { version: string };
    expect(ok(await main(['--version']))).toBe(`${version}\n`);
  });
});

describe.each(COMMANDS.map((c) => [c.name, c] as const))('help of %s', (name, command) => {
  it('lists every option with its placeholder and default, and every variable it reads', async () => {
    const words = name.split(' ');
    const [byHelp, byFlag] = await Promise.all([
      main(['help', ...words]),
      main([...words, '--help']),
    ]);
    const text = ok(byHelp);
    expect(ok(byFlag)).toBe(text);
    expect(text).toMatch(new RegExp(`^Usage: node dist/main\\.js ${name}\\b`));
    const lines = text.split('\n');
    for (const o of command.options) {
      const head = o.value ? `--${o.name} ${o.value}` : `--${o.name}`;
      const line = lines.find((l) => l.startsWith(`  ${head} `));
      expect(line, `${name} --${o.name}`).toBeDefined();
      expect(line).toContain(o.help);
      if (o.default !== undefined) expect(line).toContain(`default: ${o.default}`);
    }
    expect(command.env.length).toBeGreaterThan(0);
    for (const n of command.env) {
      const v = ENV_VARS.find((x) => x.name === n)!;
      const line = lines.find((l) => l.startsWith(`  ${n} `));
      expect(line, `${name} ${n}`).toBeDefined();
      expect(line).toContain(v.default === '' ? 'empty' : v.default);
      expect(line).toContain(v.meaning);
    }
  });
});

describe('node dist/main.js charges', () => {
  it('lists every option, required ones and the default of --first-sell-today', async () => {
    const text = ok(await main(['charges', '--help']));
    expect(text).toMatch(
      /^Usage: node dist\/main\.js charges --side BUY\|SELL --product CNC\|MIS --qty N --price RUPEES \[--first-sell-today true\|false\]\n/,
    );
    for (const o of ['--side BUY|SELL', '--product CNC|MIS', '--qty N', '--price RUPEES'])
      expect(text).toMatch(new RegExp(`\\n  ${o.replace('|', '\\|')} .*\\(required\\)\\n`));
    expect(text).toMatch(/\n {2}--first-sell-today true\|false .*\(default: true\)\n/);
  });

  // ₹1,00,000 delivery buy (100 × ₹1,000) at config/charges/zerodha-equity.yaml's rates: STT
  // 100.00 + transaction 2.97 + SEBI 0.10 + stamp duty 15.00 + GST 0.55 = ₹118.62.
  it('prints each component of a fill in rupees and paise', async () => {
    const r = await main([
      'charges',
      '--side',
      'BUY',
      '--product',
      'CNC',
      '--qty',
      '100',
      '--price',
      '1000',
    ]);
    const text = ok(r);
    expect(text.split('\n').slice(4)).toEqual([
      'component             rupees  paise',
      'brokerage               0.00      0',
      'STT                   100.00  10000',
      'exchange transaction    2.97    297',
      'SEBI                    0.10     10',
      'stamp duty             15.00   1500',
      'GST                     0.55     55',
      'DP                      0.00      0',
      'total                 118.62  11862',
      '',
    ]);
  });

  it('exits 2 naming a bad option and its valid values', async () => {
    const r = await main([
      'charges',
      '--side',
      'BUY',
      '--product',
      'NRML',
      '--qty',
      '1',
      '--price',
      '1',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--product: received "NRML"; expected CNC or MIS');
  });
});

describe('an unknown or misspelled command', () => {
  it.each([
    [['help', 'strat'], 'did you mean "start"?'],
    [['help', 'dlq', 'lst'], 'did you mean "dlq list"?'],
    [['strat'], 'did you mean "start"?'],
    [['topic', 'bootstrap'], 'did you mean "topics bootstrap"?'],
    [['backtest', '--tick', '5'], 'did you mean --ticks?'],
  ])('%j exits 2 naming the nearest', async (args, hint) => {
    const r = await main(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(hint);
  });
});
