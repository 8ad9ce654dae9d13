/**
 * API users from CONFIG_DIR/users.yaml (hashes made by `hash-password`) and from Postgres' users
 * table: each logs in with its role, a viewer reads but may not write, a failed login tells
 * nothing about who exists and is limited per client, and a malformed users.yaml stops `start`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DAEMON_ADMIN,
  DAEMON_AUTH_ENV,
  freePort,
  loginHeaders,
  startDaemon,
  started,
  type Daemon,
} from '../helpers/daemon.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';
import { ROOT, tempDir } from '../helpers/system.js';

const VIEWER = { username: 'vera', password: 'vera-viewer-password' };
const OPERATOR = { username: 'omar', password: 'omar-operator-password' };
const MAIN = join(ROOT, 'dist', 'main.js');

/** Runs `node dist/main.js hash-password` with `stdin` on its standard input. */
function hashPasswordCli(stdin: string) {
  return spawnSync(process.execPath, [MAIN, 'hash-password'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    input: stdin,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

function hashOf(password: string): string {
  const r = hashPasswordCli(`${password}\n`);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

const entry = (username: string, role: string, hash: string, roleKey = 'role') =>
  `  - username: ${username}\n    ${roleKey}: ${role}\n    password_hash: ${hash}\n`;

/** A copy of the repository's config/ folder with `usersYaml` as its users.yaml. */
function configDir(usersYaml: string): { path: string; remove: () => void } {
  const dir = tempDir('ap-users-config-');
  cpSync(join(ROOT, 'config'), dir.path, { recursive: true });
  writeFileSync(join(dir.path, 'users.yaml'), usersYaml);
  return dir;
}

async function login(
  d: Daemon,
  user: { username: string; password: string },
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${d.port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}

async function call(
  d: Daemon,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${d.port}${path}`, { method, headers });
  return { status: res.status, body: (await res.json()) as never };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

let hashes: { viewer: string; operator: string };
beforeAll(() => {
  hashes = { viewer: hashOf(VIEWER.password), operator: hashOf(OPERATOR.password) };
});

describe('hash-password', () => {
  it('prints a fresh scrypt hash of the line on standard input', () => {
    expect(hashes.viewer).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    // A fresh salt each time: the same password never gives the same hash.
    expect(hashOf(VIEWER.password)).not.toBe(hashes.viewer);
  });

  it('refuses a password under 12 characters with exit 2, printing no hash', () => {
    const r = hashPasswordCli('short-pw\n');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'hash-password: the password on standard input has 8 characters; use at least 12',
    );
    expect(hashPasswordCli('').status).toBe(2);
  });
});

describe('users of CONFIG_DIR/users.yaml', () => {
  let d: Daemon;
  beforeAll(async () => {
    const dir = configDir(
      `users:\n${entry(VIEWER.username, 'viewer', hashes.viewer)}${entry(OPERATOR.username, 'operator', hashes.operator)}`,
    );
    cleanups.push(dir.remove);
    // Reads need a token (API__READS unset).
    d = await startDaemon({ CONFIG_DIR: dir.path, API__READS: '', FEED__SOURCE: 'none' });
    cleanups.push(() => d.remove());
    await started(d);
  });

  it('logs each in with its role', async () => {
    for (const [user, role] of [
      [VIEWER, 'viewer'],
      [OPERATOR, 'operator'],
    ] as const) {
      const r = await login(d, user);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ tokenType: 'Bearer', username: user.username, role });
      const me = await call(d, 'GET', '/api/v1/auth/me', {
        Authorization: `Bearer ${String(r.body.token)}`,
      });
      expect(me).toEqual({ status: 200, body: { username: user.username, role } });
    }
  });

  it('lets a viewer read but not write; an operator writes', async () => {
    const path = '/api/v1/strategies/ema_cross_tcs/disable';
    expect((await call(d, 'GET', '/api/v1/strategies')).status).toBe(401);
    const viewer = await loginHeaders(`http://127.0.0.1:${d.port}`, VIEWER);
    expect((await call(d, 'GET', '/api/v1/strategies', viewer)).status).toBe(200);
    expect(await call(d, 'POST', path, viewer)).toEqual({
      status: 403,
      body: {
        error: {
          code: 'FORBIDDEN',
          message: `POST ${path} needs the operator role; vera has the viewer role`,
        },
      },
    });
    const still = await call(d, 'GET', '/api/v1/strategies/ema_cross_tcs', viewer);
    expect(still.body).toMatchObject({ status: 'RUNNING', enabled: true });
    const operator = await loginHeaders(`http://127.0.0.1:${d.port}`, OPERATOR);
    const done = await call(d, 'POST', path, operator);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ strategy: { status: 'DISABLED', enabled: false } });
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await login(d, { username: VIEWER.username, password: OPERATOR.password });
    const unknown = await login(d, { username: 'nobody', password: VIEWER.password });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      error: { code: 'INVALID_CREDENTIALS', message: 'the username or the password is wrong' },
    });
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.body).toEqual(wrong.body);
  });
});

