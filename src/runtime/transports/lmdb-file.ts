/**
 * Checks an LMDB data file's meta pages in plain JS, before the lmdb binding maps it: LMDB
 * trusts them (their page size and page numbers become pointer arithmetic), so a damaged header
 * would crash the process with a signal instead of failing with an error.
 *
 * Layout (64-bit LMDB as built by the lmdb package): each page starts with a 24-byte header
 * (u64 pgno | u64 txnid | u16 pad | u16 flags | ...); a meta page (flag 0x08) holds after it
 *   u32 magic 0xBEEFC0DE | u32 version (low 16 bits 2) | u64 address | u64 mapsize
 *   | 2 × db (u32 pad (page size, in the first) | u16 flags | u16 depth | u64 branch | u64 leaf
 *            | u64 overflow | u64 entries | u64 root)
 *   | u64 last page | u64 txnid
 * Pages 0 and 1 are meta pages. (With lmdb's overlapping sync a third copy sits half a page into
 * page 0; the journal is opened without it, so LMDB does not read that copy and neither do we.)
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const PAGE_HEADER = 24;
const P_META = 0x08;
const MAGIC = 0xbeefc0de;
const DATA_VERSION = 2;
const NO_PAGE = 0xffffffffffffffffn;
const MAX_DEPTH = 64;

/** The fields of one meta copy that LMDB uses before it checks anything else. */
interface MetaCopy {
  readonly pageSize: number;
  readonly roots: readonly bigint[];
  readonly depths: readonly number[];
  readonly lastPage: bigint;
}

/** What is wrong with the LMDB data file `file` (a path to data.mdb), or null when its meta pages hold. */
export function lmdbFileProblem(file: string): string | null {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, 2 * 65536));
    readSync(fd, head, 0, head.byteLength, 0);
    return metaProblem(head, size);
  } finally {
    closeSync(fd);
  }
}

/** `head`: the first bytes of the file (two pages at least, when the file has them); `size`: its length. */
export function metaProblem(head: Buffer, size: number): string | null {
  // An empty file is one LMDB has not initialised yet: it writes both meta pages first.
  if (size === 0) return null;
  if (size < 2 * 512) return `it is ${size} bytes long, too short for its two meta pages`;
  const first = pageProblem(head, 0, 0);
  if (typeof first === 'string') return `meta page 0: ${first}`;
  const pageSize = first.pageSize;
  if (size < 2 * pageSize)
    return `it is ${size} bytes long, too short for two meta pages of ${pageSize} bytes`;
  if (size % pageSize !== 0)
    return `its length ${size} is not a whole number of ${pageSize}-byte pages`;
  const second = pageProblem(head, pageSize, 1);
  if (typeof second === 'string') return `meta page 1: ${second}`;
  const pages = BigInt(size / pageSize);
  const copies: readonly [string, MetaCopy][] = [
    ['meta page 0', first],
    ['meta page 1', second],
  ];
  for (const [name, m] of copies) {
    const p = copyProblem(m, pageSize, pages);
    if (p !== null) return `${name}: ${p}`;
  }
  return null;
}

function pageProblem(head: Buffer, at: number, pgno: number): MetaCopy | string {
  const flags = head.readUInt16LE(at + 18);
  if ((flags & P_META) === 0) return `not marked as a meta page (flags 0x${flags.toString(16)})`;
  const number = head.readBigUInt64LE(at);
  if (number !== BigInt(pgno)) return `it says it is page ${number}`;
  const magic = head.readUInt32LE(at + PAGE_HEADER);
  if (magic !== MAGIC) return `magic 0x${magic.toString(16)} is not LMDB's 0xbeefc0de`;
  const version = head.readUInt32LE(at + PAGE_HEADER + 4) & 0xffff;
  if (version !== DATA_VERSION) return `data format version ${version}, not ${DATA_VERSION}`;
  const m = readCopy(head, at + PAGE_HEADER);
  if (!isPageSize(m.pageSize)) return `page size ${m.pageSize} is not a power of two in 512..65536`;
  return m;
}

function readCopy(head: Buffer, meta: number): MetaCopy {
  const db = (i: number) => meta + 24 + i * 48;
  return {
    pageSize: head.readUInt32LE(db(0)),
    depths: [head.readUInt16LE(db(0) + 6), head.readUInt16LE(db(1) + 6)],
    roots: [head.readBigUInt64LE(db(0) + 40), head.readBigUInt64LE(db(1) + 40)],
    lastPage: head.readBigUInt64LE(meta + 120),
  };
}

function copyProblem(m: MetaCopy, pageSize: number, pages: bigint): string | null {
  if (m.pageSize !== pageSize) return `page size ${m.pageSize}, but page 0 says ${pageSize}`;
  if (m.lastPage < 1n || m.lastPage >= pages)
    return `its last page ${m.lastPage} is not within the file's ${pages} pages`;
  for (const [i, name] of ['free-space', 'main'].entries()) {
    const root = m.roots[i]!;
    if (root === NO_PAGE) continue;
    if (root < 2n || root > m.lastPage)
      return `the ${name} tree's root page ${root} is not within pages 2..${m.lastPage}`;
    if (m.depths[i]! < 1 || m.depths[i]! > MAX_DEPTH)
      return `the ${name} tree's depth ${m.depths[i]} is not within 1..${MAX_DEPTH}`;
  }
  return null;
}

const isPageSize = (n: number) => n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
