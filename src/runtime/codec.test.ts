import { pack } from 'msgpackr';
import { describe, expect, it, vi } from 'vitest';
import { MARKET_TICKS, type JournalRecord } from '../model/index.js';
import { journalRecords, tickRecords } from '../../test/helpers/journal-records.js';
import { makeTick, ticksAt } from '../../test/helpers/ticks.js';
import { decodeBatch, encodeBatch } from './codec.js';

describe('encodeBatch / decodeBatch', () => {
  it('round-trips a mixed batch: ticks, signals, orders, fills, snapshots, commands', () => {
    const recs = journalRecords(42, 1_001);
    const kinds = new Set(recs.map((r) => r.type));
    expect(kinds.size).toBeGreaterThanOrEqual(9);
    expect(decodeBatch(encodeBatch(recs))).toEqual(recs);
  });

  it('round-trips a batch that starts at any seq, including a single record', () => {
    for (const first of [1, 2, 255, 65_536, 2 ** 32 + 7]) {
      const recs = journalRecords(3, first);
      expect(decodeBatch(encodeBatch(recs))).toEqual(recs);
      expect(decodeBatch(encodeBatch(recs.slice(0, 1)))).toEqual(recs.slice(0, 1));
    }
  });

  it('decodes tick records with the envelope fields the switchboard gives them', () => {
    const ticks = [
      makeTick(738561, 142_000),
      makeTick(2953217, 320_005),
      makeTick(256265, 2_485_000),
    ];
    const recs = tickRecords(7, ticks, 1_767_584_701_234);
    const back = decodeBatch(encodeBatch(recs));
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
    const back = decodeBatch(encodeBatch([...a, ...b, ...c]));
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
    expect(decodeBatch(encodeBatch([rec]))).toEqual([rec]);
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
    expect(decodeBatch(encodeBatch([rec]))).toEqual([rec]);
  });

  it('decodes in a fresh process: a batch does not depend on the encoder instance', async () => {
    const recs = journalRecords(30);
    const bytes = encodeBatch(recs);
    vi.resetModules();
    const fresh = await import('./codec.js');
    expect(fresh.decodeBatch).not.toBe(decodeBatch);
    expect(fresh.decodeBatch(bytes)).toEqual(recs);
  });

  it('throws when the records are not contiguous', () => {
    const recs = journalRecords(5);
    const gap = [recs[0]!, recs[1]!, recs[3]!];
    expect(() => encodeBatch(gap)).toThrow(/not contiguous at seq 4 \(expected 3\)/);
    const backwards = [recs[2]!, recs[1]!];
    expect(() => encodeBatch(backwards)).toThrow(/not contiguous/);
  });

  it('refuses an unknown format version with a message naming both versions', () => {
    const bytes = Buffer.from(encodeBatch(journalRecords(3)));
    bytes[2] = 3; // a later build's format
    expect(() => decodeBatch(bytes)).toThrow(
      'journal batch format v3 is not supported by this build (expects v2)',
    );
  });

  it('refuses values that are not a batch of this codec with a message saying why', () => {
    // A msgpack value (the v1 format, or another encoder) and a truncated value: no header.
    expect(() => decodeBatch(pack({ v: 1, f: 1, i: [] }))).toThrow(
      'journal batch format unknown (no "AP" header) is not supported by this build (expects v2)',
    );
    expect(() => decodeBatch(new Uint8Array([0x41]))).toThrow(/format unknown .*expects v2/);
  });

  it('reports a corrupt record kind with the batch it is in', () => {
    const bytes = Buffer.from(encodeBatch(journalRecords(2)));
    bytes[16] = 9; // the first record's kind byte
    expect(() => decodeBatch(bytes)).toThrow(/corrupt: record 0 has kind 9/);
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
    expect(decodeBatch(encodeBatch([rec]))).toEqual([rec]);
  });
});
