/** Applies the numbered SQL migrations (`NNNN_name.sql`) of a folder to Postgres, each once. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { ConfigError } from '../runtime/index.js';

/** File names the runner accepts: four digits, an underscore, a lower-case name, `.sql`. */
export const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * The advisory lock every migrating process takes first, so that processes starting together
 * apply each file exactly once. A fixed arbitrary 64-bit key: changing it would let an old and a
 * new build migrate concurrently.
 */
export const MIGRATION_LOCK_KEY = '7316142893605617281';

export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  /** SHA-256 of the file's bytes, hex. */
  readonly checksum: string;
}

/**
 * Reads the migration files of `dir` in version order. Throws ConfigError for a `.sql` file whose
 * name does not match MIGRATION_FILE and for two files with one version; other files are ignored.
 */
export function readMigrations(dir: string): MigrationFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new ConfigError(
      `cannot read the migrations folder ${dir}: ${(err as Error).message}; it ships as config/migrations/`,
    );
  }
  const byVersion = new Map<number, MigrationFile>();
  for (const file of names) {
    if (!file.toLowerCase().endsWith('.sql')) continue;
    const m = MIGRATION_FILE.exec(file);
    if (!m) {
      throw new ConfigError(
        `migration ${join(dir, file)}: the name must look like 0002_add_orders.sql (four digits, an underscore, a-z 0-9 _, .sql); rename it`,
      );
    }
    const version = Number(m[1]);
    const other = byVersion.get(version);
    if (other) {
      throw new ConfigError(
        `migrations ${other.file} and ${file} in ${dir} share version ${m[1]}; give the newer one the next free number`,
      );
    }
    const bytes = readFileSync(join(dir, file));
    byVersion.set(version, {
      version,
      name: m[2]!,
      file,
      sql: bytes.toString('utf8'),
      checksum: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies the files of `dir` not yet recorded in `schema_migrations`, in version order, each in
 * its own transaction, while holding the advisory lock MIGRATION_LOCK_KEY on one reserved
 * connection. Resolves with the files applied by this call (empty when the database was current).
 * Throws ConfigError, before applying anything, when an applied file was changed or renamed; a
 * file that fails leaves the database at the previous migration.
 */
export async function migrate(sql: Sql, dir: string): Promise<{ applied: string[] }> {
  const files = readMigrations(dir);
  // The lock belongs to a session, so everything runs on one connection that holds it.
  const conn = await sql.reserve();
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`;
    try {
      return await applyPending(conn, files, dir);
    } finally {
      await conn`select pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`;
    }
  } finally {
    conn.release();
  }
}

async function applyPending(
  conn: Sql,
  files: readonly MigrationFile[],
  dir: string,
): Promise<{ applied: string[] }> {
  await conn`
    create table if not exists schema_migrations (
      version    integer primary key,
      name       text not null,
      checksum   text not null,
      applied_at timestamptz not null default now()
    )`;
  const rows = await conn<AppliedRow[]>`select version, name, checksum from schema_migrations`;
  const done = new Map(rows.map((r) => [r.version, r]));
  for (const f of files) {
    const row = done.get(f.version);
    if (row === undefined) continue;
    if (row.name !== f.name || row.checksum !== f.checksum) {
      throw new ConfigError(
        `migration ${join(dir, f.file)} was changed after it was applied (recorded as ${String(row.version).padStart(4, '0')}_${row.name}.sql, sha256 ${row.checksum}; file now sha256 ${f.checksum}); restore the original file and put the change in a new migration with the next number`,
      );
    }
  }
  const applied: string[] = [];
  for (const f of files) {
    if (done.has(f.version)) continue;
    // begin/commit by hand rather than sql.begin(), which would take another pool connection.
    await conn`begin`;
    try {
      await conn.unsafe(f.sql);
      await conn`
        insert into schema_migrations (version, name, checksum)
        values (${f.version}, ${f.name}, ${f.checksum})`;
      await conn`commit`;
    } catch (err) {
      // A failed rollback means the connection is gone, which ends the transaction anyway.
      await conn`rollback`.catch(() => undefined);
      throw new ConfigError(
        `migration ${join(dir, f.file)} failed and was rolled back: ${(err as Error).message}; nothing of it was applied: correct the file if the error is in it, then start again`,
      );
    }
    applied.push(f.file);
  }
  return { applied };
}
