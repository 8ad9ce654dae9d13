import { configFile } from '../../../test/helpers/fixtures.js';
/** Tests for MockMarket: determinism, tick invariants, price dynamics, scenarios and snapshots. */
import { describe, expect, it } from 'vitest';
import {
  parseInstrumentsCsv,
  type Instrument,
  MarketTickSchema,
  type MarketTick,
} from '../../model/index.js';
import type { Paise, Quantity } from '../../model/index.js';
import { SeededRandom } from '../../runtime/index.js';
import {
  MOCK_SCENARIOS,
  MockMarket,
  type MockMarketConfig,
  type MockMarketSnapshot,
} from './mock-market.js';

const CSV = configFile('instruments.csv');
const INSTRUMENTS = parseInstrumentsCsv(CSV, 'config/instruments.csv');
const T0 = 1_750_000_000_000;

function market(seed: number, config?: Partial<MockMarketConfig>, instruments = INSTRUMENTS) {
  return new MockMarket(instruments, new SeededRandom(seed), config);
}

function take(m: MockMarket, n: number): MarketTick[] {
  const out: MarketTick[] = [];
  for (let i = 0; i < n; i++) out.push(m.next(T0 + i));
  return out;
}

/** Last prices of one instrument (by position) over `n` ticks of the whole market. */
function path(m: MockMarket, n: number, index: number, of: (t: MarketTick) => number) {
  const k = INSTRUMENTS.length;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = m.next(T0 + i);
    if (i % k === index) out.push(of(t));
  }
  return out;
}

