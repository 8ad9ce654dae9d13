import { kiteFixture } from '../../../test/helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import { paise, type DepthLevel, type MarketTick } from '../../model/index.js';
import { walkBook } from './fill.js';

interface KiteLevel {
  price: number;
  quantity: number;
  orders: number;
}
const kite = kiteFixture<{
  instrument_token: number;
  last_price: number;
  last_quantity: number;
  average_price: number;
  volume: number;
  buy_quantity: number;
  sell_quantity: number;
  ohlc: { open: number; high: number; low: number; close: number };
  oi: number;
  depth: { buy: KiteLevel[]; sell: KiteLevel[] };
}>('ticker_full.json');
const rupees = (x: number): number => Math.round(x * 100);
const level = (l: KiteLevel): DepthLevel => ({
  price: paise(rupees(l.price)),
  quantity: l.quantity,
  orders: l.orders,
});

/** The captured Kite full-mode tick (token 408065, LTP ₹1573.70) with prices in paise. */
const TICK: MarketTick = {
  token: kite.instrument_token,
  ts: 1_625_461_887_000, // 2021-07-05T10:41:27+05:30
  lastPrice: paise(rupees(kite.last_price)),
  lastQuantity: kite.last_quantity,
  averagePrice: paise(rupees(kite.average_price)),
  volume: kite.volume,
  buyQuantity: kite.buy_quantity,
  sellQuantity: kite.sell_quantity,
  open: paise(rupees(kite.ohlc.open)),
  high: paise(rupees(kite.ohlc.high)),
  low: paise(rupees(kite.ohlc.low)),
  close: paise(rupees(kite.ohlc.close)),
  oi: kite.oi,
  bids: kite.depth.buy.map(level),
  asks: kite.depth.sell.map(level),
};
// asks: 172 @ 157,370 · 44 @ 157,375 · 302 @ 157,385 · 141 @ 157,390 · 724 @ 157,395 (1,383 shares)
// bids:   5 @ 157,340 · 140 @ 157,300 ·   2 @ 157,295 · 219 @ 157,290 ·  50 @ 157,285

const withDepth = (bids: [number, number][], asks: [number, number][]): MarketTick => ({
  ...TICK,
  bids: bids.map(([p, q]) => ({ price: paise(p), quantity: q, orders: 1 })),
  asks: asks.map(([p, q]) => ({ price: paise(p), quantity: q, orders: 1 })),
});

describe('walkBook over depth', () => {
  it('converts the fixture to the paise it was captured in', () => {
    expect(TICK.lastPrice).toBe(157_370);
    expect(TICK.asks[0]).toEqual({ price: 157_370, quantity: 172, orders: 3 });
    expect(TICK.bids[1]).toEqual({ price: 157_300, quantity: 140, orders: 2 });
  });

  it('fills a BUY inside the best ask at that price', () => {
    const f = walkBook('BUY', 100, TICK);
    expect(f).toEqual({
      filled: 100,
      averagePrice: 157_370,
      levels: [{ price: 157_370, quantity: 100 }],
      source: 'depth',
      beyondDepth: 0,
    });
  });

  it('walks a BUY up three ask levels at the exact VWAP', () => {
    // 172 × 157,370 + 44 × 157,375 + 284 × 157,385 = 27,067,640 + 6,924,500 + 44,697,340
    // = 78,689,480 paise / 500 = 157,378.96 → 157,379.
    const f = walkBook('BUY', 500, TICK);
    expect(f.levels).toEqual([
      { price: 157_370, quantity: 172 },
      { price: 157_375, quantity: 44 },
      { price: 157_385, quantity: 284 },
    ]);
    expect(f.filled).toBe(500);
    expect(f.averagePrice).toBe(157_379);
  });

  it('walks a SELL down the bids, never the asks', () => {
    // 5 × 157,340 + 140 × 157,300 + 2 × 157,295 + 3 × 157,290 = 23,595,160 / 150 = 157,301.07 → 157,301.
    const f = walkBook('SELL', 150, TICK);
    expect(f.levels.map((l) => l.price)).toEqual([157_340, 157_300, 157_295, 157_290]);
    expect(f.levels.map((l) => l.quantity)).toEqual([5, 140, 2, 3]);
    expect(f.averagePrice).toBe(157_301);
  });

  it('rounds a VWAP that ends in exactly half a paisa away from zero', () => {
    // (100 + 101) / 2 = 100.5 → 101 for either side.
    expect(
      walkBook(
        'BUY',
        2,
        withDepth(
          [],
          [
            [100, 1],
            [101, 1],
          ],
        ),
      ).averagePrice,
    ).toBe(101);
    expect(
      walkBook(
        'SELL',
        2,
        withDepth(
          [
            [101, 1],
            [100, 1],
          ],
          [],
        ),
      ).averagePrice,
    ).toBe(101);
    // (100 × 2 + 101) / 3 = 100.33 → 100.
    expect(
      walkBook(
        'BUY',
        3,
        withDepth(
          [],
          [
            [100, 2],
            [101, 5],
          ],
        ),
      ).averagePrice,
    ).toBe(100);
  });

  it('skips empty levels (price or quantity 0)', () => {
    const f = walkBook(
      'BUY',
      3,
      withDepth(
        [],
        [
          [100, 0],
          [0, 9],
          [105, 5],
        ],
      ),
    );
    expect(f.levels).toEqual([{ price: 105, quantity: 3 }]);
  });
});

