/** Opens an HTML report from its file in Chromium, keeping every request and error the page makes. */
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export interface WatchedPage {
  readonly page: Page;
  /** The file's own URL. */
  readonly url: string;
  /** Every URL the page requested, its own first. */
  readonly requests: string[];
  /** Page errors and console errors. */
  readonly errors: string[];
}

export async function openReportFile(
  browser: Browser,
  file: string,
  viewport: { width: number; height: number },
): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const url = pathToFileURL(file).href;
  await page.goto(url);
  return { page, url, requests, errors };
}