describe('failed logins', () => {
  it('answers the 4th failed login in a minute with 429 and Retry-After', async () => {
    const d = await startDaemon({ API__LOGIN_ATTEMPTS_PER_MINUTE: '3', FEED__SOURCE: 'none' });
    cleanups.push(() => d.remove());
    await started(d);
    const bad = { username: DAEMON_ADMIN.username, password: 'not-the-admin-password' };
    for (const user of [bad, { ...bad, username: 'nobody' }, bad]) {
      expect((await login(d, user)).status).toBe(401);
    }
    const fourth = await login(d, bad);
    expect(fourth.status).toBe(429);
    expect(fourth.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const wait = Number(fourth.headers.get('retry-after'));
    expect(Number.isInteger(wait) && wait >= 1 && wait <= 60).toBe(true);
    expect(String((fourth.body.error as { message: string }).message)).toContain(
      `too many failed logins from this client (API__LOGIN_ATTEMPTS_PER_MINUTE); try again in ${wait} s`,
    );
    // The right password does not get through either until the minute ends.
    expect((await login(d, DAEMON_ADMIN)).status).toBe(429);
  });
});

describe('a malformed users.yaml', () => {
  /** Runs `start` with `usersYaml`; it must stop before serving. */
  async function startWith(usersYaml: string) {
    const dir = configDir(usersYaml);
    const data = tempDir('ap-users-data-');
    try {
      const r = spawnSync(process.execPath, [MAIN, 'start'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          DATA_DIR: data.path,
          CONFIG_DIR: dir.path,
          FEED__SOURCE: 'none',
          ...DAEMON_AUTH_ENV,
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { status: r.status, stderr: r.stderr, file: join(dir.path, 'users.yaml') };
    } finally {
      dir.remove();
      data.remove();
    }
  }

  it('stops start with exit 2 on a misspelt key, naming the file, the entry and the key', async () => {
    const r = await startWith(
      `users:\n${entry(VIEWER.username, 'viewer', hashes.viewer)}${entry(OPERATOR.username, 'operator', hashes.operator, 'rol')}`,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(r.file);
    expect(r.stderr).toContain('unknown key "rol" in users.1; did you mean "role"?');
  });

  it('stops start with exit 2 on a bad hash, naming the file and the entry', async () => {
    const r = await startWith(`users:\n${entry(VIEWER.username, 'viewer', 'scrypt$1$2$3$x$y')}`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(r.file);
    expect(r.stderr).toMatch(/users\.0\.password_hash: password_hash is not scrypt\$N\$r\$p/);
  });

  it('stops start with exit 2 on a user listed twice, naming the file and the user', async () => {
    const r = await startWith(
      `users:\n${entry(VIEWER.username, 'viewer', hashes.viewer)}${entry(VIEWER.username, 'operator', hashes.operator)}`,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${r.file}: user vera is listed twice; keep one entry`);
  });
});

describe("users of Postgres' users table", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const seeded = spawnSync(process.execPath, [MAIN, 'seed'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', DATABASE_URL: db.url },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(seeded.stderr).toBe('');
    expect(seeded.status).toBe(0);
  });

  it('logs in a user inserted into the table, with its role', async () => {
    const sql = postgres(db.url, { max: 1, onnotice: () => undefined });
    try {
      await sql`
        insert into users (username, password_hash, role)
        values ('pgop', ${hashes.operator}, 'operator')`;
      // Without a role a row is a viewer (config/migrations/0002_user_roles.sql).
      await sql`insert into users (username, password_hash) values ('pgview', ${hashes.viewer})`;
    } finally {
      await sql.end();
    }
    const d = await startDaemon({ DATABASE_URL: db.url, API__READS: '', FEED__SOURCE: 'none' });
    cleanups.push(() => d.remove());
    await started(d);
    const op = await login(d, { username: 'pgop', password: OPERATOR.password });
    expect(op.status).toBe(200);
    expect(op.body).toMatchObject({ username: 'pgop', role: 'operator' });
    const viewer = await login(d, { username: 'pgview', password: VIEWER.password });
    expect(viewer.body).toMatchObject({ username: 'pgview', role: 'viewer' });
    const wrong = await login(d, { username: 'pgop', password: VIEWER.password });
    expect(wrong.status).toBe(401);

    const path = '/api/v1/strategies/ema_cross_tcs/disable';
    const asViewer = { Authorization: `Bearer ${String(viewer.body.token)}` };
    expect((await call(d, 'GET', '/api/v1/strategies', asViewer)).status).toBe(200);
    expect((await call(d, 'POST', path, asViewer)).status).toBe(403);
    const asOperator = { Authorization: `Bearer ${String(op.body.token)}` };
    const done = await call(d, 'POST', path, asOperator);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ strategy: { status: 'DISABLED', enabled: false } });
  }, 90_000);
});
