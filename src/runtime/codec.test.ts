import { pack } from 'msgpackr';
import { describe, expect, it, vi } from 'vitest';
import { MARKET_TICKS, type JournalRecord } from '../model/index.js';
import { journalRecords, tickRecords } from '../../test/helpers/journal-records.js';
import { makeTick, ticksAt } from '../../test/helpers/ticks.js';
import { nonceBytes, sealBatch } from './batch-header.js';
import { decodeBatch, encodeBatch } from './codec.js';

/** The journal identity the batches of these tests are sealed with. */
const NONCE = 2 ** 33 + 99;
const enc = (records: readonly JournalRecord[]) => encodeBatch(records, NONCE);
const dec = (bytes: Uint8Array) => decodeBatch(bytes, NONCE);

describe('encodeBatch / decodeBatch', () => {
  it('round-trips a mixed batch: ticks, signals, orders, fills, snapshots, commands', () => {
    const recs = journalRecords(42, 1_001);
    const kinds = new Set(recs.map((r) => r.type));
    expect(kinds.size).toBeGreaterThanOrEqual(9);
    expect(dec(enc(recs))).toEqual(recs);
  });

  it('round-trips a batch that starts at any seq, including a single record', () => {
    for (const first of [1, 2, 255, 65_536, 2 ** 32 + 7]) {
      const recs = journalRecords(3, first);
      expect(dec(enc(recs))).toEqual(recs);
      expect(dec(enc(recs.slice(0, 1)))).toEqual(recs.slice(0, 1));
    }
  });

  it('decodes tick records with the envelope fields the switchboard gives them', () => {
    const ticks = [
      makeTick(738561, 142_000),
      makeTick(2953217, 320_005),
      makeTick(256265, 2_485_000),
    ];
    const recs = tickRecords(7, ticks, 1_767_584_701_234);
    const back = dec(enc(recs));
    expect(back).toEqual(recs);
    back.forEach((r, i) => {
      expect(r).toMatchObject({
        seq: 7 + i,
        ts: 1_767_584_701_234,
        type: 'MarketTick',
        topic: MARKET_TICKS,
        source: 'feed',
        target: null,
        correlationSeq: 7 + i,
        causationSeq: 0,
        broker: 'shared',
        key: String(ticks[i]!.token),
      });
      expect(r.data).toEqual(ticks[i]);
    });
  });

  it('keeps `batch` only on the ticks that start a delivery batch', () => {
    const a = tickRecords(1, [makeTick(1, 100), makeTick(2, 200), makeTick(3, 300)]);
    const b = tickRecords(4, [makeTick(4, 400)]);
    const c = tickRecords(5, [makeTick(5, 500), makeTick(6, 600)]);
    const back = dec(enc([...a, ...b, ...c]));
    expect(back.map((r) => r.batch)).toEqual([3, undefined, undefined, 1, 2, undefined]);
    expect(back.filter((r) => 'batch' in r).map((r) => r.seq)).toEqual([1, 4, 5]);
  });

  it('keeps the data of non-tick records exactly (nested objects, floats, nulls, strings)', () => {
    const data = {
      type: 'DeadLettered',
      nested: { list: [1, -2, 3.5, null], flag: true, text: 'ünïcødé ₹' },
      confidence: 0.1 + 0.2,
      big: Number.MAX_SAFE_INTEGER,
      neg: -9_007_199_254_740_991,
    };
    const rec: JournalRecord = {
      seq: 1,
      ts: 0,
      type: 'DeadLettered',
      topic: 'market.ticks.dlq',
      source: 'strategy:x',
      target: null,
      correlationSeq: 1,
      causationSeq: 0,
      broker: 'system',
      key: '738561',
      data,
    };
    expect(dec(enc([rec]))).toEqual([rec]);
  });

  it('treats a MarketTick on another topic (a dead letter) as an ordinary record', () => {
    const tick = makeTick(738561, 142_000);
    const rec: JournalRecord = {
      seq: 3,
      ts: 5,
      type: 'MarketTick',
      topic: 'market.ticks.dlq',
      source: 'strategy:s1',
      target: 'strategy:s1',
      correlationSeq: 2,
      causationSeq: 2,
      broker: 'system',
      key: '738561',
      data: tick,
    };
    expect(dec(enc([rec]))).toEqual([rec]);
  });

  it('decodes in a fresh process: a batch does not depend on the encoder instance', async () => {
    const recs = journalRecords(30);
    const bytes = enc(recs);
    vi.resetModules();
    const fresh = await import('./codec.js');
    expect(fresh.decodeBatch).not.toBe(decodeBatch);
    expect(fresh.decodeBatch(bytes, NONCE)).toEqual(recs);
  });

  it('throws when the records are not contiguous', () => {
    const recs = journalRecords(5);
    const gap = [recs[0]!, recs[1]!, recs[3]!];
    expect(() => enc(gap)).toThrow(/not contiguous at seq 4 \(expected 3\)/);
    const backwards = [recs[2]!, recs[1]!];
    expect(() => enc(backwards)).toThrow(/not contiguous/);
  });
});

