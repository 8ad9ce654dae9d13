/**
 * Credentials with passwords on the test Postgres and Redis: a login role with a password that
 * owns a fresh, seeded database, and a Redis ACL user with a password, each removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { infraUrl } from './infra.js';
import { createTestDatabase } from './pg.js';
import { ROOT } from './system.js';

export interface SecretService {
  /** The URL with the user and password, for DATABASE_URL or REDIS_URL. */
  readonly url: string;
  /** Whatever the setup printed (a seed run's output), to search for the password too. */
  readonly output: string;
  /** How many connections the user has open now (the caller's own not counted). */
  connections(): Promise<number>;
  remove(): Promise<void>;
}

/** Postgres' superuser on the server of DATABASE_URL (trust authentication on loopback). */
function superuser(): postgres.Sql {
  const su = new URL(infraUrl('DATABASE_URL'));
  su.username = 'postgres';
  su.password = '';
  return postgres(su.toString(), { max: 1, onnotice: () => undefined });
}

/**
 * A role `user` with `password` (no single quotes), owning a new database that `seed` filled
 * through the role's own URL.
 */
export async function postgresWithPassword(user: string, password: string): Promise<SecretService> {
  if (password.includes("'")) throw new Error('the password must not hold a single quote');
  const db = await createTestDatabase();
  const owner = decodeURIComponent(new URL(infraUrl('DATABASE_URL')).username);
  const su = superuser();
  const remove = async () => {
    // Back to the owner that createTestDatabase's drop connects as.
    await su`alter database ${su(db.name)} owner to ${su(owner)}`;
    await db.drop();
    await su`drop role if exists ${su(user)}`;
    await su.end();
  };
  try {
    await su`drop role if exists ${su(user)}`;
    await su.unsafe(`create role "${user}" login password '${password}'`);
    // Schema public belongs to pg_database_owner: the new owner may create tables in it.
    await su`alter database ${su(db.name)} owner to ${su(user)}`;
    const url = new URL(db.url);
    url.username = user;
    url.password = encodeURIComponent(password);
    const seeded = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), 'seed'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', DATABASE_URL: url.toString() },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (seeded.status !== 0)
      throw new Error(`seed failed (${seeded.status}): ${seeded.stdout}${seeded.stderr}`);
    return {
      url: url.toString(),
      output: seeded.stdout + seeded.stderr,
      async connections() {
        const [row] = await su<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity where usename = ${user}`;
        return row?.n ?? 0;
      },
      remove,
    };
  } catch (err) {
    await remove();
    throw err;
  }
}

/** An ACL user `user` with `password` and every right, on database `db` of REDIS_URL's server, emptied. */
export async function redisWithPassword(
  user: string,
  password: string,
  db: number,
): Promise<SecretService> {
  const base = new URL(infraUrl('REDIS_URL'));
  base.pathname = `/${db}`;
  const admin = new Redis(base.toString(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  await admin.flushdb();
  await admin.call('ACL', 'SETUSER', user, 'reset', 'on', `>${password}`, '~*', '&*', '+@all');
  const url = new URL(base);
  url.username = user;
  url.password = encodeURIComponent(password);
  return {
    url: url.toString(),
    output: '',
    async connections() {
      const list = String(await admin.call('CLIENT', 'LIST'));
      return list.split('\n').filter((l) => l.includes(` user=${user} `)).length;
    },
    async remove() {
      try {
        await admin.call('ACL', 'DELUSER', user);
        await admin.flushdb();
      } finally {
        admin.disconnect();
      }
    },
  };
}
