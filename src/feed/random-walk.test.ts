import { describe, expect, it } from 'vitest';
import type { Instrument } from '../model/index.js';
import { SeededRandom } from '../runtime/index.js';
import { RandomWalk, randomWalkTicks } from './random-walk.js';

const inst = (token: number, refPrice: number, tickSize = 5): Instrument =>
  ({ token, symbol: `S${token}`, refPrice, tickSize, lotSize: 1 }) as unknown as Instrument;
const instruments = [inst(11, 250_000), inst(22, 40_010), inst(33, 99_995)];
const spec = (seed: number) => ({
  instruments,
  intervalMs: 100,
  startMs: 1_000_000,
  random: new SeededRandom(seed),
});

describe('randomWalkTicks', () => {
  it('walks each mid a tick at a time, with spreads of 1-3 ticks and sizes of 100-1,000', () => {
    const p = randomWalkTicks({ ...spec(1), ticksPerInstrument: 2_000 });
    expect(p.length).toBe(6_000);
    const lastBid = new Map<number, number>();
    for (let i = 0; i < p.length; i++) {
      const t = p.tick(i);
      expect(t.token).toBe(instruments[i % 3]!.token);
      // Interleaved: instrument j of round k at start + 100k + floor(100j/3).
      expect(t.ts).toBe(1_000_000 + Math.floor(i / 3) * 100 + Math.floor(((i % 3) * 100) / 3));
      const spread = t.asks[0]!.price - t.bids[0]!.price;
      expect([5, 10, 15]).toContain(spread);
      expect(t.bids[0]!.price % 5).toBe(0);
      expect([t.bids[0]!.price, t.asks[0]!.price]).toContain(t.lastPrice);
      for (const q of [t.lastQuantity, t.bids[0]!.quantity, t.asks[0]!.quantity]) {
        expect(q).toBeGreaterThanOrEqual(100);
        expect(q).toBeLessThanOrEqual(1_000);
      }
      const mid2 = t.bids[0]!.price + t.asks[0]!.price;
      const prev = lastBid.get(t.token);
      // The mid (doubled, in paise) moves at most one tick plus the spread's change.
      if (prev !== undefined) expect(Math.abs(mid2 - prev)).toBeLessThanOrEqual(2 * 5 + 10);
      lastBid.set(t.token, mid2);
    }
  });

  it('is the same for a seed, and the same whole or in chunks', () => {
    const whole = randomWalkTicks({ ...spec(7), ticksPerInstrument: 300 });
    const walk = new RandomWalk(spec(7));
    const chunks = [walk.next(100), walk.next(200)];
    const joined = chunks.flatMap((c) => Array.from({ length: c.length }, (_, i) => c.tick(i)));
    expect(joined).toEqual(Array.from({ length: whole.length }, (_, i) => whole.tick(i)));
    expect(randomWalkTicks({ ...spec(8), ticksPerInstrument: 300 }).tick(299)).not.toEqual(
      whole.tick(299),
    );
  });
});
