/**
 * The header of a stored journal batch, format v3, and the checks every reader makes on it.
 *
 *   header   "AP" 0x03 0x00 | u32 crc | f64 firstSeq | u32 count            (little-endian, 20 bytes)
 *   crc      CRC-32C of (the journal's nonce as f64) followed by bytes 8..end: the seq range, the
 *            count and every record, tied to the journal that wrote them
 *
 * A batch is taken as intact only when its magic, version and checksum hold, its first seq is
 * the one it is stored under, and its records fill its bytes exactly (codec.ts has their layout).
 */
import { checksum } from './checksum.js';

export const MAGIC0 = 0x41; // 'A'
export const MAGIC1 = 0x50; // 'P'
export const BATCH_FORMAT = 3;
/** Header bytes; records start here. */
export const HEADER = 20;
/** Where the checksummed part starts: the first seq, the count and the records. */
const SEALED_FROM = 8;
export const KIND_TICK = 1;
export const KIND_OTHER = 2;
/** A tick record's fixed part: kind, then its fields up to the depth level counts. */
export const TICK_FIXED = 87;
export const LEVEL_BYTES = 12;

/** The nonce as the 8 bytes that start every checksum of its journal's batches. */
export function nonceBytes(nonce: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, nonce, true);
  return b;
}

/** Writes the header of `bytes` (records already in place) and its checksum. */
export function sealBatch(bytes: Uint8Array, nonce: Uint8Array, firstSeq: number, count: number) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  v.setUint8(0, MAGIC0);
  v.setUint8(1, MAGIC1);
  v.setUint8(2, BATCH_FORMAT);
  v.setUint8(3, 0);
  v.setFloat64(8, firstSeq, true);
  v.setUint32(16, count, true);
  v.setUint32(4, checksum(nonce, bytes.subarray(SEALED_FROM)), true);
}

/** The first seq and record count a batch's header claims (trust them only after `batchProblem`). */
export function batchSpan(bytes: Uint8Array): { firstSeq: number; count: number } | null {
  if (bytes.byteLength < HEADER) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { firstSeq: v.getFloat64(8, true), count: v.getUint32(16, true) };
}

/** The format version a value says it is in, or null when it is not a journal batch at all. */
export function batchVersion(bytes: Uint8Array): number | null {
  if (bytes.byteLength < 4 || bytes[0] !== MAGIC0 || bytes[1] !== MAGIC1) return null;
  return bytes[2]!;
}

/**
 * What is wrong with the magic, version, checksum and first seq of a stored batch, or null.
 * `storedAt` is the key it is stored under, when there is one. Does not walk the records.
 */
export function headerProblem(bytes: Uint8Array, nonce: Uint8Array, storedAt?: number) {
  const version = batchVersion(bytes);
  if (version === null) return 'not a journal batch (no "AP" header)';
  if (version === 2)
    return 'batch format v2, written by an earlier build (this build reads format v3 only)';
  if (version !== BATCH_FORMAT)
    return `batch format v${version}, unknown to this build (it reads v3)`;
  if (bytes.byteLength < HEADER)
    return `truncated: ${bytes.byteLength} bytes, shorter than the ${HEADER}-byte header`;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = v.getUint32(4, true);
  const actual = checksum(nonce, bytes.subarray(SEALED_FROM));
  if (stored !== actual)
    return `checksum mismatch (stored 0x${hex(stored)}, computed 0x${hex(actual)}): its bytes, seq range or journal differ from what was written`;
  const first = v.getFloat64(8, true);
  if (!Number.isSafeInteger(first) || first < 1) return `its first seq ${first} is not a seq`;
  if (storedAt !== undefined && first !== storedAt)
    return `it says it starts at seq ${first} but is stored under seq ${storedAt}`;
  if (v.getUint32(16, true) === 0) return 'it holds no records';
  return null;
}

/** `headerProblem`, then whether the records fill the bytes exactly as the header counts them. */
export function batchProblem(bytes: Uint8Array, nonce: Uint8Array, storedAt?: number) {
  const problem = headerProblem(bytes, nonce, storedAt);
  if (problem !== null) return problem;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getUint32(16, true);
  let p = HEADER;
  for (let i = 0; i < count; i++) {
    if (p + 5 > bytes.byteLength)
      return `its header counts ${count} records but its bytes end after ${i}`;
    const kind = v.getUint8(p);
    if (kind === KIND_TICK) {
      if (p + TICK_FIXED > bytes.byteLength)
        return `its header counts ${count} records but its bytes end inside record ${i}`;
      p += TICK_FIXED + (v.getUint8(p + 85) + v.getUint8(p + 86)) * LEVEL_BYTES;
    } else if (kind === KIND_OTHER) p += 5 + v.getUint32(p + 1, true);
    else return `record ${i} has kind ${kind}`;
  }
  if (p !== bytes.byteLength)
    return p > bytes.byteLength
      ? `its header counts ${count} records but its bytes end inside the last one`
      : `its ${count} records end at byte ${p} of ${bytes.byteLength}`;
  return null;
}

const hex = (n: number) => n.toString(16).padStart(8, '0');
