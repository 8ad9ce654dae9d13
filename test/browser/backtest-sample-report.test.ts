// The HTML report of `backtest --data data/samples --report` in headless Chromium: the page the
// command writes draws its equity, drawdown and price charts, asks nothing of the network, and a
// screenshot is kept as test/artifacts/backtest-sample-report.png.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestReport } from '../../src/system/report/index.js';
import { ROOT, tempDir } from '../helpers/system.js';
import { launchBrowser, screenshot } from './inspector-scenario.js';
import { openReportFile } from './report-page.js';

const run = promisify(execFile);
const ARTIFACT = join(ROOT, 'test', 'artifacts', 'backtest-sample-report.png');

let browser: Browser;
let report: BacktestReport;
let file: string;
const dir = tempDir('ap-sample-report-');

beforeAll(async () => {
  file = join(dir.path, 'report.html');
  const { stdout } = await run(
    process.execPath,
    [
      join(ROOT, 'dist', 'main.js'),
      'backtest',
      '--data',
      'data/samples',
      '--seed',
      '7',
      '--report',
      file,
    ],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, maxBuffer: 64 << 20 },
  );
  report = (JSON.parse(stdout) as { report: BacktestReport }).report;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  dir.remove();
});

describe('the sample backtest report in Chromium', () => {
  it('draws its charts and tables from the file alone, and is kept as a screenshot', async () => {
    expect(report.trades.length).toBeGreaterThan(0);
    expect(report.prices.map((p) => p.symbol).sort()).toEqual(['ICICIBANK', 'RELIANCE', 'TCS']);
    const { page, url, requests, errors } = await openReportFile(browser, file, {
      width: 1200,
      height: 900,
    });

    for (const id of ['equity', 'drawdown']) {
      const series = page.locator(`svg[data-chart=${id}] path.series`);
      expect(Number(await series.getAttribute('data-points'))).toBe(report.equity.length);
      expect(((await series.getAttribute('d')) ?? '').split('L')).toHaveLength(
        report.equity.length,
      );
      const drawn = await series.boundingBox();
      expect(drawn?.width).toBeGreaterThan(100);
      expect(drawn?.height).toBeGreaterThan(1);
    }
    const prices = page.locator('svg[data-chart^=price-]');
    expect(await prices.count()).toBe(report.prices.length);
    for (let i = 0; i < report.prices.length; i++) {
      const box = await prices.nth(i).boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(box?.height).toBeGreaterThan(50);
    }
    const markers = report.prices.reduce((a, p) => a + p.markers.length, 0);
    expect(markers).toBe(report.fills);
    expect(await page.locator('svg path.marker').count()).toBe(markers);
    expect(await page.locator('[data-table=trades] tbody tr').count()).toBe(
      Math.min(report.trades.length, 2000),
    );

    rmSync(ARTIFACT, { force: true });
    await screenshot(page, 'backtest-sample-report');
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    await page.close();
    // A PNG that is more than a blank page: its signature, and a size only content gives.
    const png = readFileSync(ARTIFACT);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(ARTIFACT).size).toBeGreaterThan(50_000);
  }, 60_000);
});
