import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Instrument, MarketTick } from '../../model/index.js';
import { SeededRandom } from '../../runtime/index.js';
import {
  candlePrices,
  candleTicks,
  mergeTicks,
  openHistory,
  parseDataTime,
  parseKiteCandles,
  type Candle,
} from './index.js';

/** config's `nearest` stands outside this layer: candidates one edit away (a letter dropped or changed). */
const suggest = (n: string, c: readonly string[]) =>
  c.find(
    (x) =>
      x.length >= n.length &&
      x.length <= n.length + 1 &&
      [...n].filter((ch, i) => x[i] === ch).length >= n.length - 2,
  );
const inst = (token: number, symbol: string): Instrument =>
  ({
    token,
    symbol,
    name: symbol,
    exchange: 'NSE',
    tickSize: 5,
    lotSize: 1,
    refPrice: 100_000,
    isIndex: false,
  }) as unknown as Instrument;
const RELIANCE = inst(738561, 'RELIANCE');
const TCS = inst(2953217, 'TCS');
const HEADER = 'date,open,high,low,close,volume';

async function all(it: AsyncIterable<MarketTick>): Promise<MarketTick[]> {
  const out: MarketTick[] = [];
  for await (const t of it) out.push(t);
  return out;
}

describe('data times', () => {
  it("reads Kite's offset form, naive IST, a day and epoch ms", () => {
    const t = Date.UTC(2017, 11, 15, 3, 45);
    expect(parseDataTime('2017-12-15T09:15:00+0530')).toBe(t);
    expect(parseDataTime('2017-12-15T09:15:00+05:30')).toBe(t);
    expect(parseDataTime('2017-12-15 09:15:00')).toBe(t);
    expect(parseDataTime('2017-12-15')).toBe(t);
    expect(parseDataTime(String(t))).toBeNull();
    expect(parseDataTime(String(t), true)).toBe(t);
    expect(parseDataTime('2017-02-30')).toBeNull();
  });
});

describe('Kite candle CSV', () => {
  it('reads rows to paise on the tick size', () => {
    const c = parseKiteCandles(
      'a.csv',
      `${HEADER}\n2017-12-15T09:15:00+0530,1704.5,1705,1699.25,1702.8,2499\n`,
      5,
      suggest,
    );
    expect(c).toEqual([
      {
        ts: Date.UTC(2017, 11, 15, 3, 45),
        open: 170450,
        high: 170500,
        low: 169925,
        close: 170280,
        volume: 2499,
        oi: 0,
        line: 2,
      },
    ]);
  });

  it.each([
    ['2026-01-05,100,99,101,100,5', 'a.csv:2: high 99 is below low 101'],
    ['2026-01-05,abc,101,99,100,5', 'a.csv:2: open is not a number: "abc"'],
    ['yesterday,100,101,99,100,5', 'a.csv:2: date "yesterday" is not a time'],
    ['2026-01-05,100,101,99,102,5', 'a.csv:2: close 102 is outside'],
  ])('names the file, line and problem: %s', (row, message) => {
    expect(() => parseKiteCandles('a.csv', `${HEADER}\n${row}\n`, 5, suggest)).toThrow(message);
  });

  it('refuses dates out of order and names the nearest header of a missing column', () => {
    const rows = `${HEADER}\n2026-01-06,100,101,99,100,5\n2026-01-05,100,101,99,100,5\n`;
    expect(() => parseKiteCandles('a.csv', rows, 5, suggest)).toThrow(
      'a.csv:3: dates out of order',
    );
    const bad = 'date,open,hihg,low,close,volume\n2026-01-05,100,101,99,100,5\n';
    expect(() => parseKiteCandles('a.csv', bad, 5, suggest)).toThrow(
      'a.csv:1: no column "high" in the header (date,open,hihg,low,close,volume); is "hihg" meant to be "high"?',
    );
  });
});

