/**
 * The daemon as a child process for the live benchmark: `node --import tsx src/main.ts start`
 * (works on a fresh clone after `npm ci`; `dist/main.js` after `npm run build` with
 * entry 'dist'), on a free loopback port, a temp DATA_DIR (embedded LMDB journal) and the given
 * environment. It scrapes /metrics, reads the child's peak RSS, and stops it with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface DaemonOptions {
  /** Environment on top of PATH, PORT, HOST, DATA_DIR and a first admin's password and key. */
  readonly env: Readonly<Record<string, string>>;
  /** 'tsx' (default): the sources through tsx; 'dist': the build. */
  readonly entry?: 'tsx' | 'dist';
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  readonly nodeFlags?: readonly string[];
}

export interface DaemonChild {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
  /** GET /metrics: the Prometheus text exposition. */
  scrape(): Promise<string>;
  /** The child's peak resident set (VmHWM of /proc/<pid>/status), bytes; null off Linux. */
  peakRssBytes(): number | null;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`); removes the data dir. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * Starts the daemon and resolves once it trades: its /metrics has counted a tick (so it needs
 * METRICS__ENABLED=true, the default).
 */
export async function startDaemonChild(o: DaemonOptions, timeoutMs = 60_000): Promise<DaemonChild> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ap-bench-live-data-'));
  const entry =
    o.entry === 'dist'
      ? [join(ROOT, 'dist', 'main.js')]
      : ['--import', 'tsx', join(ROOT, 'src', 'main.ts')];
  const child = spawn(process.execPath, [...(o.nodeFlags ?? []), ...entry, 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      API__ADMIN_PASSWORD: 'bench-live-admin-password',
      API__JWT_SECRET: 'bench-live-jwt-secret-at-least-32-characters',
      API__READS: 'open',
      LOG_FORMAT: 'json',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const d: DaemonChild = {
    child,
    port,
    output: () => out,
    async scrape() {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${text.slice(0, 300)}`);
      return text;
    },
    peakRssBytes() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
        return kb === undefined ? null : Number(kb) * 1024;
      } catch {
        return null;
      }
    },
    async stop(graceMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const end = await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
      return end;
    },
  };
  // Trading has started once /metrics counts a tick (whatever LOG_LEVEL hides).
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || performance.now() > deadline) {
      await d.stop(1000);
      throw new Error(
        `the daemon did not start trading within ${timeoutMs} ms; its output:\n${out}`,
      );
    }
    const ticks = await d.scrape().then(
      (text) => Number(/^alpha_panda_feed_ticks_total(?:\{\})?\s+(\S+)/m.exec(text)?.[1] ?? 0),
      () => 0,
    );
    if (ticks > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return d;
}
