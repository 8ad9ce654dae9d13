/**
 * The Redis read model survives a Redis restart without persistence: the daemon finds Redis empty
 * and rewrites every key from memory, so an API-only process answers as the daemon does again.
 * The test runs a Redis server of its own, so it can stop and start it on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { testAuth } from '../helpers/api.js';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiOnly, type ApiOnlyServer } from '../../src/api/index.js';
import { feedDone, freePort, startDaemon, until, type Daemon } from '../helpers/daemon.js';
import { dumpRedis } from '../helpers/read-model.js';
import { tempDir } from '../helpers/system.js';

const REWROTE = 'rewrote every key from memory';

interface RedisServer {
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
}

/** redis-server on 127.0.0.1:port with no persistence: a restart comes back empty. */
function redisServer(port: number, dir: string): RedisServer {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  return { child, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

async function stop(server: RedisServer | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  await server.exited;
}

async function json(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

const dir = tempDir('ap-redis-restart-');
let server: RedisServer | undefined;
let daemon: Daemon | undefined;
let api: ApiOnlyServer | undefined;
let admin: Redis | undefined;

afterAll(async () => {
  await api?.close();
  admin?.disconnect();
  daemon?.remove();
  await stop(server);
  dir.remove();
});

describe('the Redis read model across a Redis restart', () => {
  it('is rewritten whole from the daemon memory once Redis comes back empty', async () => {
    const port = await freePort();
    server = redisServer(port, dir.path);
    const url = `redis://127.0.0.1:${port}/3`;
    admin = new Redis(url);
    // Refused connections while the server starts and restarts are expected; ioredis retries.
    admin.on('error', () => {});
    const a = admin;
    expect(await a.ping()).toBe('PONG');

    daemon = await startDaemon({
      REDIS_URL: url,
      FEED__SEED: '11',
      FEED__TICKS_PER_SECOND: '20000',
      FEED__MAX_TICKS: '30000',
    });
    const d = daemon;
    // The feed stops at its tick count: from then on the daemon's state no longer changes.
    await feedDone(d);
    const expected = (await d.get('/api/v1/portfolios')).body as {
      portfolios: { broker: string; strategyId: string; fills: number }[];
    };
    expect(expected.portfolios.length).toBe(5);
    expect(expected.portfolios.some((p) => p.fills > 0)).toBe(true);

    api = await startApiOnly({
      redisUrl: url,
      host: '127.0.0.1',
      port: 0,
      log: pino({ level: 'silent' }),
      maxBodyBytes: 1 << 20,
      auth: testAuth(),
    });
    const remote = `http://127.0.0.1:${api.port}`;
    const servesTheDaemonState = async () => {
      const list = await json(`${remote}/api/v1/portfolios`);
      if (list.status !== 200) return undefined;
      expect(list.body).toEqual(expected);
      for (const p of expected.portfolios) {
        const one = await json(`${remote}/api/v1/portfolios/${p.broker}/${p.strategyId}`);
        expect(one).toEqual(await d.get(`/api/v1/portfolios/${p.broker}/${p.strategyId}`));
      }
      return true;
    };
    // Throws (and so is retried) until the last flush has landed.
    await until(servesTheDaemonState, 10_000, 'the API-only process to serve the daemon state');
    const before = await dumpRedis(a);
    const keys = Object.keys(before);
    expect(keys).toContain('readmodel:seq');
    expect(keys.filter((k) => /^paper:portfolio:/.test(k))).toHaveLength(5);
    expect(keys.filter((k) => /^paper:positions:/.test(k))).toHaveLength(5);
    expect(keys).toContain('pipeline:fills:paper:count');
    const runId = /run_id:(\w+)/.exec(await a.info('server'))?.[1];
    expect(d.output()).not.toContain(REWROTE);

    // Stop Redis and start a new, empty one on the same port.
    await stop(server);
    server = redisServer(port, dir.path);
    expect(/run_id:(\w+)/.exec(await a.info('server'))?.[1]).not.toBe(runId);

    await until(
      async () => {
        const now = await dumpRedis(a);
        return JSON.stringify(now) === JSON.stringify(before) ? true : undefined;
      },
      15_000,
      'every read model key rewritten',
    );
    expect(await dumpRedis(a)).toEqual(before);
    // The API-only process's own connection may still be reconnecting (503 until it is back).
    await until(
      servesTheDaemonState,
      10_000,
      'the API-only process to serve the daemon state again',
    );
    expect(
      d
        .output()
        .split('\n')
        .filter((l) => l.includes(REWROTE)),
    ).toHaveLength(1);

    d.child.kill('SIGTERM');
    expect((await d.exited).code).toBe(0);
  }, 120_000);
});
