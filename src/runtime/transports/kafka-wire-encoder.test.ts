import { describe, expect, it } from 'vitest';
import { journalRecords } from '../../../test/helpers/journal-records.js';
import type { JournalRecord } from '../../model/index.js';
import { WireEncoder } from './kafka-wire-encoder.js';
import { fromWire, toWire } from './kafka-wire.js';

const META = { nonce: 2 ** 33 + 9, createdMs: 1_767_584_700_000 };

/** The same message as toWire: key, value bytes, headers (names, values and order). */
function expectSame(a: ReturnType<typeof toWire>, b: ReturnType<typeof toWire>): void {
  expect(b.key).toBe(a.key);
  expect(b.value.toString('utf8')).toBe(a.value.toString('utf8'));
  expect(Buffer.compare(b.value, a.value)).toBe(0);
  expect(Object.entries(b.headers)).toEqual(Object.entries(a.headers));
}

describe('the Kafka writer fast wire encoder', () => {
  it('writes exactly what toWire writes, for every record shape the journal holds', () => {
    const enc = new WireEncoder(META);
    const records = journalRecords(60);
    expect(new Set(records.map((r) => r.type)).size).toBeGreaterThan(3);
    for (const r of records) expectSame(toWire(META, r), enc.encode(r));
  });

  it('writes ids, times and text that need care the way toWire does', () => {
    const enc = new WireEncoder(META);
    const base = journalRecords(40).find((r) => r.type !== 'MarketTick')!;
    const odd: JournalRecord[] = [
      { ...base, seq: 2 ** 40 + 3, correlationSeq: 2 ** 40 + 3, causationSeq: 0 },
      { ...base, seq: 0xabcdef0123, correlationSeq: 5, causationSeq: 0xabcdef0122 },
      { ...base, source: 'strategy:"quoted"\\', target: null, key: 'k\u00e9y\u2028' },
      { ...base, target: 'risk-gate:paper', ts: base.ts + 1 },
      { ...base, ts: base.ts + 1, data: { note: 'caf\u00e9 \ud83d\udc3c', nested: [1, null] } },
      { ...base, data: null },
      { ...base, data: { when: new Date(0) } },
    ];
    for (const r of odd) expectSame(toWire(META, r), enc.encode(r));
  });

  it('reads back as the record written', () => {
    const enc = new WireEncoder(META);
    for (const r of journalRecords(30))
      expect(fromWire(r.topic, enc.encode(r), META.nonce)).toEqual(r);
  });

  it('keeps each value its own bytes across many records', () => {
    const enc = new WireEncoder(META);
    const records = journalRecords(40);
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...records[i % 40]!, seq: i + 1 }));
    const out = many.map((r) => enc.encode(r));
    many.forEach((r, i) => expectSame(toWire(META, r), out[i]!));
  });
});
