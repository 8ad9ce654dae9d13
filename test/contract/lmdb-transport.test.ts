/** Runs the LogTransport contract against LmdbTransport, in a fresh temp dir per test. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/model/index.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { journalRecords } from '../helpers/journal-records.js';
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
await t.append([encodedBatch(recs.slice(0, 25))]);
await t.append([encodedBatch(recs.slice(25))]);
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
        expect(meta).toEqual({ nonce: 5, createdMs: 1000, lastSeq: 40 });
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
