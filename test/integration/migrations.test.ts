import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres, { type Sql } from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';
import { ConfigError } from '../../src/runtime/errors.js';
import { migrate } from '../../src/config/migrations.js';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/config/pg-store.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  // Clients close before their database is dropped: the reverse of creation order.
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

async function freshDb(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

function client(db: TestDatabase): Sql {
  const sql = postgres(db.url, { onnotice: () => undefined });
  cleanups.push(() => sql.end({ timeout: 5 }));
  return sql;
}

/** A temporary migrations folder holding `files` (name → SQL). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ap-migrations-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function recorded(sql: Sql): Promise<{ version: number; name: string }[]> {
  return sql<{ version: number; name: string }[]>`
    select version, name from schema_migrations order by version`;
}

async function rejection(p: Promise<unknown>): Promise<ConfigError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('migrate', () => {
  it('applies config/migrations once and records name and checksum', async () => {
    const sql = client(await freshDb());
    expect(await migrate(sql, DEFAULT_MIGRATIONS_DIR)).toEqual({
      applied: ['0001_init.sql', '0002_user_roles.sql'],
    });
    expect(await migrate(sql, DEFAULT_MIGRATIONS_DIR)).toEqual({ applied: [] });

    const [row, roles] =
      await sql`select version, name, checksum from schema_migrations order by version`;
    expect(roles).toMatchObject({ version: 2, name: 'user_roles' });
    // Users get a role; one without is a viewer.
    await sql`insert into users (username, password_hash) values ('x', 'scrypt$1')`;
    expect(await sql`select role from users`).toEqual([{ role: 'viewer' }]);
    const bytes = readFileSync(join(DEFAULT_MIGRATIONS_DIR, '0001_init.sql'));
    expect(row).toEqual({
      version: 1,
      name: 'init',
      checksum: createHash('sha256').update(bytes).digest('hex'),
    });
    const tables = await sql`
      select table_name from information_schema.tables
      where table_schema = 'public' order by table_name`;
    expect(tables.map((t) => t.table_name)).toEqual([
      'broker_sessions',
      'instruments',
      'schema_migrations',
      'strategy_configurations',
      'users',
    ]);
  });

  it('applies files in version order and only the new ones on a later run', async () => {
    const sql = client(await freshDb());
    const dir = folder({
      '0010_third.sql': 'insert into log values (3);',
      '0001_first.sql': 'create table log (n integer);',
      '0002_second.sql': 'insert into log values (2);',
      'README.md': 'not a migration: ignored',
    });
    expect((await migrate(sql, dir)).applied).toEqual([
      '0001_first.sql',
      '0002_second.sql',
      '0010_third.sql',
    ]);
    writeFileSync(join(dir, '0011_fourth.sql'), 'insert into log values (4);');
    expect((await migrate(sql, dir)).applied).toEqual(['0011_fourth.sql']);
    const log = await sql`select n from log`;
    expect(log.map((r) => r.n)).toEqual([2, 3, 4]);
  });

  it('applies each file exactly once when two processes migrate at the same time', async () => {
    const db = await freshDb();
    // Two pools stand for two processes: they share no connection, only the advisory lock.
    const a = client(db);
    const b = client(db);
    const dir = folder({
      '0001_init.sql': readFileSync(join(DEFAULT_MIGRATIONS_DIR, '0001_init.sql'), 'utf8'),
      // Not idempotent on purpose: a second application would fail on the primary key.
      '0002_count.sql': 'create table runs (n integer primary key); insert into runs values (1);',
    });
    // allSettled: a failure of one must not end the pools while the other is still migrating.
    const [ra, rb] = await Promise.allSettled([migrate(a, dir), migrate(b, dir)]);
    if (ra.status === 'rejected') throw ra.reason;
    if (rb.status === 'rejected') throw rb.reason;

    expect([...ra.value.applied, ...rb.value.applied].sort()).toEqual([
      '0001_init.sql',
      '0002_count.sql',
    ]);
    expect(await recorded(a)).toEqual([
      { version: 1, name: 'init' },
      { version: 2, name: 'count' },
    ]);
    expect(await a`select n from runs`).toEqual([{ n: 1 }]);
  });

  it('refuses an applied file whose content changed, before applying anything else', async () => {
    const sql = client(await freshDb());
    const dir = folder({ '0001_first.sql': 'create table a (n integer);' });
    await migrate(sql, dir);
    writeFileSync(join(dir, '0001_first.sql'), 'create table a (n bigint);');
    writeFileSync(join(dir, '0002_second.sql'), 'create table b (n integer);');

    const err = await rejection(migrate(sql, dir));
    expect(err.message).toContain(join(dir, '0001_first.sql'));
    expect(err.message).toContain('was changed after it was applied');
    expect(err.message).toContain('restore the original file');
    expect(await recorded(sql)).toEqual([{ version: 1, name: 'first' }]);
  });

  it('refuses a renamed applied file', async () => {
    const sql = client(await freshDb());
    const dir = folder({ '0001_first.sql': 'select 1;' });
    await migrate(sql, dir);
    rmSync(join(dir, '0001_first.sql'));
    writeFileSync(join(dir, '0001_renamed.sql'), 'select 1;');
    const err = await rejection(migrate(sql, dir));
    expect(err.message).toContain('recorded as 0001_first.sql');
  });

  it.each([['1_init.sql'], ['0001-init.sql'], ['0001_Init.sql'], ['init.sql']])(
    'refuses the file name %s, saying what a name must look like',
    async (name) => {
      const sql = client(await freshDb());
      const err = await rejection(migrate(sql, folder({ [name]: 'select 1;' })));
      expect(err.message).toContain(name);
      expect(err.message).toContain('0002_add_orders.sql');
    },
  );

  it('refuses two files with one version', async () => {
    const sql = client(await freshDb());
    const dir = folder({ '0001_a.sql': 'select 1;', '0001_b.sql': 'select 1;' });
    const err = await rejection(migrate(sql, dir));
    expect(err.message).toMatch(/0001_a\.sql and 0001_b\.sql .* share version 0001/);
  });

  it('rolls back a failing file and applies it once it is fixed', async () => {
    const sql = client(await freshDb());
    const dir = folder({
      '0001_first.sql': 'create table a (n integer);',
      '0002_broken.sql': 'create table b (n integer); select 1 / 0;',
    });
    const err = await rejection(migrate(sql, dir));
    expect(err.message).toContain('0002_broken.sql failed and was rolled back');
    expect(err.message).toContain('division by zero');
    expect(await recorded(sql)).toEqual([{ version: 1, name: 'first' }]);
    expect(await sql`select to_regclass('b') as b`).toEqual([{ b: null }]);

    writeFileSync(join(dir, '0002_broken.sql'), 'create table b (n integer);');
    expect((await migrate(sql, dir)).applied).toEqual(['0002_broken.sql']);
  });
});
