/**
 * Compression of the journal's record batches on Kafka. Consumers undo it themselves (`kcat`,
 * librdkafka, the Java client read every codec), so records stay the SPEC §1 envelope.
 *   none   as kafkajs writes by default
 *   gzip   built into kafkajs (zlib, in libuv's thread pool)
 *   lz4    Kafka's LZ4 frames, from the `lz4-napi` package, registered with kafkajs's codecs;
 *          every reader registers it too (a journal may hold LZ4 batches whoever reads it)
 */
import { createRequire } from 'node:module';
import type { CompressionTypes as CompressionTypesEnum } from 'kafkajs';
import { JournalError } from '../errors.js';

export type JournalCompression = 'none' | 'gzip' | 'lz4';

export const JOURNAL_COMPRESSIONS: readonly JournalCompression[] = ['none', 'gzip', 'lz4'];

/**
 * Measured on one broker on loopback (scripts/bench-kafka/run.ts): LZ4 and GZIP cost the
 * broker more in decompressing to validate than they save in bytes, so none by default.
 */
export const DEFAULT_JOURNAL_COMPRESSION: JournalCompression = 'none';

interface Lz4 {
  compressFrame(data: Buffer): Promise<Buffer>;
  decompressFrame(data: Uint8Array): Promise<Buffer>;
}

type Codecs = Record<
  number,
  () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }
>;

const require = createRequire(import.meta.url);

let lz4: Lz4 | null | undefined;

/** `lz4-napi`, or null when it is not installed. */
function loadLz4(): Lz4 | null {
  if (lz4 === undefined) {
    try {
      lz4 = require('lz4-napi') as Lz4;
    } catch {
      lz4 = null;
    }
  }
  return lz4;
}

interface KafkaJs {
  CompressionCodecs: unknown;
  CompressionTypes: typeof CompressionTypesEnum;
}

/**
 * Registers the LZ4 codec with kafkajs's `CompressionCodecs`, when `lz4-napi` is installed;
 * returns whether it is.
 */
export function registerLz4(): boolean {
  const codec = loadLz4();
  if (codec === null) return false;
  const kafkajs = require('kafkajs') as KafkaJs;
  (kafkajs.CompressionCodecs as Codecs)[kafkajs.CompressionTypes.LZ4] = () => ({
    compress: (encoder) => codec.compressFrame(encoder.buffer),
    decompress: (buffer) => codec.decompressFrame(buffer),
  });
  return true;
}

/** The kafkajs compression type of `c`; JournalError when its codec is not installed. */
export function compressionType(c: JournalCompression): CompressionTypesEnum {
  const T = (require('kafkajs') as KafkaJs).CompressionTypes;
  if (c === 'none') return T.None;
  if (c === 'gzip') return T.GZIP;
  if (!registerLz4()) {
    throw new JournalError(
      'JOURNAL_COMPRESSION_UNAVAILABLE',
      "the Kafka journal's compression is lz4 but the lz4-napi package is not installed; run `npm install` or choose another compression",
    );
  }
  return T.LZ4;
}
