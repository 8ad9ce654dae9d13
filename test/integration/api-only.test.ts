import { freePort } from '../helpers/daemon.js';
import { testAuth } from '../helpers/api.js';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/index.js';
import {
  connectRedis,
  PortfolioReadModel,
  RedisPortfolioReader,
  RedisProjection,
  redisClient,
  redisKeys,
} from '../../src/readmodel/index.js';
import { infraUrl } from '../helpers/infra.js';
import { feedLive, readModelJournal, redisDbUrl } from '../helpers/read-model.js';
import { runApiOnly, startApiOnly } from '../../src/api/index.js';

// Database 6 is this file's own: FLUSHDB here never touches another suite's keys.
const URL = redisDbUrl(infraUrl('REDIS_URL'), 6);
const RECORDS = readModelJournal();
const silent = pino({ level: 'silent' });
const BASE = { log: silent, host: '127.0.0.1', maxBodyBytes: 1 << 20, auth: testAuth() };

let admin: Redis;

/** Builds the read model in Redis with a projection, as a trading daemon would. */
async function populate(): Promise<void> {
  const p = new RedisProjection(await connectRedis(URL, { onError: () => {} }), {
    flushEveryMs: 0,
  });
  feedLive(p, RECORDS);
  await p.close();
}

/** The same API over the in-process read model fed the same records. */
function inProcessApp() {
  const rm = new PortfolioReadModel();
  for (const r of RECORDS) rm.apply(r);
  return createApp({ ...BASE, portfolios: rm, readiness: [] });
}

beforeAll(async () => {
  admin = new Redis(URL);
  await admin.ping();
});
beforeEach(async () => {
  await admin.flushdb();
});
afterAll(async () => {
  await admin.quit();
});

describe('the API-only process', () => {
  it('answers portfolio queries from Redis exactly as the in-process API does', async () => {
    await populate();
    const server = await startApiOnly({ ...BASE, redisUrl: URL, port: 0 });
    try {
      expect(server.port).toBeGreaterThan(0);
      const local = inProcessApp();
      for (const path of [
        '/api/v1/portfolios',
        '/api/v1/portfolios/paper/ema_cross_reliance',
        '/api/v1/portfolios/zerodha/a_momentum',
        '/api/v1/portfolios/paper/nope',
        '/api/v1/portfolios/kite/a_momentum',
        '/health',
      ]) {
        const remote = await fetch(`http://127.0.0.1:${server.port}${path}`);
        const expected = await local.request(path);
        expect({ path, status: remote.status }).toEqual({ path, status: expected.status });
        expect(await remote.json()).toEqual(await expected.json());
      }
      const list = (await (
        await fetch(`http://127.0.0.1:${server.port}/api/v1/portfolios`)
      ).json()) as { portfolios: { strategyId: string }[] };
      expect(list.portfolios.map((p) => p.strategyId)).toEqual([
        'ema_cross_reliance',
        'a_momentum',
      ]);

      const ready = await fetch(`http://127.0.0.1:${server.port}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, checks: [{ name: 'redis', ok: true }] });

      // Without a built read model the process is up but not ready.
      await admin.del(redisKeys.seq);
      const notBuilt = await fetch(`http://127.0.0.1:${server.port}/ready`);
      expect(notBuilt.status).toBe(503);
      expect(await notBuilt.json()).toEqual({
        ready: false,
        checks: [
          {
            name: 'redis',
            ok: false,
            problem: expect.stringMatching(/readmodel:seq is missing.*REDIS_URL/) as unknown,
          },
        ],
      });
    } finally {
      await server.close();
    }
  });

  it('answers 503 with the reason while Redis does not answer', async () => {
    const down = redisClient(`redis://127.0.0.1:${await freePort()}/6`, { onError: () => {} });
    const reader = new RedisPortfolioReader(down);
    const app = createApp({
      ...BASE,
      portfolios: reader,
      readiness: [
        { name: 'redis', check: () => reader.ping() },
        {
          name: 'broken',
          check: () => Promise.reject(new Error('probe crashed')),
        },
      ],
    });
    try {
      for (const path of ['/api/v1/portfolios', '/api/v1/portfolios/paper/ema_cross_reliance']) {
        const res = await app.request(path);
        expect(res.status).toBe(503);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('READ_MODEL_UNAVAILABLE');
        expect(body.error.message).toMatch(/check that Redis is running and REDIS_URL/);
      }
      const ready = await app.request('/ready');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        ready: false,
        checks: [
          {
            name: 'redis',
            ok: false,
            problem: expect.stringMatching(
              /^Redis does not answer \(connection \w+\): /,
            ) as unknown,
          },
          { name: 'broken', ok: false, problem: 'the broken check failed: probe crashed' },
        ],
      });
    } finally {
      await reader.close();
    }
  });

  it('refuses to start when Redis cannot be reached, naming where without credentials', async () => {
    const port = await freePort();
    const err = await startApiOnly({
      redisUrl: `redis://:s3cret@127.0.0.1:${port}/6`,
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1 << 20,
      auth: testAuth(),
      log: silent,
    }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`could not connect to 127.0.0.1:${port}/6`);
    expect((err as Error).message).not.toContain('s3cret');
  });

  it('runApiOnly serves until its signal aborts, then resolves', async () => {
    await populate();
    const lines: Record<string, unknown>[] = [];
    let started: (port: number) => void = () => {};
    const listening = new Promise<number>((resolve) => (started = resolve));
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          const line = JSON.parse(chunk.toString()) as Record<string, unknown>;
          lines.push(line);
          if (typeof line.port === 'number') started(line.port);
          done();
        },
      }),
    );
    const abort = new AbortController();
    const run = runApiOnly({
      redisUrl: URL,
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1 << 20,
      auth: testAuth(),
      log,
      signal: abort.signal,
    });
    const port = await listening;
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/portfolios/zerodha/a_momentum`);
    expect(res.status).toBe(200);

    abort.abort();
    await run;
    expect(lines.map((l) => l.msg)).toEqual([
      'alpha panda api started (read model in redis)',
      'stopping the api',
      'api stopped',
    ]);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
