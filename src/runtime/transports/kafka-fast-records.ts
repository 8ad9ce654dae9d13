/**
 * Faster drop-ins for two of kafkajs 2.2's producer internals, installed before kafkajs loads
 * (the Kafka writer thread installs them first, then imports kafkajs):
 *
 *   protocol/requests/produce/v3/request   the Produce request (v4 to v7 reuse it): see
 *                                          kafka-produce-request.ts; its records are written
 *                                          here, each straight into its batch's buffer.
 *   producer/groupMessagesPerPartition     a send's messages by partition: kafkajs copies a
 *                                          partition's list for every message added (quadratic).
 *
 * They produce what kafkajs's own produce (kafka-fast-records.test.ts compares the bytes),
 * which reads them through `require`, so they are put in the CommonJS module cache under those
 * modules' file names. Installing is refused (returns false) once kafkajs's producer is
 * loaded: it holds on to the originals.
 */
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import { produceRequestV3 } from './kafka-produce-request.js';

/** A value kafkajs accepts for a key, a value or a header value. */
type Bytes = Buffer | string | null | undefined;

export interface RecordInput {
  readonly offsetDelta?: number;
  readonly timestampDelta?: number | { toString(): string };
  readonly key?: Bytes;
  readonly value?: Bytes;
  readonly headers?: Record<string, Bytes | Bytes[]>;
}

/** What kafkajs's record batch reads from an encoded record: its bytes, as `buf` and `buffer`. */
export interface EncodedRecord {
  readonly buf: Buffer;
  readonly buffer: Buffer;
}

/** Bytes of a zigzag varint of the safe integer `n`. */
function sizeOfVarLong(n: number): number {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  let bytes = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    bytes++;
  }
  return bytes;
}

