/**
 * The daemon on real infrastructure (issue: Kafka journal, Postgres configuration, Redis read
 * model): `topics bootstrap` and `seed` (each twice), then the daemon trades with the journal on
 * Kafka, its strategies from Postgres and its read model in Redis; kcat reads the envelope; a
 * strategy row changed in Postgres disables and re-enables the strategy live; the journal's seqs
 * are contiguous from 1 across all topics; and a flushed Redis is rebuilt equal by a restart.
 *
 * The steps share one daemon and run in order. Each run uses its own topic prefix, database and
 * Redis database, so it never sees another's data.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrategyConfigured, TradingSignal } from '../../src/model/index.js';
import { entropySeed } from '../../src/runtime/ids.js';
import {
  DAEMON_ADMIN,
  freePort,
  loginHeaders,
  startDaemon,
  started,
  until,
  type Daemon,
} from '../helpers/daemon.js';
import { infraUrl } from '../helpers/infra.js';
import { readKafkaJournal } from '../helpers/kafka-journal.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';
import { dumpRedis, redisDbUrl } from '../helpers/read-model.js';
import { ROOT } from '../helpers/system.js';

const STRATEGY = 'ema_cross_reliance';

/** A portfolio view as the Redis projection stores it (the fields this test reads). */
interface StoredView {
  strategyId: string;
  cash: number;
  fills: number;
  asOfSeq: number;
}
const REDIS_DB = 9;

let db: TestDatabase;
let env: Record<string, string>;
let redis: Redis;
let daemon: Daemon | undefined;
const prefix = `it-${entropySeed().toString(36)}.`;
const brokers = infraUrl('KAFKA_BROKERS');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface StrategyRow {
  id: string;
  status: string;
  signals: number;
}

async function strategy(d: Daemon, id: string): Promise<StrategyRow> {
  const { body } = await d.get(`/api/v1/strategies/${id}`);
  return body as StrategyRow;
}

const journal = () => readKafkaJournal(brokers.split(','), prefix);

beforeAll(async () => {
  db = await createTestDatabase();
  const redisUrl = redisDbUrl(infraUrl('REDIS_URL'), REDIS_DB);
  env = {
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: prefix,
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    FEED__TICKS_PER_SECOND: '400',
  };
  redis = new Redis(redisUrl);
  await redis.flushdb();
});

afterAll(async () => {
  daemon?.remove();
  redis?.disconnect();
  await db?.drop();
});

