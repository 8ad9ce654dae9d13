import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PortfolioReadModel } from '../../readmodel/index.js';
import { createApp } from '../app.js';
import {
  OPERATOR,
  TEST_JWT_SECRET,
  TEST_PASSWORDS,
  VIEWER,
  testApi,
  testAuth,
} from '../../../test/helpers/api.js';
import { limiter } from './rate-limit.js';
import { tokenIssuer } from './tokens.js';

const T0 = Date.parse('2026-01-05T04:00:00Z');
const JSON_TYPE = { 'content-type': 'application/json' };

async function errorOf(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe('tokens', () => {
  it('verifies its own tokens until they expire, by the injected clock', async () => {
    let now = T0;
    const t = tokenIssuer(TEST_JWT_SECRET, 60, () => now);
    const { token, expiresAt } = await t.issue('asha', 'viewer');
    expect(expiresAt).toBe('2026-01-05T04:01:00.000Z');
    expect(await t.verify(token)).toEqual({
      ok: true,
      claims: { username: 'asha', role: 'viewer', exp: T0 / 1000 + 60 },
    });
    now = T0 + 60_000;
    expect(await t.verify(token)).toEqual({ ok: false, code: 'TOKEN_EXPIRED' });
  });

  it('refuses a token signed with another key, altered, or of another shape', async () => {
    const t = tokenIssuer(TEST_JWT_SECRET, 60, () => T0);
    const other = tokenIssuer('another-secret-of-thirty-two-characters!', 60, () => T0);
    const { token } = await other.issue('asha', 'operator');
    expect(await t.verify(token)).toEqual({ ok: false, code: 'INVALID_TOKEN' });
    const mine = (await t.issue('asha', 'viewer')).token;
    const [h, p, s] = mine.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const raised = Buffer.from(JSON.stringify({ ...claims, role: 'operator' })).toString(
      'base64url',
    );
    expect(await t.verify(`${h}.${raised}.${s}`)).toEqual({ ok: false, code: 'INVALID_TOKEN' });
    expect(await t.verify('not.a.token')).toEqual({ ok: false, code: 'INVALID_TOKEN' });
  });
});

describe('the guard', () => {
  const closed = testApi([], { auth: testAuth({ readsOpen: false }) }).app;
  const open = testApi().app;

  it('refuses a read without a token unless reads are open, saying how to get one', async () => {
    const res = await closed.request('/api/v1/portfolios');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="alpha-panda"');
    expect(await errorOf(res)).toEqual({
      code: 'UNAUTHENTICATED',
      message:
        'GET /api/v1/portfolios needs a token: POST /api/v1/auth/login with {"username", "password"}, then send Authorization: Bearer <token>',
    });
    expect((await open.request('/api/v1/portfolios')).status).toBe(200);
    expect((await closed.request('/api/v1/portfolios', { headers: VIEWER })).status).toBe(200);
  });

  it('refuses every write without an operator token, even with open reads', async () => {
    const write = (headers: Record<string, string>) =>
      open.request('/api/v1/dlq/market.ticks/replay', {
        method: 'POST',
        headers: { ...JSON_TYPE, ...headers },
        body: '{"dryRun":true}',
      });
    expect((await write({})).status).toBe(401);
    const viewer = await write(VIEWER);
    expect(viewer.status).toBe(403);
    expect(await errorOf(viewer)).toEqual({
      code: 'FORBIDDEN',
      message:
        'POST /api/v1/dlq/market.ticks/replay needs the operator role; viewer has the viewer role',
    });
    expect((await write(OPERATOR)).status).toBe(200);
  });

  it('tells a malformed header, a foreign token and an expired one apart', async () => {
    const get = (authorization: string) =>
      closed.request('/api/v1/portfolios', { headers: { authorization } });
    expect((await errorOf(await get('Basic YTpi'))).code).toBe('INVALID_TOKEN');
    const foreign = await tokenIssuer('x'.repeat(32), 60, () => T0).issue('admin', 'operator');
    expect((await errorOf(await get(`Bearer ${foreign.token}`))).code).toBe('INVALID_TOKEN');
    const old = await tokenIssuer(TEST_JWT_SECRET, 60, () => T0 - 3_600_000).issue('a', 'viewer');
    const expired = await get(`Bearer ${old.token}`);
    expect([expired.status, (await errorOf(expired)).code]).toEqual([401, 'TOKEN_EXPIRED']);
  });

  it('keeps health, readiness, the document and its page public', async () => {
    for (const path of ['/health', '/ready', '/openapi.json', '/docs', '/docs/swagger-ui.css'])
      expect((await closed.request(path)).status, path).toBe(200);
  });

  it('takes the metrics token for /metrics only', async () => {
    const app = testApi([], {
      auth: testAuth({ readsOpen: false, metricsToken: 'metrics-token-0123456789' }),
      metrics: {
        contentType: 'text/plain; version=0.0.4',
        render: () => Promise.resolve('up 1\n'),
      },
    }).app;
    const headers = { authorization: 'Bearer metrics-token-0123456789' };
    const res = await app.request('/metrics', { headers });
    expect([res.status, await res.text()]).toEqual([200, 'up 1\n']);
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/api/v1/portfolios', { headers })).status).toBe(401);
  });
});

describe('logging in', () => {
  const { app } = testApi();
  const login = (body: unknown) =>
    app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify(body),
    });

  it('answers a token that the other routes take, with the role', async () => {
    const res = await login({ username: 'viewer', password: TEST_PASSWORDS.viewer });
    const body = (await res.json()) as { token: string; role: string; tokenType: string };
    expect([res.status, body.role, body.tokenType]).toEqual([200, 'viewer', 'Bearer']);
    const me = await app.request('/api/v1/auth/me', {
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(await me.json()).toEqual({ username: 'viewer', role: 'viewer' });
  });

  it('answers a wrong password and an unknown user alike, and names a bad field', async () => {
    const wrong = await login({ username: 'admin', password: 'nope' });
    const unknown = await login({ username: 'nobody', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await errorOf(wrong)).toEqual(await errorOf(unknown));
    const bad = await login({ username: 'admin', pasword: 'x' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toContain('"pasword"');
  });

  it('stops a client after too many failed logins, until its minute ends', async () => {
    let now = T0;
    const app = createApp({
      ...testApiDeps(),
      auth: { ...testAuth({ nowMs: () => now }), failedLogins: limiter(2, () => now) },
    });
    const attempt = (password: string) =>
      app.request('/api/v1/auth/login', {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify({ username: 'admin', password }),
      });
    expect((await attempt('x')).status).toBe(401);
    expect((await attempt('y')).status).toBe(401);
    const third = await attempt(TEST_PASSWORDS.admin);
    expect([third.status, third.headers.get('retry-after')]).toEqual([429, '60']);
    now += 60_000;
    expect((await attempt(TEST_PASSWORDS.admin)).status).toBe(200);
  });
});

describe('limits, CORS and ids', () => {
  it('answers 429 with Retry-After past the per-client rate', async () => {
    let now = T0;
    const { app } = testApi([], { auth: testAuth({ perMinute: 3, nowMs: () => now }) });
    for (let i = 0; i < 3; i++) expect((await app.request('/health')).status).toBe(200);
    now += 20_000;
    const res = await app.request('/health');
    expect([res.status, res.headers.get('retry-after')]).toEqual([429, '40']);
    expect((await errorOf(res)).code).toBe('RATE_LIMITED');
    now += 40_000;
    expect((await app.request('/health')).status).toBe(200);
  });

  it('answers CORS only for configured origins', async () => {
    const preflight = {
      method: 'OPTIONS',
      headers: { origin: 'https://ops.example.com', 'access-control-request-method': 'GET' },
    };
    const off = testApi().app;
    expect(
      (await off.request('/health', preflight)).headers.get('access-control-allow-origin'),
    ).toBeNull();
    const on = testApi([], {
      auth: { ...testAuth(), corsOrigins: ['https://ops.example.com'] },
    }).app;
    const res = await on.request('/health', preflight);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    const evil = await on.request('/health', { headers: { origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('echoes a correlation id, or the request id when none was given', async () => {
    const { app } = testApi([], { newRequestId: () => 'req-9' });
    const given = await app.request('/health', { headers: { 'x-correlation-id': 'corr-1' } });
    expect(given.headers.get('x-correlation-id')).toBe('corr-1');
    const none = await app.request('/health');
    expect([none.headers.get('x-request-id'), none.headers.get('x-correlation-id')]).toEqual([
      'req-9',
      'req-9',
    ]);
  });
});

/** What createApp needs besides authentication. */
function testApiDeps() {
  return {
    portfolios: new PortfolioReadModel(),
    readiness: [],
    log: pino({ level: 'silent' }),
    host: '127.0.0.1',
    maxBodyBytes: 1 << 20,
  };
}
