/** The inspector routes over a fake inspector: 404s that name the range, and the page's files. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InspectorService } from '../../system/index.js';
import { ApiError } from '../api-error.js';
import { router } from '../openapi.js';
import { inspectorPage } from '../inspector/serve.js';
import { inspectorRoutes } from './inspector.js';

const dir = mkdtempSync(join(tmpdir(), 'ap-inspector-page-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>inspector</title>');
writeFileSync(join(dir, 'main.js'), 'export {};');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fake: InspectorService = {
  postMortem: true,
  lastSeq: () => 10,
  actors: () => Promise.resolve([]),
  actor: () => Promise.resolve(null),
  stateAt: () => Promise.resolve(null),
  message: () => Promise.resolve(null),
  chain: () => Promise.resolve(null),
  subscribe: () => () => {},
  latestSeq: () => 10,
  close: () => Promise.resolve(),
};

function app() {
  const a = router();
  inspectorRoutes(a, { inspector: fake });
  a.onError((err, c) =>
    err instanceof ApiError
      ? c.json({ error: { code: err.code, message: err.message } }, err.status)
      : c.json({ error: { code: 'INTERNAL', message: String(err) } }, 500),
  );
  return a;
}

describe('inspector routes', () => {
  it('answers a seq past the journal with 404 naming the range', async () => {
    const res = await app().request('/api/v1/inspector/state?seq=11');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('SEQ_NOT_IN_JOURNAL');
    expect(body.error.message).toContain('1..10');
  });

  it('refuses an actor filter that is not an actor id', async () => {
    const res = await app().request('/api/v1/inspector/events?actor=..%2Fetc');
    expect(res.status).toBe(400);
  });

  it('serves the page and its own files only, with a CSP and no inline script', async () => {
    const a = router();
    inspectorPage(a);
    a.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'none' } }, 404));
    const page = await a.request('/inspector');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).not.toMatch(/<script>[^<]/);
    const js = await a.request('/inspector/main.js');
    expect([js.status, js.headers.get('content-type')]).toEqual([
      200,
      expect.stringContaining('javascript'),
    ]);
    for (const bad of ['/inspector/..%2Fserve.ts', '/inspector/serve.ts', '/inspector/missing.js'])
      expect((await a.request(bad)).status, bad).toBe(404);
  });
});
