import { describe, expect, it } from 'vitest';
import { paise, quantity, type Side } from '../../model/index.js';
import { SeededRandom } from '../../runtime/index.js';
import { applyFill, averagePrice, EMPTY_HOLDING, unrealized, type Holding } from './accounting.js';

const fill = (side: Side, q: number, price: number) => ({
  side,
  quantity: quantity(q),
  price: paise(price),
});
const run = (...fills: ReturnType<typeof fill>[]): Holding =>
  fills.reduce(applyFill, EMPTY_HOLDING);

describe('applyFill: opening and adding', () => {
  it('opens a long at cost and adds at a new average', () => {
    const h1 = run(fill('BUY', 10, 10_000));
    expect(h1).toEqual({ quantity: 10, cost: 100_000, lastPrice: 10_000, realized: 0 });
    const h2 = applyFill(h1, fill('BUY', 5, 13_000));
    expect(h2).toEqual({ quantity: 15, cost: 165_000, lastPrice: 13_000, realized: 0 });
    expect(averagePrice(h2)).toBe(11_000);
  });

  it('opens a short with negative quantity and negative cost', () => {
    const h = run(fill('SELL', 10, 10_000), fill('SELL', 10, 10_200));
    expect(h).toEqual({ quantity: -20, cost: -202_000, lastPrice: 10_200, realized: 0 });
    expect(averagePrice(h)).toBe(10_100);
  });

  it('does not change the holding it is given', () => {
    const h = run(fill('BUY', 10, 10_000));
    const copy = { ...h };
    applyFill(h, fill('SELL', 4, 11_000));
    expect(h).toEqual(copy);
  });
});

describe('applyFill: closing', () => {
  it('realizes a partial long close against the average cost', () => {
    // 15 @ avg 110.00, sell 6 @ 120.00: realized 6 × 10.00
    const h = run(fill('BUY', 10, 10_000), fill('BUY', 5, 13_000), fill('SELL', 6, 12_000));
    expect(h).toEqual({ quantity: 9, cost: 99_000, lastPrice: 12_000, realized: 6_000 });
    expect(averagePrice(h)).toBe(11_000);
  });

  it('realizes a partial short cover: profit when the price fell', () => {
    const h = run(fill('SELL', 10, 10_000), fill('BUY', 4, 9_000));
    expect(h).toEqual({ quantity: -6, cost: -60_000, lastPrice: 9_000, realized: 4_000 });
  });

  it('realizes a short cover at a loss when the price rose', () => {
    const h = run(fill('SELL', 10, 10_000), fill('BUY', 10, 10_500));
    expect(h).toEqual({ quantity: 0, cost: 0, lastPrice: 10_500, realized: -5_000 });
  });

  it('closes flat with zero cost and zero unrealized', () => {
    const h = run(fill('BUY', 3, 10_001), fill('BUY', 4, 10_002), fill('SELL', 7, 9_000));
    expect(h.quantity).toBe(0);
    expect(h.cost).toBe(0);
    expect(h.realized).toBe(7 * 9_000 - (3 * 10_001 + 4 * 10_002));
    expect(unrealized(h)).toBe(0);
    expect(averagePrice(h)).toBe(0);
  });

  it('flips long to short through zero: realizes the long, opens the rest at the fill price', () => {
    const h = run(fill('BUY', 9, 11_000), fill('SELL', 20, 10_000));
    expect(h).toEqual({ quantity: -11, cost: -110_000, lastPrice: 10_000, realized: -9_000 });
    expect(averagePrice(h)).toBe(10_000);
  });

  it('flips short to long through zero', () => {
    const h = run(fill('SELL', 5, 10_000), fill('BUY', 8, 9_500));
    expect(h).toEqual({ quantity: 3, cost: 28_500, lastPrice: 9_500, realized: 2_500 });
  });

  it('keeps cost an integer when the average is fractional, rounding the removed cost', () => {
    // 3 shares for 100 paise in total: average 33.33…
    const h1 = run(fill('BUY', 1, 33), fill('BUY', 1, 33), fill('BUY', 1, 34));
    expect(h1.cost).toBe(100);
    const h2 = applyFill(h1, fill('SELL', 1, 40));
    // removed cost = round(100 × 1 / 3) = 33
    expect(h2).toEqual({ quantity: 2, cost: 67, lastPrice: 40, realized: 7 });
    const h3 = applyFill(h2, fill('SELL', 1, 40));
    // removed = round(67 / 2) = round(33.5) = 34 (half away from zero)
    expect(h3).toEqual({ quantity: 1, cost: 33, lastPrice: 40, realized: 13 });
    const h4 = applyFill(h3, fill('SELL', 1, 40));
    expect(h4).toEqual({ quantity: 0, cost: 0, lastPrice: 40, realized: 20 });
    // The whole round trip realizes exactly sells − buys.
    expect(h4.realized).toBe(3 * 40 - 100);
  });

  it('rounds the removed cost of a short half away from zero too', () => {
    const h1 = run(fill('SELL', 2, 33), fill('SELL', 1, 34)); // cost −100
    const h2 = applyFill(h1, fill('BUY', 1, 30)); // removed round(−33.3) = −33
    expect(h2).toEqual({ quantity: -2, cost: -67, lastPrice: 30, realized: 3 });
    const h3 = applyFill(h2, fill('BUY', 1, 30)); // removed round(−33.5) = −34
    expect(h3).toEqual({ quantity: -1, cost: -33, lastPrice: 30, realized: 7 });
  });
});