describe('the OHLC path', () => {
  const c: Candle = {
    ts: 0,
    open: 10_000,
    high: 10_100,
    low: 9_900,
    close: 10_050,
    volume: 1001,
    oi: 0,
    line: 2,
  };

  it('goes open, low, high, close on an up candle (and open, high, low, close on a down one) in whole ticks', () => {
    for (let seed = 0; seed < 20; seed++) {
      const p = candlePrices(c, 5, new SeededRandom(seed));
      expect(p[0]).toBe(10_000);
      expect(p.at(-1)).toBe(10_050);
      expect(p.indexOf(9_900)).toBeLessThan(p.indexOf(10_100));
      expect(Math.min(...p)).toBe(9_900);
      expect(Math.max(...p)).toBe(10_100);
      for (const x of p) expect(x % 5).toBe(0);
      const down = candlePrices({ ...c, close: 9_950 }, 5, new SeededRandom(seed));
      expect(down.indexOf(10_100)).toBeLessThan(down.indexOf(9_900));
    }
  });

  it('spreads the ticks inside the interval, splits the volume and keeps the depth around the price', () => {
    const ticks = [
      ...candleTicks([c, { ...c, ts: 60_000 }], RELIANCE, 60_000, new SeededRandom(1)),
    ];
    const first = ticks.filter((t) => t.ts < 60_000);
    expect(first.reduce((s, t) => s + t.lastQuantity, 0)).toBe(1001);
    expect(first.at(-1)!.volume).toBe(1001);
    for (const t of ticks) {
      expect(t.bids[0]!.price).toBe(t.lastPrice - 5);
      expect(t.asks[0]!.price).toBe(t.lastPrice + 5);
    }
    expect(ticks.every((t, i) => i === 0 || t.ts >= ticks[i - 1]!.ts)).toBe(true);
    expect(ticks.at(-1)!.ts).toBeLessThan(120_000);
    // The same seed gives the same ticks; another seed may step differently.
    expect([...candleTicks([c], RELIANCE, 60_000, new SeededRandom(1))]).toEqual(first);
  });
});

describe('merging', () => {
  it('orders by time, then token', () => {
    const t = (token: number, ts: number) => ({ token, ts }) as MarketTick;
    const merged = [
      ...mergeTicks([
        [t(9, 1), t(9, 3)],
        [t(2, 1), t(2, 2), t(2, 3)],
      ]),
    ];
    expect(merged.map((x) => `${x.ts}:${x.token}`)).toEqual(['1:2', '1:9', '2:2', '3:2', '3:9']);
  });
});

describe('openHistory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ap-history-'));
  const base = { known: [RELIANCE, TCS], random: new SeededRandom(3), suggest };

  it('reads a folder of files named by symbol or token, merged in time order', async () => {
    const d = join(dir, 'folder');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(d);
    writeFileSync(
      join(d, 'RELIANCE.csv'),
      `${HEADER}\n2026-01-05T09:15:00+0530,100,101,99,100.5,10\n2026-01-05T09:16:00+0530,100.5,101,100,100.5,10\n`,
    );
    writeFileSync(
      join(d, '2953217.csv'),
      `${HEADER}\n2026-01-05T09:15:00+0530,300,301,299,300,10\n`,
    );
    const src = await openHistory({ ...base, data: d });
    expect(src.kind).toBe('candles');
    expect(src.instruments.map((i) => i.symbol)).toEqual(['RELIANCE', 'TCS']);
    const ticks = await all(src.ticks());
    expect(
      ticks.every(
        (t, i) =>
          i === 0 ||
          t.ts > ticks[i - 1]!.ts ||
          (t.ts === ticks[i - 1]!.ts && t.token > ticks[i - 1]!.token),
      ),
    ).toBe(true);
    expect(new Set(ticks.map((t) => t.token))).toEqual(new Set([738561, 2953217]));
    const only = await openHistory({ ...base, data: d, only: ['TCS'] });
    expect((await all(only.ticks())).every((t) => t.token === 2953217)).toBe(true);
  });

  it('names the nearest known symbol for an unknown file name', async () => {
    const d = join(dir, 'typo');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(d);
    writeFileSync(join(d, 'RELIANC.csv'), `${HEADER}\n2026-01-05,100,101,99,100,10\n`);
    await expect(openHistory({ ...base, data: d })).rejects.toThrow(
      'unknown instrument "RELIANC"; did you mean "RELIANCE"?',
    );
  });

  it('reads a tick CSV with a token column, and refuses a candle file without an instrument', async () => {
    const f = join(dir, 'ticks.csv');
    writeFileSync(
      f,
      'ts,token,last_price,last_quantity,volume,bid,ask,bid_qty,ask_qty,oi\n' +
        '2026-01-05T09:15:00.250+05:30,738561,1420.05,10,10,1420,1420.1,50,60,0\n' +
        `${Date.UTC(2026, 0, 5, 3, 45, 1)},2953217,3100,5,5,,,,,\n`,
    );
    const ticks = await all((await openHistory({ ...base, data: f })).ticks());
    expect(ticks.map((t) => [t.token, t.lastPrice])).toEqual([
      [738561, 142005],
      [2953217, 310000],
    ]);
    expect(ticks[0]!.bids[0]).toEqual({ price: 142000, quantity: 50, orders: 1 });
    const c = join(dir, 'candles.csv');
    writeFileSync(c, `${HEADER}\n2026-01-05,100,101,99,100,10\n`);
    await expect(openHistory({ ...base, data: c })).rejects.toThrow('unknown instrument "candles"');
    const one = await openHistory({ ...base, data: c, only: ['738561'] });
    expect(one.instruments.map((i) => i.token)).toEqual([738561]);
  });
});
