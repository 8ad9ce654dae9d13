/**
 * A drop-in for kafkajs 2.2's record decoder (protocol/recordBatch/record/v0/decoder.js),
 * installed in the reading process before its first fetch: kafkajs computes every record's
 * offset and timestamp in 64-bit `Long` objects and builds its headers object by copying it once
 * per header; this does the same arithmetic on numbers when they are exact (offsets and
 * millisecond times below 2^53, always in practice; BigInt otherwise). The records are
 * kafkajs's (kafka-fast-decode.test.ts compares them).
 *
 *   Record => length:varint attributes:int8 timestampDelta:varlong offsetDelta:varint
 *     key:varint-bytes value:varint-bytes headers:[key:varint-string value:varint-bytes]
 */
import { createRequire, Module } from 'node:module';
import { kafkajsMatches } from './kafka-fast-records.js';
import { dirname, join } from 'node:path';

/** The parts of kafkajs's Decoder that a record is read with. */
interface Decoder {
  buffer: Buffer;
  offset: number;
}

interface BatchContext {
  readonly firstOffset: string;
  readonly firstTimestamp: string;
  readonly magicByte?: number;
  readonly isControlBatch?: boolean;
  readonly timestampType?: number;
  readonly maxTimestamp?: string;
}

const LOG_APPEND_TIME = 1;

/** Reads a zigzag varint (up to 64 bits) as a number; exact below 2^53. */
function readVarLong(d: Decoder): number {
  const buf = d.buffer;
  let at = d.offset;
  let z = 0;
  let scale = 1;
  let byte: number;
  do {
    byte = buf[at++]!;
    z += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte >= 0x80);
  d.offset = at;
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

function readBytes(d: Decoder): Buffer | null {
  const n = readVarLong(d);
  if (n === -1) return null;
  const b = d.buffer.subarray(d.offset, d.offset + n);
  d.offset += n;
  return b;
}

/** `base` (a decimal string) plus `delta`, as a decimal string. */
function add(base: string, delta: number): string {
  const b = Number(base);
  const sum = b + delta;
  return Number.isSafeInteger(b) && Number.isSafeInteger(sum)
    ? String(sum)
    : (BigInt(base) + BigInt(delta)).toString();
}

/** One record of a fetched batch, as kafkajs's record decoder returns it. */
export function decodeRecord(decoder: Decoder, batchContext: BatchContext = {} as BatchContext) {
  const { firstOffset, firstTimestamp, magicByte, timestampType, maxTimestamp } = batchContext;
  const isControlBatch = batchContext.isControlBatch ?? false;
  const attributes = decoder.buffer.readInt8(decoder.offset++);
  const timestampDelta = readVarLong(decoder);
  const timestamp =
    timestampType === LOG_APPEND_TIME && maxTimestamp
      ? maxTimestamp
      : add(String(firstTimestamp), timestampDelta);
  const offset = add(String(firstOffset), readVarLong(decoder));
  const key = readBytes(decoder);
  const value = readBytes(decoder);
  const count = readVarLong(decoder);
  const headers: Record<string, Buffer | null | (Buffer | null)[]> = {};
  for (let i = 0; i < count; i++) {
    const k = readBytes(decoder);
    const name = k === null ? 'null' : k.toString('utf8');
    const v = readBytes(decoder);
    const had = headers[name];
    if (had === undefined) headers[name] = v;
    else if (Array.isArray(had)) had.push(v);
    else headers[name] = [had, v];
  }
  return {
    magicByte,
    attributes,
    timestamp,
    offset,
    key,
    value,
    headers,
    isControlRecord: isControlBatch,
    batchContext,
  };
}

const require = createRequire(import.meta.url);

/**
 * Puts the faster record decoder in place of kafkajs's. Returns false, changing nothing, when
 * kafkajs's record batch decoder is loaded already (a fetch was decoded: too late), or when the
 * installed kafkajs is not the release it was written against.
 */
export function installFastDecoding(): boolean {
  if (!kafkajsMatches()) return false;
  const root = dirname(require.resolve('kafkajs/package.json'));
  const batch = join(root, 'src', 'protocol', 'recordBatch');
  const target = join(batch, 'record', 'v0', 'decoder.js');
  const loaded = require.cache[target] ?? require.cache[join(batch, 'v0', 'decoder.js')];
  if (loaded !== undefined) return loaded.exports === decodeRecord;
  const m = new Module(target);
  m.filename = target;
  m.exports = decodeRecord;
  m.loaded = true;
  require.cache[target] = m;
  return true;
}
