/** `backtest --sweep`: a 20-set grid in worker threads, ranked, each set as it runs alone. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/index.js';
import { backtestRun, loadStrategiesFile } from '../../src/system/index.js';
import { applyParamSet, sweepRun, type RankedRun } from '../../src/system/sweep/index.js';
import { ROOT } from '../helpers/system.js';

const run = promisify(execFile);

describe('backtest --sweep', () => {
  it('ranks all 20 sets, runs them on two threads, and each equals the set run alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-sweep-'));
    const config = join(dir, 'strategies.yaml');
    writeFileSync(
      config,
      'strategies:\n  - id: ema_tcs\n    type: ema_cross\n    brokers: [paper]\n    instruments: [2953217]\n    parameters: { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 10 }\n',
    );
    const data = ['--data', 'data/samples', '--instruments', 'TCS', '--until', '2026-01-05'];
    const { stdout } = await run(
      process.execPath,
      [
        join(ROOT, 'dist', 'main.js'),
        'backtest',
        ...data,
        '--config',
        config,
        '--sweep',
        'strategy.ema_tcs.fast_period=2..6:1',
        '--sweep',
        'strategy.ema_tcs.slow_period=8,10,12,14',
      ],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, maxBuffer: 64 << 20 },
    );
    const out = JSON.parse(stdout) as { sets: number; rankBy: string; runs: RankedRun[] };
    expect(out.sets).toBe(20);
    expect(out.rankBy).toBe('pnl');
    expect(out.runs.map((r) => r.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (let i = 1; i < 20; i++) expect(out.runs[i]!.pnl).toBeLessThanOrEqual(out.runs[i - 1]!.pnl);
    expect(new Set(out.runs.map((r) => JSON.stringify(r.params))).size).toBe(20);
    if (availableParallelism() >= 2) expect(new Set(out.runs.map((r) => r.threadId)).size).toBe(2);
    expect(new Set(out.runs.map((r) => r.fingerprint)).size).toBeGreaterThan(1);

    const settings = loadSettings({});
    const strategies = loadStrategiesFile(config);
    for (const r of out.runs) {
      const alone = await backtestRun(settings, {
        ticks: Number.MAX_SAFE_INTEGER,
        seed: 1,
        batch: 100,
        data: join(ROOT, 'data', 'samples'),
        instruments: ['TCS'],
        until: '2026-01-05',
        strategies: applyParamSet(strategies, r.params),
        onJournalProblem: () => {},
      });
      expect({ params: r.params, fingerprint: alone.fingerprint, orders: alone.orders }).toEqual({
        params: r.params,
        fingerprint: r.fingerprint,
        orders: r.orders,
      });
    }
  }, 180_000);

  it('refuses a misspelled parameter, naming the nearest, and skips the sets the schema refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-sweep-'));
    const config = join(dir, 'strategies.yaml');
    writeFileSync(
      config,
      'strategies:\n  - id: ema_tcs\n    type: ema_cross\n    brokers: [paper]\n    instruments: [2953217]\n    parameters: { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 10 }\n',
    );
    const settings = loadSettings({});
    const opts = {
      ticks: Number.MAX_SAFE_INTEGER,
      seed: 1,
      batch: 100,
      data: 'data/samples',
      instruments: ['TCS'],
      until: '2026-01-05',
      config,
    };
    await expect(
      sweepRun(settings, opts, ['strategy.ema_tcs.fast_perod=2..4:1'], 'pnl'),
    ).rejects.toThrow(
      /--sweep strategy\.ema_tcs\.fast_perod: unknown parameter "fast_perod"; did you mean "fast_period"\?/,
    );
    // fast_period must stay below slow_period: of 7..9 × 8, only 7 runs.
    const out = await sweepRun(
      settings,
      opts,
      ['strategy.ema_tcs.fast_period=7..9:1', 'strategy.ema_tcs.slow_period=8'],
      'pnl',
      1,
    );
    expect(out.runs.map((r) => r.params)).toEqual([
      { 'strategy.ema_tcs.fast_period': 7, 'strategy.ema_tcs.slow_period': 8 },
    ]);
    expect(out.skipped.map((k) => k.params['strategy.ema_tcs.fast_period'])).toEqual([8, 9]);
    expect(out.skipped[0]!.error).toMatch(
      /strategy ema_tcs: .*fast_period must be less than slow_period/,
    );
  }, 120_000);
});
