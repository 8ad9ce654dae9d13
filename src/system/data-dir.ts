/**
 * DATA_DIR, checked and locked before anything else starts: one daemon per data directory.
 *
 * The lock is a listening Unix socket in Linux's abstract namespace, named after the directory's
 * device and inode: the kernel gives the name to one process only and takes it back the moment
 * that process ends, however it ends (no stale lock after a crash, whatever path reaches the
 * directory). A second daemon connects to it and learns the holder's pid. Processes in other
 * network namespaces (containers) or on other hosts do not share that namespace, so the holder
 * also keeps `DATA_DIR/daemon.lock` ({pid, host, since}) fresh: a fresh file of another host
 * refuses the start too. Elsewhere than Linux the socket is a file in DATA_DIR.
 */
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { accessSync, constants, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { StartupError } from '../runtime/index.js';

export interface DataDirLock {
  /** The directory's real path. */
  readonly path: string;
  release(): Promise<void>;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** A lock file of another host counts while it was touched this recently, ms. */
const FRESH_MS = 15_000;
const TOUCH_MS = 3_000;
const ASK_MS = 1_000;

/** Makes `dir` (when missing) and checks it is a writable directory. */
export function prepareDataDir(dir: string): string {
  let st;
  try {
    st = statSync(dir, { throwIfNoEntry: false });
  } catch (err) {
    throw new StartupError(
      `DATA_DIR ${dir} cannot be examined (${(err as NodeJS.ErrnoException).code ?? String(err)}); set DATA_DIR to a directory this user can write`,
    );
  }
  if (st !== undefined && !st.isDirectory())
    throw new StartupError(
      `DATA_DIR ${dir} is a file, not a directory; set DATA_DIR to a directory (it is created when missing)`,
    );
  try {
    if (st === undefined) mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.R_OK | constants.X_OK);
  } catch (err) {
    throw new StartupError(
      `DATA_DIR ${dir} cannot be created or written (${(err as NodeJS.ErrnoException).code ?? String(err)}); set DATA_DIR to a directory this user can write`,
    );
  }
  return realpathSync(dir);
}

/** Takes the data directory's lock; throws StartupError naming the holder when it is taken. */
export async function lockDataDir(dir: string, now: () => Date): Promise<DataDirLock> {
  const path = prepareDataDir(dir);
  const me: Holder = { pid: process.pid, host: hostname(), since: now().toISOString() };
  const lockFile = join(path, 'daemon.lock');
  const other = readHolder(lockFile);
  if (other !== null && other.holder.host !== me.host && now().getTime() - other.mtimeMs < FRESH_MS)
    throw busy(path, other.holder);

  const { dev, ino } = statSync(path);
  const address =
    process.platform === 'linux'
      ? `\0alpha-panda-data-dir:${dev}:${ino}`
      : join(path, 'daemon.sock');
  const server = createServer((c) => c.end(JSON.stringify(me)));
  await listenOrRefuse(server, address, path);
  try {
    writeFileSync(lockFile, `${JSON.stringify(me)}\n`);
  } catch {
    // A full or read-only disk: the socket is the lock; the file only informs other hosts.
  }
  const touch = setInterval(() => {
    const t = now();
    try {
      utimesSync(lockFile, t, t);
    } catch {
      // A missing or unwritable lock file only weakens the check of other hosts.
    }
  }, TOUCH_MS);
  touch.unref();
  server.unref();
  return {
    path,
    release: async () => {
      clearInterval(touch);
      if (readHolder(lockFile)?.holder.pid === me.pid) rmSync(lockFile, { force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function busy(path: string, h: Holder | null): StartupError {
  const who =
    h === null
      ? 'another process that does not say who it is'
      : `another alpha panda daemon (pid ${h.pid}${h.host === hostname() ? '' : ` on host ${h.host}`}, started ${h.since})`;
  return new StartupError(
    `DATA_DIR ${path} is in use by ${who}; one daemon writes a journal: stop that one first, or give this one its own DATA_DIR`,
  );
}

function readHolder(file: string): { holder: Holder; mtimeMs: number } | null {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return typeof holder.pid === 'number' && typeof holder.host === 'string'
      ? { holder, mtimeMs: statSync(file).mtimeMs }
      : null;
  } catch {
    return null;
  }
}

/** Listens on the lock's address; when another process holds it, asks that one who it is. */
async function listenOrRefuse(server: Server, address: string, path: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen(address, () => {
        server.off('error', resolve);
        resolve(null);
      });
    });
    if (err === null) return;
    if (err.code !== 'EADDRINUSE')
      throw new StartupError(`cannot lock DATA_DIR ${path}: ${err.code ?? err.message}`);
    const holder = await ask(address);
    // A socket file left by a process that is gone (not Linux): take it over once.
    if (holder === 'gone' && !address.startsWith('\0') && attempt === 0) {
      rmSync(address, { force: true });
      continue;
    }
    throw busy(path, holder === 'gone' ? null : holder);
  }
}

function ask(address: string): Promise<Holder | null | 'gone'> {
  return new Promise((resolve) => {
    let text = '';
    const c = createConnection(address);
    const done = (v: Holder | null | 'gone') => {
      clearTimeout(timer);
      c.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(null), ASK_MS);
    c.on('data', (d) => (text += String(d)));
    c.on('end', () => {
      try {
        done(JSON.parse(text) as Holder);
      } catch {
        done(null);
      }
    });
    c.on('error', (e: NodeJS.ErrnoException) =>
      done(e.code === 'ECONNREFUSED' || e.code === 'ENOENT' ? 'gone' : null),
    );
  });
}
