/**
 * Test helpers that build an LMDB journal through the real transport and then damage it the way
 * a disk or a careless tool would: through its LMDB databases directly, past LmdbTransport's
 * checks (one value rewritten or removed), or by overwriting bytes of data.mdb.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalRecord } from '../../src/model/index.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { openJournalDbs } from '../../src/runtime/transports/lmdb-env.js';
import { batchesOf, journalRecords } from './journal-records.js';

export const NONCE = 2 ** 33 + 4_242;

/** Writes a journal of batches of `sizes` records into `dir` and closes it; returns the records. */
export async function writeJournal(
  dir: string,
  sizes: readonly number[],
): Promise<JournalRecord[]> {
  const records = journalRecords(sizes.reduce((a, b) => a + b, 0));
  const t = new LmdbTransport(dir);
  await t.open({ nonce: NONCE, createdMs: 1_767_584_700_000 });
  for (const b of batchesOf(records, sizes, NONCE)) await t.append([b]);
  await t.close();
  return records;
}

/** Every stored batch, key -> SHA-256 of its bytes, and every index key. */
export async function storedState(
  dir: string,
): Promise<{ batches: Map<number, string>; index: string[] }> {
  const db = openJournalDbs(dir, true);
  const batches = new Map<number, string>();
  for (const { key, value } of db.batches.getRange({}))
    batches.set(key, createHash('sha256').update(value).digest('hex'));
  const index = [...db.index.getKeys({})].map((k) => JSON.stringify(k));
  await db.root.close();
  return { batches, index };
}

/** The stored bytes of the batch under `key`. */
export async function storedBatch(dir: string, key: number): Promise<Buffer> {
  const db = openJournalDbs(dir, true);
  const v = Buffer.from(db.batches.getBinary(key)!);
  await db.root.close();
  return v;
}

/** Rewrites the value stored under `key` after `change` has changed its bytes. */
export async function rewriteBatch(dir: string, key: number, change: (b: Buffer) => void) {
  const db = openJournalDbs(dir, false);
  const v = Buffer.from(db.batches.getBinary(key)!);
  change(v);
  await db.batches.put(key, v);
  await db.root.close();
}

/** Removes the value stored under `key` (and nothing else). */
export async function removeBatch(dir: string, key: number): Promise<void> {
  const db = openJournalDbs(dir, false);
  await db.batches.remove(key);
  await db.root.close();
}

/** The byte offset, in a batch, of the first tick record's last price (i32). */
export function firstTickPriceAt(batch: Buffer): number {
  let p = 20;
  for (let i = 0; i < batch.readUInt32LE(16); i++) {
    const kind = batch[p]!;
    if (kind === 1) return p + 25;
    p += 5 + batch.readUInt32LE(p + 1);
  }
  throw new Error('the batch holds no tick record');
}

/** Overwrites `bytes` at `offset` of data.mdb; returns what was there. */
export function overwriteDataFile(dir: string, offset: number, bytes: Buffer): Buffer {
  const fd = openSync(join(dir, 'data.mdb'), 'r+');
  try {
    const old = Buffer.alloc(bytes.byteLength);
    readSync(fd, old, 0, old.byteLength, offset);
    writeSync(fd, bytes, 0, bytes.byteLength, offset);
    return old;
  } finally {
    closeSync(fd);
  }
}

/**
 * The page number of the `batches` database's root page (a leaf for a small journal): from the
 * newer meta page, the main tree's root leaf, then the `batches` node's database record.
 * Page layout as in src/runtime/transports/lmdb-file.ts; node offsets count from the page header.
 */
export function batchesRootPage(dir: string): number {
  const file = readFileSync(join(dir, 'data.mdb'));
  const pageSize = file.readUInt32LE(24 + 24);
  const meta = [0, pageSize].map((at) => ({
    txnid: file.readBigUInt64LE(at + 24 + 128),
    mainRoot: Number(file.readBigUInt64LE(at + 24 + 72 + 40)),
  }));
  const { mainRoot } = meta[0]!.txnid > meta[1]!.txnid ? meta[0]! : meta[1]!;
  const page = mainRoot * pageSize;
  const keys = file.readUInt16LE(page + 20) >> 1;
  for (let i = 0; i < keys; i++) {
    const node = page + 24 + file.readUInt16LE(page + 24 + 2 * i);
    const keySize = file.readUInt16LE(node + 6);
    const name = file.subarray(node + 8, node + 8 + keySize).toString('latin1');
    if (name.replace(/\0$/, '') === 'batches')
      return Number(file.readBigUInt64LE(node + 8 + keySize + 40));
  }
  throw new Error('no batches database in the main tree');
}

/**
 * Where the first node of the `batches` root leaf keeps its value's size (lo and hi 16-bit
 * halves): the byte offset in data.mdb. A size far beyond the file makes any reader of that batch
 * copy memory the file does not back, and die by a signal.
 */
export function firstBatchSizeOffset(dir: string): number {
  const file = readFileSync(join(dir, 'data.mdb'));
  const pageSize = file.readUInt32LE(24 + 24);
  const page = batchesRootPage(dir) * pageSize;
  return page + 24 + file.readUInt16LE(page + 24);
}
