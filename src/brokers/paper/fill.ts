/** Matching against one tick's depth: walk the book up to a worst price, or LTP ± half spread without it. */
import {
  paise,
  quantity,
  type MarketTick,
  type Paise,
  type Quantity,
  type Side,
} from '../../model/index.js';
import { bigPaise, divRound, nonNegativeInt } from './div-round.js';

export interface WalkBookOptions {
  /**
   * When the book's depth is shorter than the order: `true` fills only what the book shows
   * (`filled` < qty); `false` (default) fills the rest at the last level's price, as if that level
   * were deep enough. Five levels are a view of the book, not all of it, hence the default.
   */
  readonly allowPartial?: boolean;
  /** Assumed bid-ask spread for ticks without depth, in basis points of LTP (default 10). */
  readonly spreadBps?: number;
  /** Smallest price step, in paise (default 5, NSE equities); the least half spread used. */
  readonly tickSize?: number;
  /**
   * The worst price the order may take, paise: a limit price, or a market order's protection
   * price. A BUY takes no level above it, a SELL none below it; absent, the walk is unbounded.
   */
  readonly bound?: number;
}

export const WALK_BOOK_DEFAULTS = { allowPartial: false, spreadBps: 10, tickSize: 5 } as const;

/** One piece of a fill: `quantity` shares at `price` paise. */
export interface FillLevel {
  readonly price: Paise;
  readonly quantity: Quantity;
}

/** The result of walking a book; `filled` is 0 when nothing could fill. */
export interface BookFill {
  /** Shares filled, at most the order's quantity. */
  readonly filled: Quantity;
  /** Volume-weighted average of `levels`, in paise, rounded half away from zero; 0 if unfilled. */
  readonly averagePrice: Paise;
  /** The pieces, best first; their quantities sum to `filled`. */
  readonly levels: readonly FillLevel[];
  /** `depth`: walked the book; `ltp`: the tick had no depth, filled at LTP ± half the spread. */
  readonly source: 'depth' | 'ltp';
  /** Shares of `filled` beyond the book's depth, priced at its last level (0 with allowPartial). */
  readonly beyondDepth: Quantity;
}

/**
 * Fills a MARKET order of `qty` shares against `tick`. A BUY walks `asks` from the best, a SELL
 * walks `bids` (the tick's best-first order is relied on; empty levels, price or quantity 0, are
 * skipped). Depth shorter than the order is handled per `options.allowPartial`. A tick with no
 * depth on either side (indices, LTP-only ticks) fills entirely at LTP + half spread for a BUY,
 * LTP − half spread for a SELL; half spread = LTP × spreadBps / 20,000 rounded to the paisa, at
 * least one tick. A tick with depth on the other side only fills nothing (no counterparty), and
 * so does a no-depth tick whose fallback price would not be positive. With `options.bound` the
 * walk stops at the first level beyond it (and fills nothing past it, whatever allowPartial
 * says); a no-depth tick then fills only when LTP is at or better than the bound, at the
 * fallback price capped at the bound. Pure; prices in paise.
 */
export function walkBook(
  side: Side,
  qty: Quantity | number,
  tick: MarketTick,
  options: WalkBookOptions = {},
): BookFill {
  if (!Number.isSafeInteger(qty) || qty <= 0) {
    throw new RangeError(`walkBook: quantity must be a positive integer, received ${String(qty)}`);
  }
  const allowPartial = options.allowPartial ?? WALK_BOOK_DEFAULTS.allowPartial;
  const bids = tick.bids.filter(isLive);
  const asks = tick.asks.filter(isLive);

  const bound = options.bound;
  const beyond = (price: number): boolean =>
    bound !== undefined && (side === 'BUY' ? price > bound : price < bound);

  if (bids.length === 0 && asks.length === 0) {
    const half = halfSpread(tick.lastPrice, options);
    let price = side === 'BUY' ? tick.lastPrice + half : tick.lastPrice - half;
    if (beyond(tick.lastPrice)) return unfilled('ltp');
    if (bound !== undefined && beyond(price)) price = bound;
    if (tick.lastPrice <= 0 || price <= 0) return unfilled('ltp');
    const p = paise(price);
    return {
      filled: quantity(qty),
      averagePrice: p,
      levels: [{ price: p, quantity: quantity(qty) }],
      source: 'ltp',
      beyondDepth: quantity(0),
    };
  }

  const book = side === 'BUY' ? asks : bids;
  const levels: FillLevel[] = [];
  let remaining = qty;
  let stopped = false;
  for (const level of book) {
    if (remaining === 0) break;
    if (beyond(level.price)) {
      stopped = true;
      break;
    }
    const take = Math.min(remaining, level.quantity);
    levels.push({ price: level.price, quantity: quantity(take) });
    remaining -= take;
  }
  const last = book[book.length - 1];
  let beyondDepth = 0;
  if (remaining > 0 && !allowPartial && !stopped && last !== undefined) {
    beyondDepth = remaining;
    levels.push({ price: last.price, quantity: quantity(remaining) });
    remaining = 0;
  }
  const filled = qty - remaining;
  if (filled === 0) return unfilled('depth');
  let value = 0n;
  for (const l of levels) value += BigInt(l.price) * BigInt(l.quantity);
  return {
    filled: quantity(filled),
    averagePrice: bigPaise(divRound(value, BigInt(filled))),
    levels,
    source: 'depth',
    beyondDepth: quantity(beyondDepth),
  };
}

function isLive(level: { readonly price: number; readonly quantity: number }): boolean {
  return level.price > 0 && level.quantity > 0;
}

/** Half the assumed spread around `ltp`, in paise: ltp × spreadBps / 20,000, at least one tick. */
function halfSpread(ltp: Paise, options: WalkBookOptions): number {
  const spreadBps = options.spreadBps ?? WALK_BOOK_DEFAULTS.spreadBps;
  const tickSize = options.tickSize ?? WALK_BOOK_DEFAULTS.tickSize;
  const bps = nonNegativeInt(spreadBps, 'walkBook: spreadBps');
  const half = Number(divRound(BigInt(ltp) * bps, 20_000n));
  return Math.max(half, Number(nonNegativeInt(tickSize, 'walkBook: tickSize')));
}

function unfilled(source: BookFill['source']): BookFill {
  return {
    filled: quantity(0),
    averagePrice: paise(0),
    levels: [],
    source,
    beyondDepth: quantity(0),
  };
}
