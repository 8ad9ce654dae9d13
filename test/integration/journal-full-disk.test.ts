/**
 * The LMDB journal on a real full disk (a 4 MiB tmpfs; needs root to mount): appends are
 * rejected with a retriable JournalError naming the directory and the OS error, nothing is left
 * unhandled, the journal reopens on the full disk, and once space is freed the bridge's retries
 * land and the journal is gap-free. The LMDB snapshot store fails the same way, without crashing.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/model/index.js';
import { Bridge } from '../../src/runtime/bridge.js';
import { JournalError, JournalUnusable } from '../../src/runtime/errors.js';
import { freeBytes } from '../../src/runtime/free-space.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { LmdbSnapshotStore } from '../../src/runtime/transports/lmdb-snapshots.js';
import { until } from '../helpers/daemon.js';
import { encodedBatch, journalRecords } from '../helpers/journal-records.js';
import { NONCE } from '../helpers/lmdb-damage.js';
import { tempDir } from '../helpers/system.js';

async function readAll(t: LmdbTransport): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of t.read(1)) out.push(r);
  return out;
}

/** Mounted file systems, unmounted after the file even if a test timed out mid-way. */
const mounted = new Set<string>();
afterAll(() => {
  for (const m of mounted) execFileSync('umount', [m]);
});

/**
 * Runs `body` with a fresh 4 MiB tmpfs and a list that collects unhandled rejections meanwhile;
 * unmounts it afterwards and expects that list to be empty.
 */
async function onSmallDisk(body: (disk: string) => Promise<void>): Promise<void> {
  const d = tempDir('ap-full-disk-');
  const disk = join(d.path, 'disk');
  mkdirSync(disk);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', disk]);
  mounted.add(disk);
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => unhandled.push(err);
  process.on('unhandledRejection', onUnhandled);
  try {
    await body(disk);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    execFileSync('umount', [disk]);
    mounted.delete(disk);
    d.remove();
  }
  expect(unhandled).toEqual([]);
}

/** Fills the file system of `disk` to the last byte (a file `filler` holds it). */
function fill(disk: string): void {
  const fd = openSync(join(disk, 'filler'), 'w');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) if (writeSync(fd, chunk) === 0) break;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

describe('LmdbTransport on a full disk', () => {
  it('rejects appends without crashing, reopens, and recovers when space is freed', () =>
    onSmallDisk(async (disk) => {
      // Room to free later.
      const filler = join(disk, 'filler');
      writeFileSync(filler, Buffer.alloc(1536 * 1024));
      const dir = join(disk, 'journal');
      const records = journalRecords(60_000);
      const t = new LmdbTransport(dir);
      await t.open({ nonce: NONCE, createdMs: 1 });
      let failure: unknown = null;
      for (let from = 0; from < records.length && failure === null; from += 1000) {
        await t.append([encodedBatch(records.slice(from, from + 1000), NONCE)]).catch((err) => {
          failure = err;
        });
      }
      const stored = t.lastSeq();
      expect(stored).toBeGreaterThan(0);
      expect(failure).toBeInstanceOf(JournalError);
      expect(failure).toMatchObject({ code: 'JOURNAL_WRITE_FAILED', retriable: true });
      const message = (failure as Error).message;
      expect(message).toContain(
        `cannot write seqs ${stored + 1}..${stored + 1000} to the journal at ${dir}: `,
      );
      expect(message).toMatch(/: (ENOSPC|EIO) \(/);
      expect(await freeBytes(disk)).toBeLessThan(64 * 1024);
      await t.close();

      // Reopening on the full disk works; its appends fail the same way.
      const again = new LmdbTransport(dir);
      expect(await again.open({ nonce: 1, createdMs: 1 })).toMatchObject({ lastSeq: stored });
      const errors: unknown[] = [];
      const bridge = new Bridge(again, NONCE, {
        batchRecords: 1000,
        onWriteError: (err) => errors.push(err),
      });
      for (const r of records.slice(stored, stored + 3000)) bridge.append(r);
      const flushed = bridge.flush();
      await until(async () => (errors.length >= 2 ? true : undefined), 20_000, 'writes to fail');
      expect(errors.every((e) => e instanceof JournalError && e.retriable)).toBe(true);
      expect(bridge.durableSeq).toBe(stored);

      // Space returns: the bridge's next retry lands, and the journal has no gap.
      rmSync(filler);
      await flushed;
      expect(bridge.durableSeq).toBe(stored + 3000);
      expect(again.lastSeq()).toBe(stored + 3000);
      expect(await readAll(again)).toEqual(records.slice(0, stored + 3000));
      bridge.stop();
      await again.close();
    }));

  it('fails a snapshot save with a retriable error, and saves once space is freed', () =>
    onSmallDisk(async (disk) => {
      const filler = join(disk, 'filler');
      writeFileSync(filler, Buffer.alloc(3 * 1024 * 1024));
      const dir = join(disk, 'snapshots');
      const store = new LmdbSnapshotStore(dir);
      const text = 'x'.repeat(1536 * 1024);
      await expect(store.save('journal-1', text)).rejects.toMatchObject({
        name: 'JournalError',
        code: 'SNAPSHOT_WRITE_FAILED',
        retriable: true,
        message: expect.stringMatching(
          new RegExp(`^cannot save a snapshot in ${dir}: (ENOSPC|EIO) \\(`),
        ),
      });
      rmSync(filler);
      await store.save('journal-1', text);
      await store.close();
    }));

  it('creates nothing it has no room for: a clear error for a new journal, not a crash', () =>
    onSmallDisk(async (disk) => {
      fill(disk);
      const dir = join(disk, 'journal');
      const t = new LmdbTransport(dir);
      const err = await t.open({ nonce: NONCE, createdMs: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JournalUnusable);
      expect(err).toMatchObject({
        code: 'JOURNAL_OPEN_FAILED',
        message: expect.stringMatching(
          new RegExp(`^cannot create the lock file of the LMDB journal at ${dir}: ENOSPC \\(`),
        ),
      });

      // A snapshot store that was never written has no snapshot, and is not created to say so.
      const snapshots = new LmdbSnapshotStore(join(disk, 'snapshots'));
      expect(await snapshots.latest('journal-1')).toBeNull();
      expect(existsSync(join(disk, 'snapshots'))).toBe(false);
      await expect(snapshots.save('journal-1', 'x')).rejects.toMatchObject({
        code: 'SNAPSHOT_WRITE_FAILED',
        retriable: true,
        message: expect.stringContaining('cannot create the lock file of the LMDB snapshot store'),
      });
      await snapshots.close();
    }));
});
