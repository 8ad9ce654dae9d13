/**
 * FIFO round trips: fills are matched per (broker, strategy, instrument) against the oldest open
 * lots; a fill that closes part of a lot closes part of a trade, one that goes through zero opens
 * a lot on the other side, and fees are prorated by quantity to each part (paise, exact sums).
 */
import type { BrokerName, Side } from '../../model/index.js';
import type { OpenPosition, PriceMarker, Trade } from './report-types.js';

/** A fill as the book reads it: prices and fees in paise, quantity in shares. */
export interface BookFill {
  readonly broker: BrokerName;
  readonly strategyId: string;
  readonly token: number;
  readonly symbol: string;
  readonly ts: number;
  readonly side: Side;
  readonly quantity: number;
  readonly price: number;
  readonly fees: number;
}

interface Lot {
  readonly side: 'LONG' | 'SHORT';
  readonly entryTs: number;
  readonly entryPrice: number;
  /** Shares still open. */
  quantity: number;
  /** Entry fees of the shares still open, paise. */
  fees: number;
}

interface Book {
  readonly broker: BrokerName;
  readonly strategyId: string;
  readonly token: number;
  readonly symbol: string;
  readonly lots: Lot[];
}

/** What one fill did: the trades it closed and how it changed the position. */
export interface FillOutcome {
  readonly trades: readonly Trade[];
  readonly kind: PriceMarker['kind'];
}

/** The part of `fees` for `part` of `whole` shares, rounded; the last part takes the rest. */
function prorate(fees: number, part: number, whole: number): number {
  return part === whole ? fees : Math.round((fees * part) / whole);
}

function bookKey(broker: string, strategyId: string, token: number): string {
  return `${broker}\u0000${strategyId}\u0000${token}`;
}

export class TradeBook {
  private readonly books = new Map<string, Book>();

  /** Applies a fill: closes the oldest lots of the other side first, then opens the rest. */
  apply(f: BookFill): FillOutcome {
    const key = bookKey(f.broker, f.strategyId, f.token);
    let book = this.books.get(key);
    if (book === undefined) {
      book = {
        broker: f.broker,
        strategyId: f.strategyId,
        token: f.token,
        symbol: f.symbol,
        lots: [],
      };
      this.books.set(key, book);
    }
    const opens: Lot['side'] = f.side === 'BUY' ? 'LONG' : 'SHORT';
    const trades: Trade[] = [];
    let rest = f.quantity;
    let restFees = f.fees;
    while (rest > 0 && book.lots.length > 0 && book.lots[0]!.side !== opens) {
      const lot = book.lots[0]!;
      const q = Math.min(rest, lot.quantity);
      const entryFees = prorate(lot.fees, q, lot.quantity);
      const exitFees = prorate(restFees, q, rest);
      const perShare = lot.side === 'LONG' ? f.price - lot.entryPrice : lot.entryPrice - f.price;
      const charges = entryFees + exitFees;
      trades.push({
        broker: f.broker,
        strategyId: f.strategyId,
        token: f.token,
        symbol: f.symbol,
        side: lot.side,
        quantity: q,
        entryTs: lot.entryTs,
        entryPrice: lot.entryPrice,
        exitTs: f.ts,
        exitPrice: f.price,
        grossPnl: perShare * q,
        charges,
        netPnl: perShare * q - charges,
      });
      lot.quantity -= q;
      lot.fees -= entryFees;
      rest -= q;
      restFees -= exitFees;
      if (lot.quantity === 0) book.lots.shift();
    }
    if (rest > 0)
      book.lots.push({
        side: opens,
        entryTs: f.ts,
        entryPrice: f.price,
        quantity: rest,
        fees: restFees,
      });
    const kind = trades.length === 0 ? 'ENTRY' : rest > 0 ? 'REVERSAL' : 'EXIT';
    return { trades, kind };
  }

  /** Signed open shares of (broker, strategy, instrument): positive long, negative short. */
  position(broker: string, strategyId: string, token: number): number {
    const book = this.books.get(bookKey(broker, strategyId, token));
    let q = 0;
    for (const l of book?.lots ?? []) q += l.side === 'LONG' ? l.quantity : -l.quantity;
    return q;
  }

  /** Every open position marked at `lastPrice(...)`, ordered by broker, strategy, token. */
  openPositions(
    lastPrice: (broker: BrokerName, strategyId: string, token: number) => number,
  ): OpenPosition[] {
    const out: OpenPosition[] = [];
    for (const b of this.books.values()) {
      if (b.lots.length === 0) continue;
      const side = b.lots[0]!.side;
      let quantity = 0;
      let cost = 0;
      let charges = 0;
      for (const l of b.lots) {
        quantity += l.quantity;
        cost += l.quantity * l.entryPrice;
        charges += l.fees;
      }
      const last = lastPrice(b.broker, b.strategyId, b.token);
      const perSide = side === 'LONG' ? 1 : -1;
      out.push({
        broker: b.broker,
        strategyId: b.strategyId,
        token: b.token,
        symbol: b.symbol,
        side,
        quantity,
        entryTs: b.lots[0]!.entryTs,
        averageEntryPrice: Math.round(cost / quantity),
        lastPrice: last,
        unrealizedPnl: perSide * (last * quantity - cost),
        charges,
      });
    }
    return out.sort(
      (a, b) =>
        compareText(a.broker, b.broker) ||
        compareText(a.strategyId, b.strategyId) ||
        a.token - b.token,
    );
  }
}

/** Orders text by code unit, the same on every machine (no locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