describe('a batch is sealed with a checksum of its journal', () => {
  it('refuses a batch with any one byte changed, naming the checksum mismatch', () => {
    const bytes = enc(journalRecords(20));
    // Every byte from the seal on: the first seq, the count, every record's bytes.
    for (let i = 4; i < bytes.byteLength; i += 7) {
      const bad = Buffer.from(bytes);
      bad[i]! ^= 0x01;
      expect(() => dec(bad), `byte ${i}`).toThrow(/not intact: checksum mismatch/);
    }
  });

  it('refuses a changed record count and a changed tick price', () => {
    const recs = tickRecords(1, [makeTick(738561, 142_000), makeTick(2953217, 320_005)]);
    const count = Buffer.from(enc(recs));
    count.writeUInt32LE(1, 16);
    expect(() => dec(count)).toThrow(/checksum mismatch/);
    const price = Buffer.from(enc(recs));
    price.writeInt32LE(142_005, 20 + 25); // the first tick's lastPrice
    expect(() => dec(price)).toThrow(/checksum mismatch/);
  });

  it("refuses another journal's batch: the nonce is part of the checksum", () => {
    const bytes = encodeBatch(journalRecords(3), NONCE + 1);
    expect(() => dec(bytes)).toThrow(/checksum mismatch/);
    expect(decodeBatch(bytes, NONCE + 1)).toEqual(journalRecords(3));
  });

  it('refuses a batch of an earlier build (format v2), saying so', () => {
    const bytes = Buffer.from(enc(journalRecords(3)));
    bytes[2] = 2;
    expect(() => dec(bytes)).toThrow(
      'journal batch is not intact: batch format v2, written by an earlier build (this build reads format v3 only)',
    );
    bytes[2] = 4;
    expect(() => dec(bytes)).toThrow(/format v4, unknown to this build/);
  });

  it('refuses values that are not a batch of this codec, saying why', () => {
    // A msgpack value (the v1 format, or another encoder) and a truncated value: no header.
    expect(() => dec(pack({ v: 1, f: 1, i: [] }))).toThrow(
      /not a journal batch \(no "AP" header\)/,
    );
    expect(() => dec(new Uint8Array([0x41]))).toThrow(/no "AP" header/);
    expect(() => dec(enc(journalRecords(2)).subarray(0, 12))).toThrow(/truncated: 12 bytes/);
  });

  it('refuses a sealed batch whose records do not fill it (an encoder fault)', () => {
    const bytes = Buffer.from(enc(journalRecords(2)));
    bytes[20] = 9; // the first record's kind byte, sealed again
    sealBatch(bytes, nonceBytes(NONCE), 1, 2);
    expect(() => dec(bytes)).toThrow(/not intact: record 0 has kind 9/);
    const short = Buffer.from(enc(journalRecords(3)));
    sealBatch(short, nonceBytes(NONCE), 1, 2);
    expect(() => dec(short)).toThrow(/its 2 records end at byte \d+ of \d+/);
  });
});

describe('binary tick layout', () => {
  it('keeps a tick whose values do not fit the fixed layout exactly, through the msgpack path', () => {
    const [first] = journalRecords(1);
    const tick = { ...ticksAt(738561, [157370])[0]!, volume: 2 ** 40, lastPrice: 2 ** 33 };
    const rec = {
      ...first!,
      type: 'MarketTick',
      topic: 'market.ticks',
      source: 'feed',
      target: null,
      correlationSeq: 1,
      causationSeq: 0,
      broker: 'shared' as const,
      key: String(tick.token),
      data: tick,
      batch: 1,
    };
    expect(dec(enc([rec]))).toEqual([rec]);
  });
});
