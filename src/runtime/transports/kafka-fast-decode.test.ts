import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRecord } from './kafka-fast-decode.js';
import { encodeRecords } from './kafka-fast-records.js';

const require = createRequire(import.meta.url);
const ROOT = dirname(require.resolve('kafkajs/package.json'));
type Decode = (d: { buffer: Buffer; offset: number }, ctx: object) => unknown;
const theirs = require(`${ROOT}/src/protocol/recordBatch/record/v0/decoder.js`) as Decode;
const Decoder = require(`${ROOT}/src/protocol/decoder.js`) as new (b: Buffer) => {
  buffer: Buffer;
  offset: number;
  readVarIntBytes(): Buffer;
};

/** Records of every shape: null keys and values, repeated headers, large deltas. */
function records() {
  return Array.from({ length: 30 }, (_, i) => ({
    key: i % 3 === 0 ? null : `k${i}`,
    value: i % 7 === 0 ? null : Buffer.from(`v\u00e4${'x'.repeat(i * 11)}`),
    headers:
      i % 4 === 0
        ? {}
        : { 'ap-type': 'MarketTick', twice: ['a', Buffer.from('b')], 'ap-crc': '0a0b0c0d' },
    offsetDelta: i * 1000,
    timestampDelta: i % 2 === 0 ? i * 99_999 : -i,
  }));
}

describe('the faster Kafka record decoder', () => {
  it('decodes a fetched record exactly as kafkajs does', () => {
    const bytes = encodeRecords(records());
    const contexts = [
      { firstOffset: '41', firstTimestamp: '1765000000000', magicByte: 2, timestampType: 0 },
      { firstOffset: '9007199254740990', firstTimestamp: '5', isControlBatch: true },
      { firstOffset: '0', firstTimestamp: '0', timestampType: 1, maxTimestamp: '1765000000123' },
    ];
    for (const ctx of contexts) {
      // Each record is handed to the decoder as kafkajs hands it: its own bytes, from offset 0.
      const all = new Decoder(bytes);
      let n = 0;
      while (all.offset < bytes.length) {
        const one = all.readVarIntBytes();
        expect(decodeRecord(new Decoder(one), ctx)).toEqual(theirs(new Decoder(one), ctx));
        n++;
      }
      expect(n).toBe(30);
    }
  });
});
