import { describe, expect, it } from 'vitest';
import { apiError, deadLetter, OPERATOR, testApi } from '../../test/helpers/api.js';

const REPLAY = 'http://127.0.0.1:8080/api/v1/dlq/market.ticks/replay';

function post(headers: Record<string, string>, body = '{}', url = REPLAY): Request {
  return new Request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...OPERATOR, ...headers },
  });
}

describe('writes from the API’s own origin only', () => {
  it('refuses a write from another origin with 403 before the route runs', async () => {
    const { app, calls } = testApi([deadLetter(5)]);
    const refused: Request[] = [
      // The hostile page's own text/plain form post (no preflight): refused for its origin.
      post({ origin: 'https://evil.example', 'content-type': 'text/plain' }, 'x'),
      post({ origin: 'https://evil.example' }),
      post({ origin: 'http://127.0.0.1:3000' }),
      post({ origin: 'http://localhost:8080' }),
      post({ origin: 'null' }),
      post({ origin: 'not a url' }),
      post({ 'sec-fetch-site': 'cross-site' }),
      post({ 'sec-fetch-site': 'same-site' }),
      post({ origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'cross-site' }),
    ];
    for (const req of refused) {
      const res = await app.request(req);
      expect(res.status, JSON.stringify([...req.headers])).toBe(403);
      const e = await apiError(res);
      expect(e.code).toBe('CROSS_ORIGIN_WRITE');
      expect(e.message).toMatch(/is refused; the API takes writes only from its own origin/);
    }
    expect(calls).toEqual([]);
  });

  it('takes a write from its own origin, and from clients that send no Origin', async () => {
    const { app, calls } = testApi([deadLetter(5), deadLetter(6), deadLetter(7)]);
    for (const req of [
      post({ origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' }, '{"limit":1}'),
      // Behind a TLS proxy the page is https while the API sees http: the host decides.
      post({ origin: 'https://127.0.0.1:8080' }, '{"limit":1}'),
      post({}, '{"limit":1}'),
    ])
      expect((await app.request(req)).status).toBe(200);
    expect(calls).toHaveLength(3);
  });

  it('keeps reads open to any origin', async () => {
    const { app } = testApi([deadLetter(5)]);
    const res = await app.request(
      new Request('http://127.0.0.1:8080/api/v1/dlq/market.ticks', {
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', ...OPERATOR },
      }),
    );
    expect(res.status).toBe(200);
  });

  it('on a loopback HOST, refuses a write addressed by another name (DNS rebinding)', async () => {
    const { app, calls } = testApi([deadLetter(5)]);
    const rebound = 'http://evil.example:8080/api/v1/dlq/market.ticks/replay';
    const res = await app.request(post({ origin: 'http://evil.example:8080' }, '{}', rebound));
    expect(res.status).toBe(403);
    expect(await apiError(res)).toMatchObject({
      code: 'NOT_LOOPBACK_HOST',
      message: expect.stringMatching(/call it as 127\.0\.0\.1, localhost or \[::1\]/) as unknown,
    });
    for (const url of [
      'http://localhost:8080/api/v1/dlq/market.ticks/replay',
      'http://[::1]:8080/api/v1/dlq/market.ticks/replay',
    ])
      expect((await app.request(post({}, '{"dryRun":true}', url))).status).toBe(200);
    expect(calls).toEqual([]);
    // Served beyond loopback (HOST=0.0.0.0), any name is its own.
    const remote = testApi([deadLetter(5)], { host: '0.0.0.0' });
    const own = post(
      { origin: 'http://alpha.lan:8080' },
      '{"dryRun":true}',
      rebound.replace('evil.example', 'alpha.lan'),
    );
    expect((await remote.app.request(own)).status).toBe(200);
  });
});