function stock(refRupees: number): Instrument {
  return {
    token: 1,
    symbol: 'TEST',
    name: 'TEST',
    exchange: 'NSE',
    tickSize: 5 as Paise,
    lotSize: 1 as Quantity,
    refPrice: (refRupees * 100) as Paise,
    isIndex: false,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function autocorrelation(xs: number[], lag: number): number {
  const m = mean(xs);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - m;
    den += d * d;
    if (i >= lag) num += d * (xs[i - lag]! - m);
  }
  return num / den;
}

describe('config/instruments.csv', () => {
  it('lists the 20 NSE instruments of the original, two of them indices', () => {
    expect(INSTRUMENTS).toHaveLength(20);
    const tokens = INSTRUMENTS.map((i) => i.token);
    expect(tokens).toEqual(expect.arrayContaining([256265, 260105, 738561]));
    expect(INSTRUMENTS.filter((i) => i.isIndex).map((i) => i.symbol)).toEqual([
      'NIFTY 50',
      'NIFTY BANK',
    ]);
    expect(INSTRUMENTS.find((i) => i.symbol === 'M&M')?.token).toBe(519937);
    for (const i of INSTRUMENTS) {
      expect(i.exchange).toBe('NSE');
      expect(i.tickSize).toBe(5);
      expect(i.lotSize).toBe(1);
    }
  });
});

describe('MockMarket', () => {
  it('produces the identical sequence for the same seed', () => {
    expect(take(market(42), 5_000)).toEqual(take(market(42), 5_000));
  });

  it('produces a different sequence for a different seed', () => {
    const a = take(market(1), 200).map((t) => t.lastPrice);
    const b = take(market(2), 200).map((t) => t.lastPrice);
    expect(a).not.toEqual(b);
  });

  it('cycles through the instruments round-robin and counts ticks', () => {
    const m = market(7);
    const ticks = take(m, 45);
    expect(ticks.map((t) => t.token)).toEqual(
      [...INSTRUMENTS, ...INSTRUMENTS, ...INSTRUMENTS].slice(0, 45).map((i) => i.token),
    );
    expect(m.count).toBe(45);
    expect(m.nextFor(2, T0).token).toBe(738561);
    expect(m.count).toBe(46);
    expect(() => m.nextFor(20, T0)).toThrow(RangeError);
  });

  it.each(MOCK_SCENARIOS)(
    'emits valid integer ticks on the tick grid in scenario %s',
    (scenario) => {
      const m = market(3, { scenario, ticksPerDay: 500 });
      for (let i = 0; i < 20_000; i++) {
        const t = m.next(T0 + i);
        const inst = INSTRUMENTS[i % INSTRUMENTS.length]!;
        if (i < 40) expect(MarketTickSchema.safeParse(t).success).toBe(true);
        const prices = [
          t.lastPrice,
          t.open,
          t.high,
          t.low,
          ...t.bids.map((l) => l.price),
          ...t.asks.map((l) => l.price),
        ];
        for (const p of prices) {
          if (!Number.isSafeInteger(p) || p <= 0 || p % inst.tickSize !== 0) {
            throw new Error(`tick ${i} (${inst.symbol}) has a bad price ${p}`);
          }
        }
        const ints = [
          t.averagePrice,
          t.close,
          t.lastQuantity,
          t.volume,
          t.buyQuantity,
          t.sellQuantity,
          t.oi,
        ];
        for (const q of [
          ...ints,
          ...t.bids.flatMap((l) => [l.quantity, l.orders]),
          ...t.asks.flatMap((l) => [l.quantity, l.orders]),
        ]) {
          if (!Number.isSafeInteger(q) || q < 0)
            throw new Error(`tick ${i} has a non-integer field ${q}`);
        }
        if (!(
          t.low <= t.lastPrice &&
          t.lastPrice <= t.high &&
          t.low <= t.open &&
          t.open <= t.high
        )) {
          throw new Error(`tick ${i} breaks low <= open, last <= high`);
        }
      }
    },
  );

  it('gives stocks a sorted 5-level book around the last price and indices none', () => {
    const m = market(11);
    for (let i = 0; i < 4_000; i++) {
      const t = m.next(T0 + i);
      const inst = INSTRUMENTS[i % INSTRUMENTS.length]!;
      if (inst.isIndex) {
        expect(t.bids).toHaveLength(0);
        expect(t.asks).toHaveLength(0);
        expect([t.volume, t.lastQuantity, t.buyQuantity, t.sellQuantity]).toEqual([0, 0, 0, 0]);
        continue;
      }
      expect(t.bids).toHaveLength(5);
      expect(t.asks).toHaveLength(5);
      const bestBid = t.bids[0]!.price;
      const bestAsk = t.asks[0]!.price;
      expect(bestBid).toBeLessThan(bestAsk);
      expect(bestBid).toBeLessThanOrEqual(t.lastPrice);
      expect(t.lastPrice).toBeLessThanOrEqual(bestAsk);
      for (let k = 1; k < 5; k++) {
        expect(t.bids[k]!.price).toBe(t.bids[k - 1]!.price - inst.tickSize);
        expect(t.asks[k]!.price).toBe(t.asks[k - 1]!.price + inst.tickSize);
      }
      for (const l of [...t.bids, ...t.asks]) {
        expect(l.quantity).toBeGreaterThan(0);
        expect(l.orders).toBeGreaterThanOrEqual(1);
        expect(l.orders).toBeLessThanOrEqual(20);
      }
      expect(t.lastQuantity).toBeGreaterThan(0);
      expect(t.buyQuantity).toBeGreaterThan(0);
      expect(t.sellQuantity).toBeGreaterThan(0);
    }
  });

  it('keeps volume cumulative and the average price a VWAP inside the day range', () => {
    const ticks = path(market(5), 40_000, 2, (t) => t.volume);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]).toBeGreaterThan(ticks[i - 1]!);
    const m = market(5);
    for (let i = 0; i < 40_000; i++) {
      const t = m.next(T0 + i);
      if (t.volume > 0 && (t.averagePrice < t.low || t.averagePrice > t.high)) {
        throw new Error(`averagePrice ${t.averagePrice} outside [${t.low}, ${t.high}]`);
      }
    }
  });

  it('stays within a sane band of the reference price over 100k ticks and moves', () => {
    const m = market(9, { ticksPerDay: 1_000 });
    const ticks = take(m, 100_000);
    for (let j = 0; j < INSTRUMENTS.length; j++) {
      const ref = INSTRUMENTS[j]!.refPrice;
      const prices = ticks.filter((_, i) => i % 20 === j).map((t) => t.lastPrice);
      expect(Math.min(...prices)).toBeGreaterThan(ref * 0.3);
      expect(Math.max(...prices)).toBeLessThan(ref * 3);
      const returns = prices.slice(1).map((p, i) => Math.log(p / prices[i]!));
      const m0 = mean(returns);
      const sd = Math.sqrt(mean(returns.map((r) => (r - m0) ** 2)));
      expect(sd).toBeGreaterThan(0);
      expect(new Set(prices).size).toBeGreaterThan(50);
    }
  });

  it('rolls the session over after ticksPerDay ticks: close becomes the last price', () => {
    const m = new MockMarket([stock(1000)], new SeededRandom(1), { ticksPerDay: 100 });
    const day1 = take(m, 100);
    const day2 = take(m, 1);
    expect(day1[0]!.close).toBe(100_000);
    expect(day2[0]!.close).toBe(day1[99]!.lastPrice);
    expect(day2[0]!.volume).toBe(day2[0]!.lastQuantity);
    expect(day2[0]!.open).toBe(day2[0]!.lastPrice);
  });

  it('clusters volatility: absolute mid returns are positively autocorrelated', () => {
    const m = new MockMarket([stock(100_000)], new SeededRandom(21), { ticksPerDay: 2_000 });
    const mids = take(m, 100_000).map((t) => (t.bids[0]!.price + t.asks[0]!.price) / 2);
    const abs = mids.slice(1).map((p, i) => Math.abs(Math.log(p / mids[i]!)));
    const acf = [1, 2, 5, 10].map((lag) => autocorrelation(abs, lag));
    for (const a of acf) expect(a).toBeGreaterThan(0.05);
  });

  it('ends higher on average in trending_bull than in trending_bear', () => {
    const drift = (scenario: MockMarketConfig['scenario'], seed: number) => {
      const m = market(seed, { scenario, ticksPerDay: 5_000 });
      const ticks = take(m, 100_000);
      const start = ticks.slice(0, 20);
      const end = ticks.slice(-20);
      return mean(end.map((t, j) => Math.log(t.lastPrice / start[j]!.lastPrice)));
    };
    const seeds = [1, 2, 3, 4];
    const bull = mean(seeds.map((s) => drift('trending_bull', s)));
    const bear = mean(seeds.map((s) => drift('trending_bear', s)));
    expect(bull).toBeGreaterThan(0);
    expect(bear).toBeLessThan(0);
    expect(bull - bear).toBeGreaterThan(0.01);
  });

  it('moves more after the breakout than in the range before it', () => {
    const moves = [1, 2, 3].map((seed) => {
      const m = market(seed, { scenario: 'breakout', ticksPerDay: 4_000, switchAfter: 2_000 });
      const ticks = take(m, 80_000);
      const at = (k: number) => ticks.slice(k * 20, k * 20 + 20).map((t) => t.lastPrice);
      const [a, b, c] = [at(0), at(1_999), at(3_999)];
      const before = mean(a.map((p, j) => Math.abs(Math.log(b[j]! / p))));
      const after = mean(b.map((p, j) => Math.abs(Math.log(c[j]! / p))));
      return after - before;
    });
    expect(mean(moves)).toBeGreaterThan(0);
  });

  it.each([0, 4_096, 6_001])(
    'continues the identical sequence after snapshot and restore at tick %i, through JSON',
    (at) => {
      const a = market(77, { scenario: 'reversal', ticksPerDay: 3_000 });
      take(a, at);
      const snap = JSON.parse(JSON.stringify(a.snapshot())) as MockMarketSnapshot;
      const expected = take(a, 10_000);
      const b = market(77, { scenario: 'reversal', ticksPerDay: 3_000 });
      take(b, 123); // state that restore must overwrite
      b.restore(snap);
      expect(b.count).toBe(at);
      expect(take(b, 10_000)).toEqual(expected);
    },
  );

  it('refuses a snapshot of other instruments or another scenario', () => {
    const snap = market(1).snapshot();
    expect(() => market(1, {}, INSTRUMENTS.slice(1)).restore(snap)).toThrow(/instruments/);
    expect(() => market(1, { scenario: 'ranging' }).restore(snap)).toThrow(/scenario/);
  });

  it('rejects invalid config and an empty instrument list', () => {
    expect(() => market(1, { ticksPerDay: 0 })).toThrow(/ticksPerDay/);
    expect(() => market(1, { depthLevels: 6 })).toThrow(/depthLevels/);
    expect(() => market(1, { scenario: 'lunch' as MockMarketConfig['scenario'] })).toThrow(
      /scenario/,
    );
    expect(() => market(1, {}, [])).toThrow(/instrument/);
  });

  it('honours depthLevels', () => {
    const t = market(1, { depthLevels: 3 }).nextFor(2, T0);
    expect(t.bids).toHaveLength(3);
    expect(t.asks).toHaveLength(3);
  });
});
