/**
 * A strategy row changed while the daemon's Postgres listener is disconnected (its notification
 * is lost) is applied once the listener is back: every (re)subscribe re-reads the table. The
 * same change is journaled once, whether a catch-up or a notification delivers it again.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrategyConfigured } from '../../src/model/index.js';
import { startDaemon, until, type Daemon } from '../helpers/daemon.js';
import { infraUrl } from '../helpers/infra.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';
import { readLmdbJournal, ROOT } from '../helpers/system.js';

const STRATEGY = 'ema_cross_reliance';

let db: TestDatabase;
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
});

afterAll(async () => {
  daemon?.remove();
  await db?.drop();
});

async function status(d: Daemon): Promise<string> {
  return ((await d.get(`/api/v1/strategies/${STRATEGY}`)).body as { status: string }).status;
}

async function becomes(d: Daemon, want: string): Promise<void> {
  await until(
    async () => ((await status(d)) === want ? true : undefined),
    20_000,
    `${STRATEGY} ${want}`,
  );
}

describe('the Postgres listener catching up after a reconnect', () => {
  it('applies a row changed while it was disconnected, once', async () => {
    daemon = await startDaemon({ DATABASE_URL: db.url, FEED__SOURCE: 'none' });
    const d = daemon;
    // One connection into the test database, opened before connections are refused...
    const sql = postgres(db.url, { max: 1, onnotice: () => undefined });
    // ...and one from another database: a database cannot refuse connections from inside.
    const maint = postgres(infraUrl('DATABASE_URL'), { max: 1, onnotice: () => undefined });
    const listeners = () => sql<{ pid: number }[]>`
      select pid from pg_stat_activity
      where datname = ${db.name} and query ilike 'listen %' and pid <> pg_backend_pid()`;
    try {
      await until(
        async () => ((await listeners()).length === 1 ? true : undefined),
        30_000,
        'the daemon listening on Postgres',
      );
      expect(await status(d)).toBe('RUNNING');

      await maint`alter database ${maint(db.name)} allow_connections false`;
      try {
        const cut = await sql`
          select pg_terminate_backend(pid) as ok from pg_stat_activity
          where datname = ${db.name} and query ilike 'listen %' and pid <> pg_backend_pid()`;
        expect(cut.map((r) => r.ok)).toEqual([true]);
        // The trigger's NOTIFY for this update reaches nobody.
        await sql`update strategy_configurations set enabled = false where id = ${STRATEGY}`;
        expect(await listeners()).toEqual([]);
        expect(await status(d)).toBe('RUNNING');
      } finally {
        await maint`alter database ${maint(db.name)} allow_connections true`;
      }
      await becomes(d, 'DISABLED');
      expect((await listeners()).length).toBe(1);

      // The same row notified again changes nothing; the next real change is applied.
      await sql`select pg_notify('strategy_configurations', ${STRATEGY})`;
      await sql`update strategy_configurations set enabled = true where id = ${STRATEGY}`;
      await becomes(d, 'RUNNING');
    } finally {
      await sql.end();
      await maint.end();
    }
    d.child.kill('SIGTERM');
    expect((await d.exited).code).toBe(0);

    const configured = (await readLmdbJournal(d.dataDir)).filter(
      (r) => r.type === 'StrategyConfigured',
    );
    expect(
      configured.map((r) => [r.topic, r.key, r.source, (r.data as StrategyConfigured).enabled]),
    ).toEqual([
      ['control.commands', STRATEGY, 'config:postgres', false],
      ['control.commands', STRATEGY, 'config:postgres', true],
    ]);
  }, 90_000);
});
