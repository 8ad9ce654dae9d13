// Acceptance: the inspector page in Debian's chromium against a running daemon (npm run build
// first): the tree, live messages, a strategy's filter, a fill's chain back to its tick, and time
// travel to before that fill. Screenshots go to test/artifacts/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { started, startDaemon, type Daemon } from '../helpers/daemon.js';
import {
  contextText,
  expectTree,
  filterByActor,
  launchBrowser,
  openChain,
  screenshot,
  selectActor,
  travelTo,
} from './inspector-scenario.js';

/** The strategies config/strategies.yaml runs on paper. */
const STRATEGIES = [
  'ema_cross_reliance',
  'ema_cross_tcs',
  'ema_cross_banks',
  'momentum_large_caps',
  'momentum_default',
];

describe('the inspector page on a running daemon', () => {
  let d: Daemon;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    d = await startDaemon({
      FEED__SEED: '7',
      FEED__SCENARIO: 'high_volatility',
      FEED__MAX_TICKS: '4000',
    });
    await started(d);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  });
  afterAll(async () => {
    await browser?.close();
    d?.remove();
  });

  it('shows every actor, live messages, a fill chain, and the portfolio before the fill', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${d.port}/inspector`);
    await expectTree(page, [
      'risk-gate:paper',
      'trader:paper',
      ...STRATEGIES.flatMap((s) => [`strategy:${s}`, `portfolio:paper:${s}`]),
    ]);
    await page.locator('[data-testid=message]').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'inspector-live');

    // A strategy with a fill: filter the stream by that strategy's actor.
    await page.locator('[data-testid=filter-type]').fill('OrderFilled');
    await page.locator('[data-testid=message]').first().waitFor({ timeout: 60_000 });
    const fillRow = page.locator('[data-testid=message]').first();
    const strategy = (await fillRow.locator('span').nth(4).innerText()).trim();
    expect(STRATEGIES).toContain(strategy);
    await page.locator('[data-testid=filter-type]').fill('');
    await page.locator('[data-testid=pause]').click();
    const rows = await filterByActor(page, `strategy:${strategy}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.text.includes(strategy))).toBe(true);
    const fill = rows.find((r) => r.type === 'OrderFilled');
    expect(fill, `an OrderFilled row of ${strategy}`).toBeDefined();
    await screenshot(page, 'inspector-filtered');

    const chain = await openChain(page, fill!.seq);
    expect(chain[0]).toBe('MarketTick');
    expect(chain).toContain('OrderFilled');
    await screenshot(page, 'inspector-chain');

    await selectActor(page, `portfolio:paper:${strategy}`);
    await travelTo(page, fill!.seq);
    const withFill = await contextText(page);
    await page.locator('[data-testid=travel-back]').click();
    await expect
      .poll(() => page.locator('[data-testid=mode]').innerText())
      .toBe(`at seq ${fill!.seq - 1}`);
    await expect.poll(() => contextText(page), { timeout: 20_000 }).not.toBe(withFill);
    await screenshot(page, 'inspector-before-fill');
    await page.locator('[data-testid=travel-live]').click();
    await expect.poll(() => page.locator('[data-testid=mode]').innerText()).toBe('live');
    expect(errors).toEqual([]);
  }, 180_000);
});
