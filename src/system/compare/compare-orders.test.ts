// Two runs' orders lined up: one identical, one removed, one added, one at another price (on
// another broker), and a pair further apart than the window.
import { describe, expect, it } from 'vitest';
import { compareOrders } from './compare-orders.js';
import type { JournalOrders, OrderLine } from './journal-orders.js';

const T0 = Date.UTC(2026, 0, 5, 3, 45);
const MIN = 60_000;
let seq = 0;

function order(over: Partial<OrderLine>): OrderLine {
  return {
    seq: ++seq,
    broker: 'paper',
    clientOrderId: `P${seq}`,
    strategyId: 's1',
    token: 738561,
    side: 'BUY',
    quantity: 10,
    orderType: 'MARKET',
    price: 100_000,
    limitPrice: null,
    ts: T0,
    filledQuantity: 10,
    fillPrice: 100_050,
    fees: 100,
    ...over,
  };
}

function runs(): { a: JournalOrders; b: JournalOrders } {
  const same = { ts: T0 };
  const repriced = { side: 'SELL' as const, ts: T0 + 20 * MIN, price: 101_000, fillPrice: 100_950 };
  return {
    a: {
      runs: 1,
      orders: [
        order(same),
        order({ token: 2953217, side: 'SELL', quantity: 5, ts: T0 + 5 * MIN }),
        order(repriced),
        order({ quantity: 1, ts: T0 + 30 * MIN }),
      ],
    },
    b: {
      runs: 2,
      orders: [
        order(same),
        order({ strategyId: 's2', quantity: 3, ts: T0 + 10 * MIN }),
        order({
          ...repriced,
          broker: 'zerodha',
          ts: T0 + 20 * MIN + 2_000,
          price: 101_200,
          fillPrice: 101_150,
        }),
        order({ quantity: 1, ts: T0 + 32 * MIN }),
      ],
    },
  };
}

describe('compareOrders', () => {
  it('reports added, removed, changed and unchanged orders', () => {
    const { a, b } = runs();
    const c = compareOrders(a, b);
    expect(c.a).toEqual({ runs: 1, orders: 4 });
    expect(c.b).toEqual({ runs: 2, orders: 4 });
    expect(c.matched).toBe(2);
    expect(c.unchanged).toBe(1);
    // The TCS sell is only in A; the 1-share buys are 2 minutes apart, past the 60 s window.
    expect(c.removed.map((o) => [o.token, o.side, o.quantity])).toEqual([
      [2953217, 'SELL', 5],
      [738561, 'BUY', 1],
    ]);
    expect(c.added.map((o) => [o.strategyId, o.quantity])).toEqual([
      ['s2', 3],
      ['s1', 1],
    ]);
    expect(c.changed).toHaveLength(1);
    const ch = c.changed[0]!;
    expect([ch.a.broker, ch.b.broker]).toEqual(['paper', 'zerodha']);
    expect({
      priceDiff: ch.priceDiff,
      timeDiffMs: ch.timeDiffMs,
      quantityDiff: ch.quantityDiff,
      fillPriceDiff: ch.fillPriceDiff,
    }).toEqual({ priceDiff: 200, timeDiffMs: 2_000, quantityDiff: 0, fillPriceDiff: 200 });
  });

  it('pairs orders further apart with a wider window', () => {
    const { a, b } = runs();
    const c = compareOrders(a, b, 3 * MIN);
    expect(c.matched).toBe(3);
    expect(c.unchanged).toBe(2);
    expect(c.removed).toHaveLength(1);
    expect(c.added).toHaveLength(1);
  });

  it('takes the nearest unmatched order in time, and reports a fill that did not happen', () => {
    const a: JournalOrders = { runs: 1, orders: [order({ ts: T0 }), order({ ts: T0 + 10_000 })] };
    const b: JournalOrders = {
      runs: 1,
      orders: [
        order({ ts: T0 + 9_000, fillPrice: null, filledQuantity: 0 }),
        order({ ts: T0 + 1_000 }),
      ],
    };
    const c = compareOrders(a, b);
    // A@0 takes B@1 s (1 s away, nearer than 9 s); A@10 s takes B@9 s, which never filled.
    expect(c.matched).toBe(2);
    expect(c.unchanged).toBe(1);
    expect(c.changed.map((x) => [x.timeDiffMs, x.fillPriceDiff])).toEqual([[-1_000, null]]);
  });
});
