/**
 * A damaged LMDB journal is refused at open with JournalDamaged naming the first bad seq, and
 * nothing in it is deleted: a changed byte, a changed record count, a changed tick price, a
 * batch removed from the middle, a damaged header page, a damaged B-tree page.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalDamaged } from '../../src/runtime/errors.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import {
  firstBatchSizeOffset,
  firstTickPriceAt,
  overwriteDataFile,
  removeBatch,
  rewriteBatch,
  storedState,
  writeJournal,
} from '../helpers/lmdb-damage.js';
import { ROOT, tempDir } from '../helpers/system.js';

/** Batches of 100 records: keys 1, 101, 201, ... 901. */
const SIZES = Array.from({ length: 10 }, () => 100);

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

async function journalDir(): Promise<string> {
  const d = tempDir('ap-damage-');
  dirs.push(d);
  const dir = join(d.path, 'journal');
  await writeJournal(dir, SIZES);
  return dir;
}

/** Opens `dir` expecting a refusal; returns the JournalDamaged. */
async function refusal(dir: string): Promise<JournalDamaged> {
  const t = new LmdbTransport(dir);
  const err = await t.open({ nonce: 1, createdMs: 1 }).then(
    () => null,
    (e: unknown) => e,
  );
  await t.close();
  expect(err).toBeInstanceOf(JournalDamaged);
  return err as JournalDamaged;
}

describe('opening a damaged LMDB journal', () => {
  it('refuses a batch with one changed byte, naming its first seq, and deletes nothing', async () => {
    const dir = await journalDir();
    await rewriteBatch(dir, 401, (b) => (b[b.byteLength - 3]! ^= 0x20));
    const before = await storedState(dir);
    const err = await refusal(dir);
    expect(err.firstBadSeq).toBe(401);
    expect(err.problem).toMatch(/^checksum mismatch/);
    expect(err.message).toContain('journal repair --truncate-after 400');
    expect(await storedState(dir)).toEqual(before);
    expect([...before.batches.keys()]).toEqual([1, 101, 201, 301, 401, 501, 601, 701, 801, 901]);
  });

  it('refuses a batch whose record count was changed', async () => {
    const dir = await journalDir();
    await rewriteBatch(dir, 301, (b) => b.writeUInt32LE(b.readUInt32LE(16) + 1, 16));
    const before = await storedState(dir);
    const err = await refusal(dir);
    expect(err.firstBadSeq).toBe(301);
    expect(err.problem).toMatch(/^checksum mismatch/);
    expect(await storedState(dir)).toEqual(before);
    expect(before.batches.size).toBe(10);
  });

  it("refuses a batch in which a tick's price was changed", async () => {
    const dir = await journalDir();
    await rewriteBatch(dir, 701, (b) => {
      const at = firstTickPriceAt(b);
      b.writeInt32LE(b.readInt32LE(at) + 5, at);
    });
    const before = await storedState(dir);
    expect((await refusal(dir)).firstBadSeq).toBe(701);
    expect(await storedState(dir)).toEqual(before);
  });

  it('refuses a journal with a batch removed from the middle, naming the missing range', async () => {
    const dir = await journalDir();
    await removeBatch(dir, 501);
    const before = await storedState(dir);
    const err = await refusal(dir);
    expect(err.firstBadSeq).toBe(501);
    expect(err.problem).toBe('seqs 501..600 are missing: no stored batch holds them');
    expect(await storedState(dir)).toEqual(before);
    expect(before.batches.size).toBe(9);
  });

  it('refuses a damaged header page before LMDB maps it, and changes nothing', async () => {
    const dir = await journalDir();
    const before = await storedState(dir);
    // Page 0's meta: the page size, which LMDB would use to find and map every other page.
    const old = overwriteDataFile(dir, 24 + 24, Buffer.from([0x77, 0x77, 0x77, 0x07]));
    const err = await refusal(dir);
    expect(err.firstBadSeq).toBe(1);
    expect(err.problem).toMatch(
      /data\.mdb is damaged: meta page 0: page size \d+ is not a power of two/,
    );
    overwriteDataFile(dir, 24 + 24, old);
    expect(await storedState(dir)).toEqual(before);
  });

  it('refuses a damaged B-tree page that kills the process reading it, and lives on', async () => {
    const dir = await journalDir();
    const before = await storedState(dir);
    // The first batch's size, far past the end of the file: LMDB hands it out and the reader
    // copying it dies by a signal.
    const at = firstBatchSizeOffset(dir);
    const old = overwriteDataFile(dir, at, Buffer.from([0xff, 0xff, 0xff, 0x3f]));
    const err = await refusal(dir);
    expect(err.firstBadSeq).toBe(1);
    expect(err.problem).toMatch(
      /the LMDB file's pages are damaged: reading it ended with SIG[A-Z]+ after seq 0/,
    );
    overwriteDataFile(dir, at, old);
    expect(await storedState(dir)).toEqual(before);
  });

  it("refuses an earlier build's journal (batch format v2), saying what to do", async () => {
    const dir = await journalDir();
    for (const key of [1, 101]) await rewriteBatch(dir, key, (b) => (b[2] = 2));
    const t = new LmdbTransport(dir);
    await expect(t.open({ nonce: 1, createdMs: 1 })).rejects.toMatchObject({
      code: 'JOURNAL_FORMAT_EARLIER',
      message: expect.stringMatching(/written by an earlier build .* Move that directory aside/),
    });
    await t.close();
  });

  it('opens an intact journal whether or not its writer closed it cleanly', async () => {
    const dir = await journalDir();
    const t = new LmdbTransport(dir);
    expect(await t.open({ nonce: 1, createdMs: 1 })).toMatchObject({ lastSeq: 1000, epoch: 0 });
    await t.close();
    // Any change to the data file after its writer closed it means a check in a child first.
    await rewriteBatch(dir, 1, () => undefined);
    const again = new LmdbTransport(dir);
    expect(await again.open({ nonce: 1, createdMs: 1 })).toMatchObject({ lastSeq: 1000 });
    await again.close();
  });

  it('refuses to read a batch damaged after the journal was opened', async () => {
    const dir = await journalDir();
    const t = new LmdbTransport(dir, { readOnly: true });
    await t.open({ nonce: 1, createdMs: 1 });
    try {
      // Another process changes a byte (this one has the environment open read-only).
      const script = join(dir, '..', 'damage.mts');
      writeFileSync(
        script,
        `import { rewriteBatch } from ${JSON.stringify(join(ROOT, 'test/helpers/lmdb-damage.ts'))};\n` +
          `await rewriteBatch(${JSON.stringify(dir)}, 201, (b) => (b[40]! ^= 1));\n`,
      );
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT });
      expect(child.status).toBe(0);
      const read = async () => {
        for await (const r of t.read(1)) void r;
      };
      await expect(read()).rejects.toMatchObject({ name: 'JournalDamaged', firstBadSeq: 201 });
    } finally {
      await t.close();
    }
  });
});