describe('unrealized and averagePrice', () => {
  it('marks a long and a short at the last price', () => {
    const long = run(fill('BUY', 10, 10_000));
    expect(unrealized({ ...long, lastPrice: 10_250 })).toBe(2_500);
    expect(unrealized({ ...long, lastPrice: 9_900 })).toBe(-1_000);
    const short = run(fill('SELL', 10, 10_000));
    expect(unrealized({ ...short, lastPrice: 9_900 })).toBe(1_000);
    expect(unrealized({ ...short, lastPrice: 10_250 })).toBe(-2_500);
  });

  it('is zero for a flat holding whatever its last price', () => {
    expect(unrealized({ ...EMPTY_HOLDING, lastPrice: 12_345 })).toBe(0);
  });

  it('reports a positive average price for shorts', () => {
    expect(averagePrice(run(fill('SELL', 3, 100), fill('SELL', 3, 101)))).toBe(101); // 100.5 → 101
  });
});

describe('applyFill property: PnL identity over 10k random fills', () => {
  it('realized + unrealized == Σ sells − Σ buys + position × mark, exactly, in integers', () => {
    const rnd = new SeededRandom(20_260_105);
    for (const token of [1, 2, 3]) {
      const r = rnd.fork(`token-${token}`);
      let h = EMPTY_HOLDING;
      let cashFlow = 0; // Σ sell value − Σ buy value, paise
      let price = 100_000 + Math.floor(r.next() * 100_000);
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < 10_000; i++) {
        price = Math.max(5, price + Math.round(r.normal() * 200));
        // Lean towards reducing a large position so it stays within safe integers.
        const reduce = Math.abs(h.quantity) > 5_000 ? 0.8 : 0.5;
        const side: Side =
          r.next() < reduce ? (h.quantity > 0 ? 'SELL' : 'BUY') : r.next() < 0.5 ? 'BUY' : 'SELL';
        const q = 1 + Math.floor(r.next() * 700);
        const wasFlat = h.quantity === 0;
        const prev = h;
        h = applyFill(h, fill(side, q, price));
        cashFlow += side === 'SELL' ? q * price : -q * price;

        expect(Number.isSafeInteger(h.cost) && Number.isSafeInteger(h.realized)).toBe(true);
        expect(Math.sign(h.cost)).toBe(Math.sign(h.quantity));
        expect(h.quantity).toBe(prev.quantity + (side === 'BUY' ? q : -q));

        // The average cost lies between the lowest and highest price paid for the open lot.
        const flipped = Math.sign(h.quantity) !== Math.sign(prev.quantity);
        if (wasFlat || flipped) {
          lo = price;
          hi = price;
        } else if (Math.abs(h.quantity) > Math.abs(prev.quantity)) {
          lo = Math.min(lo, price);
          hi = Math.max(hi, price);
        }
        if (h.quantity !== 0) {
          const avg = h.cost / h.quantity;
          expect(avg).toBeGreaterThanOrEqual(lo - 1);
          expect(avg).toBeLessThanOrEqual(hi + 1);
        }

        // The identity, at the last fill price and at an arbitrary mark.
        expect(h.realized + unrealized(h)).toBe(cashFlow + h.quantity * h.lastPrice);
        const mark = price + Math.round(r.normal() * 500);
        expect(h.realized + unrealized({ ...h, lastPrice: mark })).toBe(
          cashFlow + h.quantity * mark,
        );
      }
    }
  });
});