function writeVarLong(buf: Buffer, at: number, n: number): number {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  while (z >= 128) {
    buf[at++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  buf[at++] = z;
  return at;
}

const byteLength = (b: Bytes): number =>
  b === null || b === undefined ? -1 : Buffer.isBuffer(b) ? b.length : Buffer.byteLength(String(b));

/** Writes `b` as varint length then bytes (length -1 for null). */
function writeBytes(buf: Buffer, at: number, b: Bytes, len: number): number {
  at = writeVarLong(buf, at, len);
  if (len <= 0) return at;
  if (Buffer.isBuffer(b)) {
    b.copy(buf, at);
    return at + len;
  }
  return at + buf.write(String(b), at, len, 'utf8');
}

/** A record's sizes, computed once for sizing and writing. */
interface Sized {
  readonly r: RecordInput;
  readonly ts: number;
  readonly offsetDelta: number;
  readonly keyLen: number;
  readonly valueLen: number;
  /** Header key and value lengths, in order, flattened. */
  readonly headerLens: number[];
  readonly headerCount: number;
  /** The record's body length (after its own length varint). */
  readonly body: number;
}

function sized(r: RecordInput): Sized {
  const ts =
    typeof r.timestampDelta === 'number' ? r.timestampDelta : Number(r.timestampDelta ?? 0);
  const offsetDelta = r.offsetDelta ?? 0;
  const keyLen = byteLength(r.key);
  const valueLen = byteLength(r.value);
  const headerLens: number[] = [];
  let headerCount = 0;
  let headerBytes = 0;
  const headers = r.headers ?? {};
  for (const k in headers) {
    const v = headers[k];
    const kl = Buffer.byteLength(k);
    if (Array.isArray(v)) {
      for (const x of v) {
        const vl = byteLength(x);
        headerLens.push(kl, vl);
        headerCount++;
        headerBytes += sizeOfVarLong(kl) + kl + sizeOfVarLong(vl) + Math.max(0, vl);
      }
    } else {
      const vl = byteLength(v);
      headerLens.push(kl, vl);
      headerCount++;
      headerBytes += sizeOfVarLong(kl) + kl + sizeOfVarLong(vl) + Math.max(0, vl);
    }
  }
  const body =
    1 +
    sizeOfVarLong(ts) +
    sizeOfVarLong(offsetDelta) +
    sizeOfVarLong(keyLen) +
    Math.max(0, keyLen) +
    sizeOfVarLong(valueLen) +
    Math.max(0, valueLen) +
    sizeOfVarLong(headerCount) +
    headerBytes;
  return { r, ts, offsetDelta, keyLen, valueLen, headerLens, headerCount, body };
}

/** Bytes of the record, its length varint included. */
function sizeOf(s: Sized): number {
  return sizeOfVarLong(s.body) + s.body;
}

/** Writes the record at `at`; returns the offset after it. */
function writeSized(buf: Buffer, at: number, s: Sized): number {
  at = writeVarLong(buf, at, s.body);
  buf[at++] = 0;
  at = writeVarLong(buf, at, s.ts);
  at = writeVarLong(buf, at, s.offsetDelta);
  at = writeBytes(buf, at, s.r.key, s.keyLen);
  at = writeBytes(buf, at, s.r.value, s.valueLen);
  at = writeVarLong(buf, at, s.headerCount);
  const headers = s.r.headers ?? {};
  let i = 0;
  for (const k in headers) {
    const v = headers[k];
    for (const x of Array.isArray(v) ? v : [v]) {
      at = writeBytes(buf, at, k, s.headerLens[i++]!);
      at = writeBytes(buf, at, x, s.headerLens[i++]!);
    }
  }
  return at;
}

/**
 * One record of a record batch (Kafka's Record v0 within RecordBatch v2): length, attributes,
 * timestamp delta, offset delta, key, value, headers; exactly the bytes kafkajs 2.2 writes.
 */
export function encodeRecord(r: RecordInput): EncodedRecord {
  const s = sized(r);
  const buf = Buffer.allocUnsafe(sizeOf(s));
  writeSized(buf, 0, s);
  return { buf, buffer: buf };
}

/** Several records, one after another, in one buffer of the exact size. */
export function encodeRecords(records: readonly RecordInput[]): Buffer {
  const all = records.map(sized);
  let n = 0;
  for (const s of all) n += sizeOf(s);
  const buf = Buffer.allocUnsafe(n);
  let at = 0;
  for (const s of all) at = writeSized(buf, at, s);
  return buf;
}

/** kafkajs's producer/groupMessagesPerPartition, in linear time: the same result. */
export function groupMessagesPerPartition<M>(args: {
  topic: string;
  partitionMetadata: readonly unknown[];
  messages: readonly M[];
  partitioner: (a: { topic: string; partitionMetadata: readonly unknown[]; message: M }) => number;
}): Record<number, M[]> {
  const out: Record<number, M[]> = {};
  if (args.partitionMetadata.length === 0) return out;
  for (const message of args.messages) {
    const p = args.partitioner({
      topic: args.topic,
      partitionMetadata: args.partitionMetadata,
      message,
    });
    const list = out[p];
    if (list) list.push(message);
    else out[p] = [message];
  }
  return out;
}

const require = createRequire(import.meta.url);

/** The kafkajs release whose internals these replace (byte-compared in the tests). */
export const FAST_KAFKAJS_VERSION = '2.2.4';

/** Whether the installed kafkajs is the release the drop-ins were written against. */
export function kafkajsMatches(): boolean {
  return (require('kafkajs/package.json') as { version: string }).version === FAST_KAFKAJS_VERSION;
}

/** The kafkajs installed, and the file names of its modules replaced. */
function targets(): { root: string; produce: string; group: string } {
  const root = dirname(require.resolve('kafkajs/package.json'));
  return {
    root,
    produce: join(root, 'src', 'protocol', 'requests', 'produce', 'v3', 'request.js'),
    group: join(root, 'src', 'producer', 'groupMessagesPerPartition.js'),
  };
}

function put(filename: string, exports: unknown): void {
  const m = new Module(filename);
  m.filename = filename;
  m.exports = exports;
  m.loaded = true;
  require.cache[filename] = m;
}

/**
 * Puts the faster Produce request (kafka-produce-request.ts) and message grouping in place of
 * kafkajs's. Returns false, changing nothing, when kafkajs's producer is loaded already (too
 * late to replace them), or when the installed kafkajs is not FAST_KAFKAJS_VERSION.
 */
export function installFastRecords(): boolean {
  // Another kafkajs keeps its own internals: slower, never wrong.
  if (!kafkajsMatches()) return false;
  const t = targets();
  const loaded = require.cache[t.produce] ?? require.cache[t.group];
  if (loaded !== undefined) return (loaded.exports as { fast?: boolean }).fast === true;
  const produce = Object.assign(produceRequestV3(t.root), { fast: true });
  const group = Object.assign(groupMessagesPerPartition, { fast: true });
  put(t.produce, produce);
  put(t.group, group);
  return true;
}
