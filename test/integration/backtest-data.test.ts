/** `backtest --data` over the shipped sample of Kite-format candles, and the sample's generator. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/system.js';

const run = promisify(execFile);
const SAMPLES = join(ROOT, 'data', 'samples');

async function backtest(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    process.execPath,
    [join(ROOT, 'dist', 'main.js'), 'backtest', ...args],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, maxBuffer: 64 << 20 },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('backtest --data', () => {
  it('runs the sample twice to the same result, within the session, and says what it read', async () => {
    const args = ['--data', 'data/samples', '--from', '2026-01-06', '--until', '2026-01-07'];
    const a = await backtest(...args);
    const b = await backtest(...args);
    expect(b).toEqual(a);
    expect(a).toMatchObject({
      from: '2026-01-06T09:15:00.000+05:30',
      until: expect.stringMatching(/^2026-01-07T15:29:\d\d\.\d{3}\+05:30$/),
      instruments: [738561, 1270529, 2953217],
      data: 'data/samples',
    });
    expect(a.ticks as number).toBeGreaterThan(3 * 2 * 375);
    expect(a.fills as number).toBeGreaterThan(0);
    const other = await backtest(...args, '--seed', '2');
    expect(other.fingerprint).not.toBe(a.fingerprint);
  }, 120_000);

  it('carries the report of its journal and writes it as HTML with --report', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'ap-report-')), 'report.html');
    const r = await backtest('--data', 'data/samples', '--until', '2026-01-05', '--report', html);
    const report = r.report as { fills: number; trades: unknown[] };
    expect(report.fills).toBe(r.fills);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
  }, 60_000);

  it('reads one file named by --instruments, and names the nearest symbol of an unknown one', async () => {
    const one = await backtest(
      '--data',
      join(SAMPLES, 'TCS.csv'),
      '--instruments',
      '2953217',
      '--until',
      '2026-01-05',
    );
    expect(one.instruments).toEqual([2953217]);
    await expect(
      backtest('--data', 'data/samples', '--instruments', 'RELIANC'),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('unknown instrument "RELIANC"; did you mean "RELIANCE"?'),
    });
  }, 60_000);
});

describe('backtest --data over a recorded journal', () => {
  it('runs the ticks a run journaled, in their order, with their times', async () => {
    const recorded = mkdtempSync(join(tmpdir(), 'ap-recorded-'));
    const first = await backtest(
      ...['--data', 'data/samples', '--until', '2026-01-05', '--data-dir', recorded],
    );
    const again = await backtest('--data', recorded);
    expect(again).toMatchObject({
      ticks: first.ticks,
      from: first.from,
      until: first.until,
      instruments: first.instruments,
      data: recorded,
    });
    // The same ticks, the same strategies and seed: the same decisions.
    expect(again.fingerprint).toBe(first.fingerprint);
    const one = await backtest('--data', recorded, '--instruments', 'TCS');
    expect(one.instruments).toEqual([2953217]);
  }, 120_000);
});

describe('the sample data', () => {
  it('regenerates to identical bytes and stays under 2 MB', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ap-samples-'));
    await run(process.execPath, [join(ROOT, 'scripts', 'make-sample-data.mjs'), '--out', out]);
    const files = readdirSync(SAMPLES).sort();
    expect(readdirSync(out).sort()).toEqual(files);
    let bytes = 0;
    for (const f of files) {
      const shipped = readFileSync(join(SAMPLES, f));
      bytes += shipped.length;
      expect(readFileSync(join(out, f)).equals(shipped)).toBe(true);
    }
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  });
});
