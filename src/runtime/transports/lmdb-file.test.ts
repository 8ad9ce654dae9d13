import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/system.js';
import { writeJournal } from '../../../test/helpers/lmdb-damage.js';
import { metaProblem } from './lmdb-file.js';

let file: Buffer;
let dir: { path: string; remove: () => void };
beforeAll(async () => {
  dir = tempDir('ap-lmdb-file-');
  await writeJournal(join(dir.path, 'journal'), [50, 50, 50]);
  file = readFileSync(join(dir.path, 'journal', 'data.mdb'));
});
afterAll(() => dir.remove());

/** The problem found in the file with `change` applied to a copy of its first two pages. */
function problemAfter(change: (head: Buffer) => void, size = file.byteLength): string | null {
  const head = Buffer.from(file.subarray(0, 2 * 4096));
  change(head);
  return metaProblem(head, size);
}

// Offsets: page header 24 bytes, then the meta: magic +0, version +4, free db +24 (page size
// +0, root +40), main db +72 (root +40), last page +120. Page 1 starts at 4096.
const META = 24;

describe('metaProblem', () => {
  it('finds nothing wrong with a journal LMDB wrote, nor with an empty file', () => {
    expect(problemAfter(() => undefined)).toBeNull();
    expect(metaProblem(Buffer.alloc(0), 0)).toBeNull();
  });

  it('names a damaged magic, version or meta flag', () => {
    expect(problemAfter((h) => h.writeUInt32LE(0x12345678, META))).toBe(
      "meta page 0: magic 0x12345678 is not LMDB's 0xbeefc0de",
    );
    expect(problemAfter((h) => h.writeUInt32LE(7, 4096 + META + 4))).toBe(
      'meta page 1: data format version 7, not 2',
    );
    expect(problemAfter((h) => h.writeUInt16LE(0x02, 18))).toMatch(
      /^meta page 0: not marked as a meta page/,
    );
  });

  it('names a page size LMDB would map the file with wrongly', () => {
    expect(problemAfter((h) => h.writeUInt32LE(4097, META + 24))).toBe(
      'meta page 0: page size 4097 is not a power of two in 512..65536',
    );
    expect(problemAfter((h) => h.writeUInt32LE(8192, 4096 + META + 24))).toBe(
      'meta page 1: page size 8192, but page 0 says 4096',
    );
  });

  it('names page numbers outside the file', () => {
    const pages = file.byteLength / 4096;
    expect(problemAfter((h) => h.writeBigUInt64LE(BigInt(pages + 3), META + 120))).toBe(
      `meta page 0: its last page ${pages + 3} is not within the file's ${pages} pages`,
    );
    expect(problemAfter((h) => h.writeBigUInt64LE(9_999n, 4096 + META + 72 + 40))).toMatch(
      /^meta page 1: the main tree's root page 9999 is not within pages 2\.\.\d+$/,
    );
    expect(problemAfter(() => undefined, 4096 * 3)).toMatch(
      /its last page \d+ is not within the file's 3 pages/,
    );
    expect(problemAfter(() => undefined, 100)).toBe(
      'it is 100 bytes long, too short for its two meta pages',
    );
  });
});
