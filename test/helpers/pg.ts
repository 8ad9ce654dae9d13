/**
 * A fresh Postgres database per test file on the loopback server of DATABASE_URL, dropped
 * afterwards, so suites never see each other's rows, migrations or notifications.
 */
import postgres, { type Sql } from 'postgres';
import { infraUrl } from './infra.js';

export interface TestDatabase {
  /** The URL of the new database, for the same role as DATABASE_URL. */
  readonly url: string;
  readonly name: string;
  /** Drops the database, closing whatever connections are still open on it. */
  drop(): Promise<void>;
}

let count = 0;

/**
 * Creates `ap_test_<pid>_<n>` owned by DATABASE_URL's role. Creating a database needs CREATEDB:
 * when that role lacks it, the `postgres` superuser of the same server does the create and drop.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = new URL(infraUrl('DATABASE_URL'));
  const role = decodeURIComponent(base.username);
  const admin = await adminConnection(base);
  // The pid is unique among running processes; a database left by a crashed run with a reused
  // pid is dropped first.
  const name = `ap_test_${process.pid}_${count++}`;
  try {
    await admin`drop database if exists ${admin(name)} with (force)`;
    await admin`create database ${admin(name)} owner ${admin(role)}`;
  } catch (err) {
    await admin.end();
    throw err;
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      try {
        await admin`drop database if exists ${admin(name)} with (force)`;
      } finally {
        await admin.end();
      }
    },
  };
}

async function adminConnection(base: URL): Promise<Sql> {
  const own = postgres(base.toString(), { max: 1, onnotice: () => undefined });
  try {
    const [me] = await own<{ ok: boolean }[]>`
      select rolcreatedb or rolsuper as ok from pg_roles where rolname = current_user`;
    if (me?.ok) return own;
  } catch (err) {
    await own.end();
    throw new Error(
      `cannot reach Postgres at ${base.host}: ${(err as Error).message}; run scripts/postgres-local.sh up (or make infra-up)`,
      { cause: err },
    );
  }
  await own.end();
  const su = new URL(base);
  su.username = 'postgres';
  su.password = '';
  return postgres(su.toString(), { max: 1, onnotice: () => undefined });
}
