import { describe, expect, it } from 'vitest';
import { journalRecords } from '../../../test/helpers/journal-records.js';
import { DamagedRecord, fromWire, recordChecksum, toWire } from './kafka-wire.js';

const META = { nonce: 2 ** 33 + 9, createdMs: 1_767_584_700_000 };

describe('a journal record on Kafka', () => {
  it('reads back exactly as written, its checksum verified', () => {
    for (const r of journalRecords(28)) {
      const w = toWire(META, r);
      expect(w.headers['ap-crc']).toMatch(/^[0-9a-f]{8}$/);
      expect(fromWire(r.topic, w, META.nonce)).toEqual(r);
    }
  });

  it('checksums the nonce, the seq and every byte of the value', () => {
    const v = Buffer.from('{"seq":7}');
    const base = recordChecksum(META.nonce, 7, v);
    expect(recordChecksum(META.nonce + 1, 7, v)).not.toBe(base);
    expect(recordChecksum(META.nonce, 2 ** 32 + 7, v)).not.toBe(base);
    expect(recordChecksum(META.nonce, 7, Buffer.from('{"seq":7 }'))).not.toBe(base);
  });

  it('refuses a changed byte, another journal, or a missing checksum, naming the seq', () => {
    const r = journalRecords(5)[4]!;
    const w = toWire(META, r);
    const changed = {
      ...w,
      value: Buffer.from(w.value.toString().replace('"data":{', '"data": {')),
    };
    const fails = (m: Parameters<typeof fromWire>[1], nonce = META.nonce) => {
      try {
        fromWire(r.topic, m, nonce);
      } catch (err) {
        return err;
      }
      return null;
    };
    expect(fails(changed)).toEqual(expect.any(DamagedRecord));
    expect(fails(changed)).toMatchObject({
      seq: 5,
      message: expect.stringMatching(/fails its checksum/),
    });
    expect(fails(w, META.nonce + 1)).toMatchObject({ seq: 5 });
    const { 'ap-crc': _crc, ...headers } = w.headers;
    expect(fails({ value: w.value, headers })).toMatchObject({
      seq: 5,
      message: expect.stringMatching(/has no checksum/),
    });
    expect(fails({ value: Buffer.from('{"seq":5,'), headers: w.headers })).toMatchObject({
      seq: null,
    });
  });
});
