/** Starts `node dist/main.js` as a child process on a free port and a temp data dir. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ReplayResult } from '../../src/system/index.js';
import { ROOT, tempDir } from './system.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** The daemon's first admin (an operator), and the key its tokens are signed with. */
export const DAEMON_ADMIN = { username: 'admin', password: 'daemon-admin-password' } as const;
export const DAEMON_JWT_SECRET = 'daemon-test-jwt-secret-32-characters-long';

/**
 * What every test daemon gets unless the test says otherwise: a first admin, a fixed token key,
 * and reads open (loopback), so reads need no token and writes take the admin's.
 */
export const DAEMON_AUTH_ENV: Readonly<Record<string, string>> = {
  API__ADMIN_PASSWORD: DAEMON_ADMIN.password,
  API__JWT_SECRET: DAEMON_JWT_SECRET,
  API__READS: 'open',
};

/** Logs in to the API at `base` as `user`; resolves with the Authorization header. */
export async function loginHeaders(
  base: string,
  user: { username: string; password: string } = DAEMON_ADMIN,
): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (res.status !== 200)
    throw new Error(`login as ${user.username}: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return { Authorization: `Bearer ${token}` };
}

export interface Daemon {
  readonly child: ChildProcess;
  readonly port: number;
  readonly dataDir: string;
  readonly output: () => string;
  get(path: string): Promise<{ status: number; body: unknown }>;
  /** POSTs `body` as JSON with the admin's token (logged in once). */
  post(path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** The admin's Authorization header (logged in once). */
  auth(): Promise<Record<string, string>>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  remove(): void;
}

/**
 * Starts a daemon on a free port and a temp data dir of its own, or on `opts.dataDir` / `opts.port`
 * when given (then `remove` leaves that folder alone).
 */
export async function startDaemon(
  env: Record<string, string> = {},
  opts: { dataDir?: string; port?: number; args?: string[] } = {},
): Promise<Daemon> {
  const port = opts.port ?? (await freePort());
  const dir =
    opts.dataDir === undefined ? tempDir('ap-daemon-') : { path: opts.dataDir, remove: () => {} };
  let out = '';
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist', 'main.js'), ...(opts.args ?? ['start'])],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dir.path,
        LOG_LEVEL: 'info',
        ...DAEMON_AUTH_ENV,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let token: Promise<Record<string, string>> | undefined;
  const auth = () => (token ??= loginHeaders(`http://127.0.0.1:${port}`));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    port,
    dataDir: dir.path,
    output: () => out,
    exited,
    async get(path) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, body: await res.json() };
    },
    auth,
    async post(path, body) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: {
          ...(await auth()),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    remove: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      dir.remove();
    },
  };
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  while (performance.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
  );
}

/**
 * Waits until the daemon has started trading (its API answers from the start, `/health`
 * included, while it opens and recovers the journal).
 */
export async function started(d: Daemon, timeoutMs = 30_000): Promise<void> {
  await until(
    async () => (d.output().includes('"msg":"alpha panda started"') ? true : undefined),
    timeoutMs,
    'the daemon started',
  );
}

/** Waits until the daemon's feed has reached FEED__MAX_TICKS (its /ready `feed` check fails). */
export async function feedDone(d: Daemon, timeoutMs = 60_000): Promise<void> {
  await until(
    async () =>
      ((await d.get('/ready')).body as { checks: { name: string; ok: boolean }[] }).checks.find(
        (c) => c.name === 'feed',
      )?.ok === false
        ? true
        : undefined,
    timeoutMs,
    'the feed to reach its tick count',
  );
}

/** The first JSON log line of the daemon with this message, if any. */
export function logLine(d: Daemon, msg: string): Record<string, unknown> | undefined {
  const line = d
    .output()
    .split('\n')
    .find((l) => l.includes(`"msg":"${msg}"`));
  return line === undefined ? undefined : (JSON.parse(line) as Record<string, unknown>);
}

/** Runs `node dist/main.js replay` on the LMDB journal of `dataDir`. */
export function replayJournal(dataDir: string): {
  status: number | null;
  stderr: string;
  result: ReplayResult;
} {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), 'replay'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return {
    status: r.status,
    stderr: r.stderr,
    result: (r.status === 0 ? JSON.parse(r.stdout) : null) as ReplayResult,
  };
}
