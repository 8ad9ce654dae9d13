// The inspector page against a stand-in for its API routes (fake-inspector.ts): the tree, the
// stream and its filter, a chain, time travel, and the login a closed API asks for.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_STRATEGIES,
  FAKE_USER,
  startFakeInspector,
  type FakeInspector,
} from './fake-inspector.js';
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

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe('the inspector page (fake API)', () => {
  let api: FakeInspector;
  beforeAll(async () => {
    api = await startFakeInspector();
  });
  afterAll(async () => api?.close());

  it('shows the tree, filters the stream, opens a chain and travels back before a fill', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${api.base}/inspector`);
    const s = FAKE_STRATEGIES[0];
    await expectTree(page, [
      'risk-gate:paper',
      'trader:paper',
      `strategy:${s}`,
      `portfolio:paper:${s}`,
    ]);
    await page.locator('[data-testid=message]').first().waitFor();
    const rows = await filterByActor(page, `strategy:${s}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.text.includes(s))).toBe(true);
    const fill = rows.find((r) => r.type === 'OrderFilled')!;
    expect(await openChain(page, fill.seq)).toEqual([
      'MarketTick',
      'TradingSignal',
      'SignalValidated',
      'OrderSubmitted',
      'OrderFilled',
    ]);
    await selectActor(page, `portfolio:paper:${s}`);
    await travelTo(page, fill.seq);
    const withFill = await contextText(page);
    await page.locator('[data-testid=travel-back]').click();
    await expect
      .poll(() => page.locator('[data-testid=mode]').innerText())
      .toBe(`at seq ${fill.seq - 1}`);
    await expect.poll(() => contextText(page)).not.toBe(withFill);
    expect(withFill).toMatch(/position: 10/);
    expect(await contextText(page)).toMatch(/position: 0/);
    await screenshot(page, 'inspector-fake');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the inspector page with reads closed', () => {
  let api: FakeInspector;
  beforeAll(async () => {
    api = await startFakeInspector({ token: true });
  });
  afterAll(async () => api?.close());

  it('asks for a login on 401, then reads with the token', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.base}/inspector`);
    const dialog = page.locator('[data-testid=login]');
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('input[name=username]').fill(FAKE_USER.username);
    await dialog.locator('input[name=password]').fill(FAKE_USER.password);
    await dialog.locator('button[type=submit]').click();
    await expectTree(page, [`strategy:${FAKE_STRATEGIES[1]}`]);
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate("sessionStorage.getItem('alpha-panda.token')")).toBe('fake-token');
    await page.close();
  });
});