describe('the daemon on Kafka, Postgres and Redis', () => {
  it('bootstraps the topics and seeds the configuration, each idempotently', () => {
    const first = cli('topics', 'bootstrap');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^created \d+ of \d+ journal topics/);
    expect(first.stdout).toContain(`${prefix}paper.signals.raw`);
    expect(first.stdout).toContain(`${prefix}market.ticks.dlq`);
    const again = cli('topics', 'bootstrap');
    expect(again.stdout).toMatch(/nothing created/);

    expect(cli('seed').status).toBe(0);
    const seeded = cli('seed');
    expect(seeded.status).toBe(0);
    expect(seeded.stdout).toMatch(/seeded 5 strategies and 20 instruments/);
  });

  it('trades, and kcat reads the envelope on paper.signals.raw and paper.orders.filled', async () => {
    daemon = await startDaemon(env);
    const d = daemon;
    await until(
      async () => {
        const { body } = await d.get('/api/v1/portfolios');
        const ps = (body as { portfolios: { fills: number }[] }).portfolios;
        return ps.some((p) => p.fills > 0) ? true : undefined;
      },
      60_000,
      'a fill',
    );
    expect(d.output()).toMatch(/"journal":"kafka"/);
    expect(d.output()).toMatch(/"config":"postgres"/);
    for (const [topic, type] of [
      ['paper.signals.raw', 'trading_signal'],
      ['paper.orders.filled', 'order_filled'],
    ] as const) {
      const out = execFileSync(
        'kcat',
        [
          '-C',
          '-b',
          brokers,
          '-t',
          prefix + topic,
          '-o',
          'beginning',
          '-e',
          '-q',
          '-f',
          '%k\t%s\n',
        ],
        { encoding: 'utf8', timeout: 30_000 },
      );
      const lines = out.trim().split('\n');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const [key, value] = line.split('\t') as [string, string];
        const e = JSON.parse(value) as Record<string, unknown>;
        expect(Object.keys(e).sort()).toEqual(
          [
            'broker',
            'causation_id',
            'correlation_id',
            'data',
            'id',
            'key',
            'seq',
            'source',
            'target',
            'ts',
            'type',
            'version',
          ].sort(),
        );
        expect(e).toMatchObject({ type, broker: 'paper', version: 1, key });
        expect(key).toMatch(/^[a-z0-9_-]+:\d+$/);
        expect(new Date(e.ts as string).toISOString()).toBe(e.ts);
      }
    }
  });

  let offSeq = 0;
  let onSeq = 0;

  it('disables a strategy within 2 s of a row update in Postgres, and re-enables it', async () => {
    const d = daemon!;
    const sql = postgres(db.url, { max: 1 });
    try {
      expect((await strategy(d, STRATEGY)).status).toBe('RUNNING');
      const t0 = performance.now();
      await sql`update strategy_configurations set enabled = false where id = ${STRATEGY}`;
      await until(
        async () => ((await strategy(d, STRATEGY)).status === 'DISABLED' ? true : undefined),
        2_000,
        `${STRATEGY} DISABLED`,
      );
      expect(performance.now() - t0).toBeLessThan(2_000);
      // Let the others trade on for a while: the disabled one must stay silent.
      const others = (await strategy(d, 'ema_cross_tcs')).signals;
      await until(
        async () => ((await strategy(d, 'ema_cross_tcs')).signals >= others + 2 ? true : undefined),
        60_000,
        'two more signals from another strategy',
      );
      const before = (await strategy(d, STRATEGY)).signals;
      expect((await strategy(d, STRATEGY)).status).toBe('DISABLED');

      // A hand-written NOTIFY works too (the trigger already sends one for the update).
      await sql`update strategy_configurations set enabled = true where id = ${STRATEGY}`;
      await sql`select pg_notify('strategy_configurations', ${STRATEGY})`;
      await until(
        async () => ((await strategy(d, STRATEGY)).status === 'RUNNING' ? true : undefined),
        2_000,
        `${STRATEGY} RUNNING again`,
      );
      await until(
        async () => ((await strategy(d, STRATEGY)).signals > before ? true : undefined),
        60_000,
        `a new signal from ${STRATEGY}`,
      );

      // A misspelled parameter is refused and logged, naming the nearest; nothing is applied.
      await sql`
        update strategy_configurations
        set parameters = parameters - 'fast_period' || '{"fast_perod": 2}'::jsonb
        where id = ${STRATEGY}`;
      await until(
        async () =>
          d.output().includes('unknown parameter \\"fast_perod\\"; did you mean \\"fast_period\\"?')
            ? true
            : undefined,
        2_000,
        'the refused change in the log',
      );
      expect((await strategy(d, STRATEGY)).status).toBe('RUNNING');
      await sql`
        update strategy_configurations
        set parameters = parameters - 'fast_perod' || '{"fast_period": 3}'::jsonb
        where id = ${STRATEGY}`;
    } finally {
      await sql.end();
    }
    d.child.kill('SIGTERM');
    expect((await d.exited).code).toBe(0);

    const recs = await journal();
    const configured = recs.filter((r) => r.type === 'StrategyConfigured');
    expect(configured.length).toBeGreaterThanOrEqual(2);
    for (const r of configured) {
      expect(r).toMatchObject({
        topic: 'control.commands',
        source: 'config:postgres',
        key: STRATEGY,
      });
    }
    offSeq = configured.find((r) => !(r.data as StrategyConfigured).enabled)!.seq;
    onSeq = configured.find((r) => (r.data as StrategyConfigured).enabled)!.seq;
    const silent = recs.filter(
      (r) =>
        r.type === 'TradingSignal' &&
        (r.data as TradingSignal).strategyId === STRATEGY &&
        r.seq > offSeq &&
        r.seq < onSeq,
    );
    expect(silent).toEqual([]);
    expect(
      recs.some(
        (r) =>
          r.type === 'TradingSignal' &&
          (r.data as TradingSignal).strategyId === STRATEGY &&
          r.seq > onSeq,
      ),
    ).toBe(true);
  });

  it('journals every record once, on its topic, with seqs contiguous from 1 across topics', async () => {
    const recs = await journal();
    expect(recs.length).toBeGreaterThan(1000);
    expect(recs.map((r) => r.seq)).toEqual(recs.map((_, i) => i + 1));
    const topics = new Set(recs.map((r) => r.topic));
    for (const t of [
      'market.ticks',
      'paper.signals.raw',
      'paper.orders.filled',
      'control.commands',
    ])
      expect(topics).toContain(t);
  });

  it('rebuilds a flushed Redis from the journal on restart, equal to before', async () => {
    const before = await dumpRedis(redis);
    expect(Object.keys(before)).toContain(`paper:portfolio:${STRATEGY}`);
    expect(Object.keys(before)).toContain(`paper:positions:${STRATEGY}`);
    expect(Object.keys(before).some((k) => /^pipeline:fills:paper:count$/.test(k))).toBe(true);
    await redis.flushdb();
    expect(await redis.dbsize()).toBe(0);

    // Restart without market data, so nothing new is journaled and the state is the journal's.
    daemon = await startDaemon({ ...env, FEED__SOURCE: 'none' });
    const d = daemon;
    await until(
      async () => (/read model rebuilt/.test(d.output()) ? true : undefined),
      60_000,
      'the read model rebuild',
    );
    // The restart recovered the run (same configuration), so it journaled nothing new.
    expect(d.output()).toMatch(/recovered the last run from the journal/);
    expect(await dumpRedis(redis)).toEqual(before);
    await started(d);
    d.child.kill('SIGTERM');
    expect((await d.exited).code).toBe(0);
  });

  it('serves the portfolios from Redis in an API-only process (`api`)', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js'), 'api'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        REDIS_URL: env.REDIS_URL!,
        LOG_LEVEL: 'warn',
        // Reads need a token here: the API-only process logs its users in like the daemon.
        API__ADMIN_PASSWORD: DAEMON_ADMIN.password,
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    try {
      let headers: Record<string, string> = {};
      const get = async (path: string) => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      await until(
        async () => ((await get('/ready')).status === 200 ? true : undefined),
        30_000,
        'api ready',
      );
      expect((await get('/api/v1/portfolios')).status).toBe(401);
      headers = await loginHeaders(`http://127.0.0.1:${port}`);
      // The portfolio that traded most (which one depends on the run's random seed).
      const keys = await redis.keys('paper:portfolio:*');
      const views = await Promise.all(
        keys.map(async (k) => JSON.parse((await redis.get(k))!) as StoredView),
      );
      const stored = views.sort((a, b) => b.fills - a.fills)[0]!;
      const { status, body } = await get(`/api/v1/portfolios/paper/${stored.strategyId}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        broker: 'paper',
        strategyId: stored.strategyId,
        cash: { paise: stored.cash },
        fills: stored.fills,
        asOfSeq: stored.asOfSeq,
      });
      expect(stored.fills).toBeGreaterThan(0);
      const list = (await get('/api/v1/portfolios')).body.portfolios as unknown[];
      expect(list.length).toBe(5);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('replays the Kafka journal (one run across the restart, live strategy changes included) with no divergence', () => {
    const r = cli('replay');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      runs: number;
      inputs: number;
      divergences: number;
      fingerprint: string;
      recordedFingerprint: string;
    };
    expect(out.runs).toBe(1);
    expect(out.divergences).toBe(0);
    expect(out.fingerprint).toBe(out.recordedFingerprint);
  });
});
