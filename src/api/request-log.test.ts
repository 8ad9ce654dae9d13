import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { OPERATOR, testApi } from '../../test/helpers/api.js';
import { SeededRandom, SimulatedClock } from '../runtime/index.js';
import { requestIds } from './request-log.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  );
  return { lines, log };
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('echoes a sane X-Request-Id and gives every other request a new one', async () => {
    let n = 0;
    const { app } = testApi([], { newRequestId: () => `new-${++n}` });
    const echoed = await app.request('/health', { headers: { 'x-request-id': 'abc-123.4_5' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123.4_5');
    const none = await app.request('/health');
    expect(none.headers.get('x-request-id')).toBe('new-1');
    for (const bad of ['a'.repeat(129), '<script>', 'two words', ''])
      expect(
        (await app.request('/health', { headers: { 'x-request-id': bad } })).headers.get(
          'x-request-id',
        ),
      ).toMatch(/^new-\d$/);
    // Errors carry one too: a 404, a 403 from the middleware, a 400 from a route.
    expect((await app.request('/nothing')).headers.get('x-request-id')).toBe('new-6');
    const refused = await app.request('/api/v1/dlq/market.ticks/replay', {
      method: 'POST',
      headers: { ...OPERATOR, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect([refused.status, refused.headers.get('x-request-id')]).toEqual([403, 'new-7']);
  });

  it('makes UUIDv7 ids from the clock and the random source it is given', () => {
    const clock = new SimulatedClock(Date.UTC(2026, 0, 5, 3, 45));
    const a = requestIds(clock, new SeededRandom(1));
    const b = requestIds(clock, new SeededRandom(1));
    const first = a();
    expect(first).toMatch(UUID_V7);
    // The first 48 bits are the time in ms.
    expect(first.replace('-', '').slice(0, 12)).toBe(clock.now().toString(16).padStart(12, '0'));
    expect(a()).not.toBe(first);
    expect(b()).toBe(first);
  });
});

describe('server errors', () => {
  it('answers an unknown error with a generic 500 and logs it, stack and all, under the id', async () => {
    const { lines, log } = capture();
    const { app } = testApi([], { log, newRequestId: () => 'req-1' });
    app.get('/boom', () => {
      throw new Error("ENOENT: open '/home/trader/alpha-panda/secret.json'");
    });
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: {
        code: 'INTERNAL',
        message: "internal error; the server log has it under this response's X-Request-Id",
      },
    });
    expect(text).not.toMatch(/ENOENT|\/home|at /);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      requestId: 'req-1',
      method: 'GET',
      path: '/boom',
      status: 500,
      msg: 'request failed',
      err: { message: expect.stringContaining('ENOENT') as unknown },
    });
    expect((lines[0]!.err as { stack: string }).stack).toContain('request-log.test.ts');
  });

  it('logs a 5xx that no exception caused (a failed readiness check)', async () => {
    const { lines, log } = capture();
    const { app } = testApi([], {
      log,
      newRequestId: () => 'req-2',
      readiness: [{ name: 'feed', check: () => 'mock feed is not running' }],
    });
    expect((await app.request('/ready')).status).toBe(503);
    expect(lines).toMatchObject([{ level: 40, requestId: 'req-2', path: '/ready', status: 503 }]);
    // A 4xx is the client's: not logged.
    await app.request('/nothing');
    expect(lines).toHaveLength(1);
  });
});
