/**
 * `backtest --data` runs the strategies of STRATEGIES_DIR: one written from the `new-strategy`
 * template trades on the shipped sample, while a second file with a syntax error refuses only the
 * strategy of its type, naming the file and line.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNewStrategy } from '../../src/system/index.js';
import { ROOT, tempDir } from '../helpers/system.js';

const run = promisify(execFile);
const RELIANCE = 738561;

describe('backtest with strategy files', () => {
  const dir = tempDir('ap-strategy-files-backtest-');
  afterAll(() => dir.remove());

  it('trades the template strategy on recorded candles; a broken file faults only its own', async () => {
    const strategies = join(dir.path, 'strategies');
    writeNewStrategy(strategies, 'my_cross');
    writeFileSync(
      join(strategies, 'half_written.ts'),
      "import { defineStrategy } from 'alpha-panda';\nexport default defineStrategy({ name: 'half_written', params: , });\n",
    );
    const config = join(dir.path, 'strategies.yaml');
    writeFileSync(
      config,
      `strategies:
  - id: mine
    type: my_cross
    brokers: [paper]
    instruments: [${RELIANCE}]
    parameters: { fast: 3, slow: 8, quantity: 10 }
  - id: broken
    type: half_written
    brokers: [paper]
    instruments: [${RELIANCE}]
    parameters: {}
`,
    );
    const { stdout, stderr } = await run(
      process.execPath,
      [
        join(ROOT, 'dist', 'main.js'),
        'backtest',
        ...['--data', 'data/samples', '--instruments', 'RELIANCE', '--config', config],
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', STRATEGIES_DIR: strategies, LOG_FORMAT: 'json' },
        maxBuffer: 64 << 20,
      },
    );
    const r = JSON.parse(stdout) as {
      orders: number;
      fingerprint: string;
      report: { trades: { strategyId: string }[]; orders: number };
      strategies: { id: string; status: string; error?: string }[];
    };
    expect(r.strategies.map((s) => [s.id, s.status])).toEqual([
      ['mine', 'RUNNING'],
      ['broken', 'FAULTED'],
    ]);
    expect(r.strategies[1]!.error).toMatch(/half_written\.ts:2:\d+: /);
    expect(r.orders).toBeGreaterThan(0);
    expect(r.report.trades.length).toBeGreaterThan(0);
    expect(new Set(r.report.trades.map((t) => t.strategyId))).toEqual(new Set(['mine']));
    // The broken file is named with its line and column, once, as the run starts.
    const problems = stderr
      .split('\n')
      .filter((l) => l.includes('strategy file not loaded'))
      .map((l) => JSON.parse(l) as { file: string; error: string });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.error).toMatch(/half_written\.ts:2:\d+: /);
    // ...and the strategy it refused, once the run is done.
    expect(stderr).toMatch(/"strategy":"broken".*"msg":"strategy faulted"/);
  }, 120_000);
});