describe('walkBook when depth runs out', () => {
  // Σ asks = 217,668,380 paise for 1,383 shares.
  it('fills only the book with allowPartial', () => {
    const f = walkBook('BUY', 1_500, TICK, { allowPartial: true });
    expect(f.filled).toBe(1_383);
    expect(f.levels).toHaveLength(5);
    expect(f.beyondDepth).toBe(0);
    // 217,668,380 / 1,383 = 157,388.56 → 157,389.
    expect(f.averagePrice).toBe(157_389);
  });

  it('fills the rest at the last level price without allowPartial (the default)', () => {
    const f = walkBook('BUY', 1_500, TICK);
    expect(f.filled).toBe(1_500);
    expect(f.beyondDepth).toBe(117);
    expect(f.levels.at(-1)).toEqual({ price: 157_395, quantity: 117 });
    expect(f.levels.reduce((s, l) => s + l.quantity, 0)).toBe(1_500);
    // (217,668,380 + 117 × 157,395) / 1,500 = 236,083,595 / 1,500 = 157,389.06 → 157,389.
    expect(f.averagePrice).toBe(157_389);
  });

  it('fills nothing when the side it needs is empty though the other is not', () => {
    const f = walkBook('BUY', 10, withDepth([[157_340, 5]], []));
    expect(f).toMatchObject({ filled: 0, averagePrice: 0, levels: [], source: 'depth' });
  });
});

describe('walkBook without depth', () => {
  const ltpOnly: MarketTick = { ...TICK, bids: [], asks: [] };

  it('fills a BUY at LTP plus half the spread and a SELL at LTP minus it', () => {
    // half spread = 157,370 × 10 bps / 2 = 157,370 × 10 / 20,000 = 78.685 → 79 paise.
    expect(walkBook('BUY', 1_000, ltpOnly)).toEqual({
      filled: 1_000,
      averagePrice: 157_449,
      levels: [{ price: 157_449, quantity: 1_000 }],
      source: 'ltp',
      beyondDepth: 0,
    });
    expect(walkBook('SELL', 1_000, ltpOnly).averagePrice).toBe(157_291);
  });

  it('honours spreadBps', () => {
    // 157,370 × 50 / 20,000 = 393.425 → 393.
    expect(walkBook('BUY', 1, ltpOnly, { spreadBps: 50 }).averagePrice).toBe(157_763);
  });

  it('moves at least one tick of 5 paise', () => {
    // ₹10: 1,000 × 10 / 20,000 = 0.5 → 1 paisa, below one tick, so 5.
    const cheap: MarketTick = { ...ltpOnly, lastPrice: paise(1_000) };
    expect(walkBook('BUY', 1, cheap).averagePrice).toBe(1_005);
    expect(walkBook('SELL', 1, cheap).averagePrice).toBe(995);
    expect(walkBook('SELL', 1, cheap, { tickSize: 10 }).averagePrice).toBe(990);
  });

  it('treats zero-filled depth as no depth, and fills nothing without a price', () => {
    const zeros = withDepth([[0, 0]], [[0, 0]]);
    expect(walkBook('BUY', 1, zeros).source).toBe('ltp');
    expect(walkBook('SELL', 1, { ...ltpOnly, lastPrice: paise(0) }).filled).toBe(0);
    expect(walkBook('SELL', 1, { ...ltpOnly, lastPrice: paise(3) }).filled).toBe(0);
  });

  it('refuses a non-positive or fractional quantity', () => {
    expect(() => walkBook('BUY', 0, TICK)).toThrow(RangeError);
    expect(() => walkBook('BUY', 1.5, TICK)).toThrow(RangeError);
  });
});

describe('walkBook with a worst price (bound)', () => {
  const ltpOnly: MarketTick = { ...TICK, bids: [], asks: [] };

  it('takes a BUY no higher than the bound, at the levels it takes', () => {
    // asks 172 @ 157,370 · 44 @ 157,375 · 302 @ 157,385: a bound of 157,380 stops before 157,385.
    const f = walkBook('BUY', 500, TICK, { allowPartial: true, bound: 157_380 });
    expect(f.levels).toEqual([
      { price: 157_370, quantity: 172 },
      { price: 157_375, quantity: 44 },
    ]);
    expect(f.filled).toBe(216);
  });

  it('takes a SELL no lower than the bound, and a level at the bound', () => {
    const f = walkBook('SELL', 500, TICK, { allowPartial: true, bound: 157_300 });
    expect(f.levels).toEqual([
      { price: 157_340, quantity: 5 },
      { price: 157_300, quantity: 140 },
    ]);
  });

  it('never fills past the bound, even without allowPartial', () => {
    const f = walkBook('BUY', 500, TICK, { allowPartial: false, bound: 157_375 });
    expect(f.filled).toBe(216);
    expect(f.beyondDepth).toBe(0);
    // Every level within the bound: the rest still fills at the last level.
    expect(walkBook('BUY', 1_500, TICK, { bound: 160_000 }).beyondDepth).toBe(117);
  });

  it('fills nothing when the best level is beyond the bound', () => {
    expect(walkBook('BUY', 10, TICK, { bound: 157_365 }).filled).toBe(0);
  });

  it('without depth, fills when LTP is within the bound, at the fallback price capped at it', () => {
    // LTP 157,370, half spread 79: a BUY's fallback is 157,449.
    expect(walkBook('BUY', 10, ltpOnly, { bound: 157_400 }).averagePrice).toBe(157_400);
    expect(walkBook('BUY', 10, ltpOnly, { bound: 157_500 }).averagePrice).toBe(157_449);
    expect(walkBook('BUY', 10, ltpOnly, { bound: 157_365 }).filled).toBe(0);
    expect(walkBook('SELL', 10, ltpOnly, { bound: 157_370 }).averagePrice).toBe(157_370);
    expect(walkBook('SELL', 10, ltpOnly, { bound: 157_375 }).filled).toBe(0);
  });
});
