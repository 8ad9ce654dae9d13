/**
 * A strategy changed through the API with DATABASE_URL: the row is written first (its version
 * bumped once), the change is journaled once (the row's own notification, arriving after, is not
 * applied again), and when Postgres refuses the write the API answers 503 and nothing changes.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrategyConfigured } from '../../src/model/index.js';
import { startDaemon, started, until, type Daemon } from '../helpers/daemon.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';
import { readLmdbJournal, ROOT } from '../helpers/system.js';

const STRATEGY = 'ema_cross_reliance';
/** Another strategy, changed in Postgres directly to know the daemon has read every notification. */
const MARKER = 'ema_cross_tcs';
const SEEDED = { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 10 };

let db: TestDatabase;
let sql: Sql | undefined;
let daemon: Daemon | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  const seeded = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), 'seed'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', DATABASE_URL: db.url },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(seeded.stderr).toBe('');
  expect(seeded.status).toBe(0);
  sql = postgres(db.url, { max: 1, onnotice: () => undefined });
});

afterAll(async () => {
  daemon?.remove();
  await sql?.end();
  await db?.drop();
});

interface Row {
  enabled: boolean;
  parameters: Record<string, unknown>;
  version: number;
}

async function row(id: string): Promise<Row> {
  const [r] = await sql!<Row[]>`
    select enabled, parameters, version from strategy_configurations where id = ${id}`;
  return r!;
}

interface Shown {
  status: string;
  enabled: boolean;
  params: Record<string, unknown>;
}

async function shown(d: Daemon, id: string): Promise<Shown> {
  const res = await d.get(`/api/v1/strategies/${id}`);
  expect(res.status).toBe(200);
  return res.body as Shown;
}

/**
 * Flips MARKER's row in Postgres and waits until the daemon shows it. Notifications are read in
 * commit order, one at a time, so every row changed before this one has been handled by then.
 */
async function notificationsRead(d: Daemon, enabled: boolean): Promise<void> {
  await sql!`update strategy_configurations set enabled = ${enabled} where id = ${MARKER}`;
  const want = enabled ? 'RUNNING' : 'DISABLED';
  await until(
    async () => ((await shown(d, MARKER)).status === want ? true : undefined),
    20_000,
    `${MARKER} ${want} from its Postgres row`,
  );
}

describe('strategy changes over the API with Postgres', () => {
  it('writes the row, journals each change once, and answers 503 when the row cannot be written', async () => {
    daemon = await startDaemon({ DATABASE_URL: db.url, FEED__SOURCE: 'mock' });
    const d = daemon;
    await started(d);
    await until(
      async () => {
        const rows = await sql!<{ pid: number }[]>`
          select pid from pg_stat_activity
          where datname = ${db.name} and query ilike 'listen %' and pid <> pg_backend_pid()`;
        return rows.length === 1 ? true : undefined;
      },
      30_000,
      'the daemon listening on Postgres',
    );
    const seeded = await row(STRATEGY);
    expect(seeded).toMatchObject({ enabled: true, parameters: SEEDED });

    // Parameters: merged into the current ones, written to the row, journaled.
    const changed = { ...SEEDED, quantity: 25 };
    const p = await d.post(`/api/v1/strategies/${STRATEGY}/params`, { params: { quantity: 25 } });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({
      seq: expect.any(Number),
      strategy: { id: STRATEGY, status: 'RUNNING', enabled: true, params: changed },
    });
    expect(await row(STRATEGY)).toEqual({
      enabled: true,
      parameters: changed,
      version: seeded.version + 1,
    });
    await notificationsRead(d, false);
    expect(await shown(d, STRATEGY)).toMatchObject({ status: 'RUNNING', params: changed });
    expect((await row(STRATEGY)).version).toBe(seeded.version + 1);

    // Disable, then enable.
    const off = await d.post(`/api/v1/strategies/${STRATEGY}/disable`);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ strategy: { status: 'DISABLED', enabled: false } });
    expect(await row(STRATEGY)).toMatchObject({ enabled: false, version: seeded.version + 2 });
    const on = await d.post(`/api/v1/strategies/${STRATEGY}/enable`);
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ strategy: { status: 'RUNNING', enabled: true } });
    expect(await row(STRATEGY)).toEqual({
      enabled: true,
      parameters: changed,
      version: seeded.version + 3,
    });
    await notificationsRead(d, true);
    expect(await shown(d, STRATEGY)).toMatchObject({
      status: 'RUNNING',
      enabled: true,
      params: changed,
    });

    // The daemon's role may no longer write the table: the change is refused and nothing changes.
    await sql!`revoke update on strategy_configurations from current_user`;
    const refused = await d.post(`/api/v1/strategies/${STRATEGY}/params`, {
      params: { quantity: 40 },
    });
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({
      error: {
        code: 'CONFIG_STORE_UNAVAILABLE',
        message: expect.stringMatching(
          /^the change was not written to Postgres, so nothing changed: permission denied for table strategy_configurations/,
        ),
      },
    });
    expect(await shown(d, STRATEGY)).toMatchObject({ status: 'RUNNING', params: changed });
    expect(await row(STRATEGY)).toMatchObject({ parameters: changed, version: seeded.version + 3 });
    const refusedOff = await d.post(`/api/v1/strategies/${STRATEGY}/disable`);
    expect(refusedOff.status).toBe(503);
    expect(await shown(d, STRATEGY)).toMatchObject({ status: 'RUNNING', enabled: true });

    d.child.kill('SIGTERM');
    expect((await d.exited).code).toBe(0);
    const configured = (await readLmdbJournal(d.dataDir))
      .filter((r) => r.type === 'StrategyConfigured')
      .map((r) => {
        const data = r.data as StrategyConfigured;
        return [
          r.seq,
          r.key,
          r.source,
          data.enabled,
          (data.params as { quantity: number }).quantity,
        ];
      });
    const seqs = [p, off, on].map((r) => r.body.seq);
    expect(configured).toEqual([
      [seqs[0], STRATEGY, 'operator:admin', true, 25],
      [expect.any(Number), MARKER, 'config:postgres', false, 10],
      [seqs[1], STRATEGY, 'operator:admin', false, 25],
      [seqs[2], STRATEGY, 'operator:admin', true, 25],
      [expect.any(Number), MARKER, 'config:postgres', true, 10],
    ]);
  }, 120_000);
});
