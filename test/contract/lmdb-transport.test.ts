/** Runs the LogTransport contract against LmdbTransport, in a fresh temp dir per test. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/model/index.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { encodedBatch, journalRecords } from '../helpers/journal-records.js';
import { logTransportContract } from './log-transport.case.js';

logTransportContract('LmdbTransport', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ap-lmdb-contract-'));
  const path = join(dir, 'journal');
  return {
    transport: new LmdbTransport(path),
    reopen: () => Promise.resolve(new LmdbTransport(path)),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

const ROOT = join(import.meta.dirname, '..', '..');
const url = (p: string) => pathToFileURL(join(ROOT, p)).href;

describe('LmdbTransport crash durability', () => {
  it('keeps a resolved append when the process is killed without closing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ap-lmdb-crash-'));
    try {
      const path = join(dir, 'journal');
      const script = join(dir, 'writer.mjs');
      // The child appends two batches, waits for each append to resolve, then SIGKILLs itself:
      // no close, no flush, no exit handlers.
      await writeFile(
        script,
        `
import { LmdbTransport } from ${JSON.stringify(url('src/runtime/transports/lmdb.ts'))};
import { encodedBatch, journalRecords } from ${JSON.stringify(url('test/helpers/journal-records.ts'))};
const t = new LmdbTransport(${JSON.stringify(path)});
await t.open({ nonce: 5, createdMs: 1000 });
const recs = journalRecords(40);
await t.append([encodedBatch(recs.slice(0, 25), 5)]);
await t.append([encodedBatch(recs.slice(25), 5)]);
process.kill(process.pid, 'SIGKILL');
`,
      );
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(child.stderr).not.toMatch(/Error/);
      expect(child.signal).toBe('SIGKILL');

      const t = new LmdbTransport(path);
      const meta = await t.open({ nonce: 9, createdMs: 9 });
      try {
        expect(meta).toEqual({ nonce: 5, createdMs: 1000, lastSeq: 40, epoch: 0 });
        const back: JournalRecord[] = [];
        for await (const r of t.read(1)) back.push(r);
        expect(back).toEqual(journalRecords(40));
      } finally {
        await t.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('LmdbTransport: opening after writes that landed out of order', () => {
  it('refuses a journal with a missing seq range, naming it, and deletes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ap-lmdb-gap-'));
    try {
      const recs = journalRecords(30);
      const t = new LmdbTransport(dir);
      await t.open({ nonce: 1, createdMs: 0 });
      await t.append([encodedBatch(recs.slice(0, 10), 1)]);
      await t.close();
      // A batch stored after a missing one (11..20 never landed, 21..30 did).
      const { open } = await import('lmdb');
      const root = open({ path: dir, maxDbs: 8 });
      const batches = root.openDB<Buffer, number>({ name: 'batches', encoding: 'binary' });
      const index = root.openDB<number, [string, number]>({
        name: 'topic-index',
        encoding: 'ordered-binary',
      });
      const late = encodedBatch(recs.slice(20, 30), 1);
      await batches.put(21, Buffer.from(late.bytes));
      for (const topic of late.topics) await index.put([topic, 21], 30);
      await root.close();

      const again = new LmdbTransport(dir);
      await expect(again.open({ nonce: 2, createdMs: 0 })).rejects.toMatchObject({
        name: 'JournalDamaged',
        code: 'JOURNAL_DAMAGED',
        firstBadSeq: 11,
        problem: 'seqs 11..20 are missing: no stored batch holds them',
      });
      // Nothing was removed: both stored batches and their index entries are still there.
      const check = open({ path: dir, maxDbs: 8, readOnly: true });
      const kept = check.openDB<Buffer, number>({ name: 'batches', encoding: 'binary' });
      expect([...kept.getKeys({})]).toEqual([1, 21]);
      const idx = check.openDB<number, [string, number]>({
        name: 'topic-index',
        encoding: 'ordered-binary',
      });
      expect([...idx.getKeys({})].filter((k) => k[1] === 21).length).toBe(late.topics.length);
      await check.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
