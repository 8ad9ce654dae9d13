/**
 * Start-up is all or nothing, and one daemon writes a journal: a second daemon on the same
 * DATA_DIR, a port in use, a DATA_DIR that is a file, and an unreachable Redis or Postgres each
 * stop the process with exit 2 and one line naming what failed, before any tick is journaled.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplayResult } from '../../src/system/index.js';
import {
  freePort,
  logLine,
  replayJournal,
  startDaemon,
  started,
  until,
  type Daemon,
} from '../helpers/daemon.js';
import { readLmdbJournal, tempDir } from '../helpers/system.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function keep(d: Daemon): Daemon {
  cleanups.push(() => d.remove());
  return d;
}

async function up(d: Daemon): Promise<void> {
  await started(d, 30_000);
}

function replay(dataDir: string): ReplayResult {
  const r = replayJournal(dataDir);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.result;
}

/** The stderr line a refused start prints, once it has exited. */
async function refused(d: Daemon): Promise<{ code: number | null; line: string; ms: number }> {
  const t0 = performance.now();
  const { code } = await d.exited;
  const lines = d
    .output()
    .split('\n')
    .filter((l) => l.startsWith('alpha-panda: '));
  expect(lines, d.output()).toHaveLength(1);
  return { code, line: lines[0]!, ms: performance.now() - t0 };
}

describe('one daemon per DATA_DIR', () => {
  it('refuses a second daemon within 2 s naming the first pid; replay works beside the first', async () => {
    const dir = tempDir('ap-lock-');
    cleanups.push(() => dir.remove());
    const env = { FEED__SEED: '11', FEED__TICKS_PER_SECOND: '500' };
    const first = keep(await startDaemon(env, { dataDir: dir.path }));
    await up(first);

    const t0 = performance.now();
    const second = keep(await startDaemon(env, { dataDir: dir.path }));
    const { code, line } = await refused(second);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(code).toBe(2);
    expect(line).toContain(`DATA_DIR ${dir.path}`);
    expect(line).toContain(`pid ${first.child.pid}`);

    // A replay beside the live daemon reads the journal and leaves the daemon running.
    const beside = replay(dir.path);
    expect(beside.divergences).toBe(0);
    expect(beside.records).toBeGreaterThan(1);
    expect((await first.get('/ready')).status).toBe(200);
    expect(first.child.exitCode).toBeNull();

    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    const stopped = logLine(first, 'journal flushed; stopped')!;
    const after = replay(dir.path);
    expect(after.divergences).toBe(0);
    expect(after.fingerprint).toBe(stopped.fingerprint);
    expect(after.records).toBe(stopped.lastSeq);
  }, 120_000);

  it('takes the lock over at once after the holder was killed', async () => {
    const dir = tempDir('ap-lock-');
    cleanups.push(() => dir.remove());
    const first = keep(
      await startDaemon({ FEED__SEED: '3', FEED__TICKS_PER_SECOND: '4000' }, { dataDir: dir.path }),
    );
    await up(first);
    await until(
      async () => {
        const { body } = await first.get('/api/v1/portfolios');
        const ps = (body as { portfolios: { fills: number }[] }).portfolios;
        return ps.some((p) => p.fills > 0) ? true : undefined;
      },
      30_000,
      'a fill',
    );
    first.child.kill('SIGKILL');
    await first.exited;
    // No feed: nothing but recovery moves the portfolios.
    const second = keep(await startDaemon({ FEED__SOURCE: 'none' }, { dataDir: dir.path }));
    await up(second);
    // The recovered portfolios say which journal seq they reflect, not 0.
    const recovered = logLine(second, 'recovered the last run from the journal');
    expect(recovered).toBeDefined();
    const list = (await second.get('/api/v1/portfolios')).body as {
      portfolios: { asOfSeq: number }[];
    };
    expect(list.portfolios.length).toBeGreaterThan(0);
    for (const p of list.portfolios)
      expect(p.asOfSeq).toBeGreaterThanOrEqual(recovered!.throughSeq as number);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 60_000);
});

describe('start-up is all or nothing', () => {
  it('exits 2 naming the port when it is in use, and journals no tick', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    cleanups.push(() => blocker.close());
    const d = keep(await startDaemon({}, { port }));
    const { code, line } = await refused(d);
    expect(code).toBe(2);
    expect(line).toContain(`PORT ${port}`);
    expect(line).toContain('in use');
    expect(existsSync(join(d.dataDir, 'journal'))).toBe(false);
    expect(await readLmdbJournal(d.dataDir).catch(() => [])).toEqual([]);
  }, 60_000);

  it('exits 2 with one line when DATA_DIR is a file', async () => {
    const dir = tempDir('ap-file-');
    cleanups.push(() => dir.remove());
    const file = join(dir.path, 'not-a-dir');
    writeFileSync(file, 'x');
    const d = keep(await startDaemon({}, { dataDir: file }));
    const { code, line } = await refused(d);
    expect(code).toBe(2);
    expect(line).toBe(
      `alpha-panda: DATA_DIR ${file} is a file, not a directory; set DATA_DIR to a directory (it is created when missing)`,
    );
  }, 60_000);

  it('exits 2 when Redis or Postgres cannot be reached, instead of staying alive', async () => {
    const closed = await freePort();
    const redis = keep(await startDaemon({ REDIS_URL: `redis://127.0.0.1:${closed}/0` }));
    const r = await refused(redis);
    expect(r.code).toBe(2);
    expect(r.line).toContain('REDIS_URL');
    const pg = keep(
      await startDaemon({ DATABASE_URL: `postgres://alpha@127.0.0.1:${closed}/alpha` }),
    );
    const p = await refused(pg);
    expect(p.code).toBe(2);
    expect(p.line).toContain('DATABASE_URL');
    expect(p.line).not.toContain('\n');
  }, 60_000);
});
