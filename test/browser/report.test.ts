// The HTML backtest report in headless Chromium: a real backtest of the project's configuration
// journaled to LMDB, read back, reported and rendered; the page draws its charts, loads nothing
// from anywhere, and a screenshot is kept as test/artifacts/backtest-report.png.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInstruments, loadSettings, loadStrategies } from '../../src/config/index.js';
import type { JournalRecord } from '../../src/model/index.js';
import {
  backtestJournal,
  runBacktest,
  runSpec,
  systemOptions,
  TradingSystem,
  type BacktestResult,
} from '../../src/system/index.js';
import {
  buildReport,
  renderReportHtml,
  type BacktestReport,
} from '../../src/system/report/index.js';
import { ROOT, tempDir } from '../helpers/system.js';
import { launchBrowser, screenshot } from './inspector-scenario.js';
import { openReportFile } from './report-page.js';

const CONFIG = join(ROOT, 'config');
const TICKS = 20_000;

/** Runs the seeded backtest into `dir` and returns its result and its journal's records. */
async function backtestInto(
  dir: string,
): Promise<{ result: BacktestResult; records: JournalRecord[] }> {
  const settings = loadSettings({ CONFIG_DIR: CONFIG });
  const instruments = loadInstruments(CONFIG);
  const strategies = loadStrategies(CONFIG);
  const transport = backtestJournal(dir);
  // 30 s of simulated time between ticks: 20 000 ticks span a week, so there are several IST days.
  const { result, system } = await runBacktest(
    { ticks: TICKS, seed: 11, batch: 100, tickIntervalMs: 30_000, instruments, strategies },
    (clock, random) =>
      TradingSystem.open(
        systemOptions(runSpec(settings, instruments, strategies, random.seed), {
          clock,
          random,
          transport,
        }),
      ),
  );
  await system.close();
  const reader = backtestJournal(dir);
  await reader.open({ nonce: 0, createdMs: 0 });
  const records: JournalRecord[] = [];
  for await (const r of reader.read(1)) records.push(r);
  await reader.close();
  return { result, records };
}

let browser: Browser;
let report: BacktestReport;
let result: BacktestResult;
let records: JournalRecord[];
const dirs: { remove: () => void }[] = [];

beforeAll(async () => {
  const dir = tempDir('ap-report-');
  dirs.push(dir);
  ({ result, records } = await backtestInto(dir.path));
  report = await buildReport(records);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const d of dirs) d.remove();
});

describe('the report of a real backtest', () => {
  it('agrees with the backtest and gives the same JSON from a second identical run', async () => {
    expect(report.fills).toBe(result.fills);
    expect(report.orders).toBe(result.orders);
    expect(report.signals).toBe(result.signals);
    expect(Object.values(report.rejections).reduce((a, n) => a + n, 0)).toBe(result.rejections);
    expect(report.trades.length).toBeGreaterThan(0);
    expect(report.run.days).toBeGreaterThan(1);
    expect(report.sharpe).not.toBeNull();
    // Each portfolio's equity is the actor's own: cash plus positions at the last prices.
    for (const p of result.portfolios) {
      const mine = report.portfolios.find(
        (x) => x.broker === p.broker && x.strategyId === p.strategyId,
      )!;
      const marked = p.positions.reduce((a, x) => a + x.quantity * x.lastPrice, 0);
      expect(mine.endingEquity).toBe(p.cash + marked);
      expect(mine.charges).toBe(p.fees);
      expect(mine.realized + mine.unrealized - mine.charges).toBe(
        mine.endingEquity - mine.startingCash,
      );
    }
    const again = tempDir('ap-report-');
    dirs.push(again);
    const second = await backtestInto(again.path);
    expect(JSON.stringify(await buildReport(second.records))).toBe(JSON.stringify(report));
  }, 120_000);

  it('opens from a file in Chromium, draws its charts and requests nothing', async () => {
    const dir = tempDir('ap-report-html-');
    dirs.push(dir);
    const file = join(dir.path, 'report.html');
    writeFileSync(
      file,
      renderReportHtml(report, { title: 'Backtest: project configuration, seed 11' }),
    );
    const { page, url, requests, errors } = await openReportFile(browser, file, {
      width: 1100,
      height: 900,
    });
    for (const id of ['equity', 'drawdown']) {
      const box = await page.locator(`svg[data-chart=${id}]`).boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(box?.height).toBeGreaterThan(50);
      const series = page.locator(`svg[data-chart=${id}] path.series`);
      expect(Number(await series.getAttribute('data-points'))).toBe(report.equity.length);
      const d = (await series.getAttribute('d')) ?? '';
      expect(d.split('L').length).toBe(report.equity.length);
      const drawn = await series.boundingBox();
      expect(drawn?.width).toBeGreaterThan(100);
    }
    const prices = page.locator('svg[data-chart^=price-]');
    expect(await prices.count()).toBe(report.prices.length);
    const fills = report.prices.reduce((a, p) => a + p.markers.length, 0);
    expect(await page.locator('svg path.marker').count()).toBe(fills);
    const firstMarker = await page.locator('svg path.marker').first().boundingBox();
    expect(firstMarker?.width).toBeGreaterThan(0);
    expect(await page.locator('[data-table=trades] tbody tr').count()).toBe(
      Math.min(report.trades.length, 2000),
    );
    await screenshot(page, 'backtest-report');
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
