/**
 * The inspector page as a user drives it, with Debian's chromium through playwright-core: open
 * the page, read the tree, filter the stream, open a fill's chain, step back before the fill.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from '../helpers/system.js';

/** What the tests read of a page element (the page's types, without the DOM library). */
interface El {
  readonly dataset: Record<string, string | undefined>;
  readonly innerText: string;
  open?: boolean;
}
interface Doc {
  querySelectorAll(sel: string): Iterable<El>;
}

export const ARTIFACTS = join(ROOT, 'test', 'artifacts');

/** Starts headless chromium from /usr/bin/chromium (never a downloaded browser). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Saves a full-page screenshot as test/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The ids of the actors in the page's tree. */
export async function treeIds(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid=actor]')
    .evaluateAll((rows) => rows.map((r) => (r as unknown as El).dataset.id ?? ''));
}

/** Waits until the tree lists every id of `ids`. */
export async function expectTree(page: Page, ids: readonly string[]): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const have = new Set(
        [
          ...(globalThis as unknown as { document: Doc }).document.querySelectorAll(
            '[data-testid=actor]',
          ),
        ].map((r) => r.dataset.id),
      );
      return want.every((id) => have.has(id));
    },
    ids,
    { timeout: 20_000 },
  );
}

/** The text of the selected actor's context, every level opened. */
export async function contextText(page: Page): Promise<string> {
  await page.evaluate(() => {
    for (const d of (globalThis as unknown as { document: Doc }).document.querySelectorAll(
      '#context details',
    ))
      d.open = true;
  });
  return page.locator('[data-testid=context]').innerText();
}

/** Selects `id` in the tree and waits for its context. */
export async function selectActor(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid=actor][data-id="${id}"]`).click();
  await expect.poll(() => page.locator('[data-testid=actor-id]').innerText()).toBe(id);
  await page.locator('#context details').first().waitFor({ timeout: 10_000 });
}

/** Filters the stream by `actor` and returns the seqs and strategies of the rows shown. */
export async function filterByActor(page: Page, actor: string) {
  await page.locator('[data-testid=filter-actor]').fill(actor);
  // The stream re-renders on its next animation frame after the input: wait for two frames, so
  // that one has run whatever the machine's load (a zero-time wait read the unfiltered rows).
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  return page.locator('[data-testid=message]').evaluateAll((rows) =>
    rows.map((r) => ({
      seq: Number((r as unknown as El).dataset.seq),
      type: (r as unknown as El).dataset.type,
      text: (r as unknown as El).innerText,
    })),
  );
}

/** Clicks the message `seq` in the stream and waits for its chain; returns the chain's types. */
export async function openChain(page: Page, seq: number): Promise<string[]> {
  await page.locator(`[data-testid=message][data-seq="${seq}"]`).click();
  await page
    .locator(`[data-testid=chain-entry].current[data-seq="${seq}"]`)
    .waitFor({ timeout: 10_000 });
  return page
    .locator('[data-testid=chain-entry]')
    .evaluateAll((li) => li.map((l) => (l as unknown as El).dataset.type ?? ''));
}

/** Travels to `seq` with the seq box, and waits for the page to show it. */
export async function travelTo(page: Page, seq: number): Promise<void> {
  await page.locator('[data-testid=travel-seq]').fill(String(seq));
  await page.locator('[data-testid=travel-go]').click();
  await expect.poll(() => page.locator('[data-testid=mode]').innerText()).toBe(`at seq ${seq}`);
  await expect
    .poll(() => page.locator('[data-testid=travel-record]').getAttribute('data-seq'))
    .toBe(String(seq));
}
