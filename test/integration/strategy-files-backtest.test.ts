/**
 * `backtest --data` runs the strategies of STRATEGIES_DIR: one written from the `new-strategy`
 * template trades on the shipped sample, while a second file with a syntax error refuses only the
 * strategy of its type, naming the file and line; the library's model strategies read the
 * shipped models, whose hashes the run journals, and a model that does not fit is refused.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/index.js';
import type { RunStarted } from '../../src/model/index.js';
import { openJournalToRead, sha256, writeNewStrategy } from '../../src/system/index.js';
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

  it('runs the model strategies on the shipped models, journals their hashes, refuses a misfit', async () => {
    const config = join(dir.path, 'models.yaml');
    writeFileSync(
      config,
      `strategies:
  - id: hybrid
    type: hybrid_momentum
    brokers: [paper]
    instruments: [${RELIANCE}]
    parameters: {}
  - id: misfit
    type: ml_breakout
    brokers: [paper]
    instruments: [${RELIANCE}]
    parameters: { model_path: models/momentum_v1.json }
`,
    );
    const dataDir = join(dir.path, 'models-run');
    const { stdout } = await run(
      process.execPath,
      [
        join(ROOT, 'dist', 'main.js'),
        'backtest',
        ...['--data', 'data/samples', '--instruments', 'RELIANCE', '--until', '2026-01-06'],
        ...['--config', config, '--data-dir', dataDir],
      ],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, maxBuffer: 64 << 20 },
    );
    const r = JSON.parse(stdout) as {
      strategies: { id: string; status: string; error?: string }[];
    };
    expect(r.strategies.map((s) => [s.id, s.status])).toEqual([
      ['hybrid', 'RUNNING'],
      ['misfit', 'FAULTED'],
    ]);
    expect(r.strategies[1]!.error).toMatch(
      /strategy misfit: cannot start: .*models\/momentum_v1\.json.*4 features.*takes 5/,
    );
    // The run's RunStarted names the model each strategy reads, by its SHA-256.
    const journal = await openJournalToRead(loadSettings({}), dataDir, 'test');
    let started: RunStarted | undefined;
    for await (const rec of journal.read(1)) {
      if (rec.type === 'RunStarted') started = rec.data as RunStarted;
      break;
    }
    await journal.close();
    const shipped = readFileSync(join(ROOT, 'strategies', 'models', 'momentum_v1.json'));
    expect(started!.strategies.find((s) => s.id === 'hybrid')!.code).toEqual({
      'models/momentum_v1.json': sha256(shipped),
    });
  }, 120_000);
});
