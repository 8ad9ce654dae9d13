import { describe, expect, it } from 'vitest';
import type { Side } from '../../model/index.js';
import { TradeBook, type BookFill } from './trades.js';

function fill(ts: number, side: Side, quantity: number, price: number, fees: number): BookFill {
  return {
    broker: 'paper',
    strategyId: 's1',
    token: 738561,
    symbol: 'RELIANCE',
    ts,
    side,
    quantity,
    price,
    fees,
  };
}

const pick = (t: {
  side: string;
  quantity: number;
  grossPnl: number;
  charges: number;
  netPnl: number;
}) => ({
  side: t.side,
  quantity: t.quantity,
  grossPnl: t.grossPnl,
  charges: t.charges,
  netPnl: t.netPnl,
});

describe('TradeBook (FIFO)', () => {
  it('closes a long in two parts, prorating the entry fees', () => {
    const b = new TradeBook();
    expect(b.apply(fill(1, 'BUY', 10, 100, 10)).kind).toBe('ENTRY');
    const first = b.apply(fill(2, 'SELL', 4, 110, 4));
    // 4 of 10 shares: gross (110 − 100) × 4 = 40; charges 10 × 4/10 = 4 entry + 4 exit = 8.
    expect(first.kind).toBe('EXIT');
    expect(first.trades.map(pick)).toEqual([
      { side: 'LONG', quantity: 4, grossPnl: 40, charges: 8, netPnl: 32 },
    ]);
    expect(b.position('paper', 's1', 738561)).toBe(6);
    const second = b.apply(fill(3, 'SELL', 6, 120, 6));
    // The other 6: gross (120 − 100) × 6 = 120; charges the 6 entry fees left + 6 exit = 12.
    expect(second.trades.map(pick)).toEqual([
      { side: 'LONG', quantity: 6, grossPnl: 120, charges: 12, netPnl: 108 },
    ]);
    expect(second.trades[0]).toMatchObject({
      entryTs: 1,
      entryPrice: 100,
      exitTs: 3,
      exitPrice: 120,
    });
    expect(b.position('paper', 's1', 738561)).toBe(0);
    expect(b.openPositions(() => 0)).toEqual([]);
  });

  it('closes the oldest lot first and prorates the exit fees across lots', () => {
    const b = new TradeBook();
    b.apply(fill(1, 'BUY', 5, 100, 5));
    b.apply(fill(2, 'BUY', 5, 200, 7));
    const out = b.apply(fill(3, 'SELL', 7, 150, 14));
    // Lot 1, 5 shares: gross (150 − 100) × 5 = 250; entry 5, exit round(14 × 5/7) = 10 → 15.
    // Lot 2, 2 shares: gross (150 − 200) × 2 = −100; entry round(7 × 2/5) = 3, exit 14 − 10 = 4 → 7.
    expect(out.trades.map(pick)).toEqual([
      { side: 'LONG', quantity: 5, grossPnl: 250, charges: 15, netPnl: 235 },
      { side: 'LONG', quantity: 2, grossPnl: -100, charges: 7, netPnl: -107 },
    ]);
    // 3 shares of lot 2 stay open with 7 − 3 = 4 paise of entry fees; marked at 210:
    // (210 − 200) × 3 = 30.
    expect(b.openPositions(() => 210)).toEqual([
      {
        broker: 'paper',
        strategyId: 's1',
        token: 738561,
        symbol: 'RELIANCE',
        side: 'LONG',
        quantity: 3,
        entryTs: 2,
        averageEntryPrice: 200,
        lastPrice: 210,
        unrealizedPnl: 30,
        charges: 4,
      },
    ]);
  });

  it('reverses from long to short in one fill, the exit fees split between the two', () => {
    const b = new TradeBook();
    b.apply(fill(1, 'BUY', 10, 100, 10));
    const rev = b.apply(fill(2, 'SELL', 15, 90, 30));
    // Closes 10: gross (90 − 100) × 10 = −100; entry 10 + exit round(30 × 10/15) = 20 → 30.
    expect(rev.kind).toBe('REVERSAL');
    expect(rev.trades.map(pick)).toEqual([
      { side: 'LONG', quantity: 10, grossPnl: -100, charges: 30, netPnl: -130 },
    ]);
    expect(b.position('paper', 's1', 738561)).toBe(-5);
    // The 5 short at 90 carry the other 10 paise; marked at 95: −(95 × 5 − 90 × 5) = −25.
    expect(b.openPositions(() => 95)[0]).toMatchObject({
      side: 'SHORT',
      quantity: 5,
      averageEntryPrice: 90,
      unrealizedPnl: -25,
      charges: 10,
    });
    const cover = b.apply(fill(3, 'BUY', 5, 80, 5));
    // Short 5 covered at 80: gross (90 − 80) × 5 = 50; charges 10 + 5 = 15.
    expect(cover.trades.map(pick)).toEqual([
      { side: 'SHORT', quantity: 5, grossPnl: 50, charges: 15, netPnl: 35 },
    ]);
  });

  it('keeps strategies and brokers apart on the same instrument', () => {
    const b = new TradeBook();
    b.apply(fill(1, 'BUY', 10, 100, 0));
    const other = b.apply({ ...fill(2, 'SELL', 10, 110, 0), strategyId: 's2' });
    expect(other.kind).toBe('ENTRY');
    expect(other.trades).toEqual([]);
    const zerodha = b.apply({ ...fill(3, 'SELL', 10, 110, 0), broker: 'zerodha' });
    expect(zerodha.trades).toEqual([]);
    expect(b.position('paper', 's1', 738561)).toBe(10);
    expect(b.position('paper', 's2', 738561)).toBe(-10);
  });
});
