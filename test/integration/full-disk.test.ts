/**
 * A full disk halts, never crashes (a small tmpfs as DATA_DIR, filled under a running daemon):
 * the gates go HALTED within a second, the process stays up with /ready 503 naming the disk,
 * and once space returns the backlog drains, trading resumes, the journal is gap-free and a
 * replay of it finds no divergence. Mounting a tmpfs needs root, as `make test` runs here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetTradingState } from '../../src/model/index.js';
import { replayJournal, startDaemon, started, until, type Daemon } from '../helpers/daemon.js';
import { contiguousFromOne, readLmdbJournal } from '../helpers/system.js';

interface Ready {
  ready: boolean;
  checks: { name: string; ok: boolean; problem?: string; freeBytes?: number }[];
}

let mount: string;

beforeAll(() => {
  mount = mkdtempSync(join(tmpdir(), 'ap-full-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mount]);
});

afterAll(() => {
  spawnSync('umount', ['-l', mount]);
  rmSync(mount, { recursive: true, force: true });
});

/** Fills the file system under `dir` until it is full; returns the filler's path. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(1 << 20, 7);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  // The last partial pages too.
  const small = openSync(path, 'a');
  try {
    for (;;) writeSync(small, Buffer.alloc(4096, 7));
  } catch {
    // full
  } finally {
    closeSync(small);
  }
  return path;
}

async function ready(d: Daemon): Promise<Ready & { status: number }> {
  const { status, body } = await d.get('/ready');
  return { status, ...(body as Ready) };
}

describe('a full disk under a running daemon', () => {
  it('halts the gates within a second, stays up, and resumes gap-free once space returns', async () => {
    const dataDir = join(mount, 'data');
    let d: Daemon | undefined;
    try {
      d = await startDaemon(
        {
          FEED__SEED: '21',
          FEED__TICKS_PER_SECOND: '2000',
          FEED__BATCH_MS: '20',
          SNAPSHOT__EVERY_RECORDS: '0',
          SNAPSHOT__EVERY_SECONDS: '0',
          JOURNAL__MIN_FREE_BYTES: '1048576',
        },
        { dataDir },
      );
      const daemon = d;
      await started(daemon);
      await until(
        async () => ((await ready(daemon)).status === 200 ? true : undefined),
        20_000,
        'the daemon ready',
      );

      const filler = fill(mount);
      const filledAt = performance.now();
      const halted = await until(
        async () => {
          const r = await ready(daemon);
          const brokers = r.checks.find((c) => c.name === 'brokers');
          return r.status === 503 && brokers?.problem?.includes('paper is HALTED') ? r : undefined;
        },
        5_000,
        'the gates HALTED',
      );
      expect(performance.now() - filledAt).toBeLessThan(1_000);
      const disk = halted.checks.find((c) => c.name === 'disk')!;
      expect(disk.ok).toBe(false);
      expect(disk.problem).toContain(`DATA_DIR ${dataDir}`);
      expect(halted.checks.find((c) => c.name === 'journal')!.problem).toMatch(/cannot be written/);
      // It stays up through several failed writes (the bridge retries with backoff).
      await new Promise((r) => setTimeout(r, 1_500));
      expect(daemon.child.exitCode).toBeNull();
      expect((await ready(daemon)).status).toBe(503);

      rmSync(filler);
      await until(
        async () => ((await ready(daemon)).status === 200 ? true : undefined),
        30_000,
        'trading resumed once space returned',
      );
      daemon.child.kill('SIGTERM');
      expect((await daemon.exited).code).toBe(0);

      const journal = await readLmdbJournal(dataDir);
      expect(contiguousFromOne(journal)).toBe(true);
      const states = journal
        .filter((r) => r.type === 'SetTradingState')
        .map((r) => r.data as SetTradingState);
      expect(states.map((s) => [s.state, s.authority])).toEqual([
        ['HALTED', 'journal'],
        ['ACTIVE', 'journal'],
      ]);
      expect(states[0]!.reason).toMatch(/^journal-unwritable: /);

      const r = replayJournal(dataDir);
      expect(r.stderr).toBe('');
      const replay = r.result;
      expect(replay.divergences).toBe(0);
      expect(replay.records).toBe(journal.length);
    } finally {
      d?.remove();
    }
  }, 120_000);
});
