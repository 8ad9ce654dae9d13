/**
 * Lines up two runs' orders: per (strategy, instrument, side), in time order, each order of A
 * takes the nearest-in-time unmatched order of B within the window (the earlier one on a tie).
 * Brokers are ignored when matching (a paper run against a live one) and reported on both sides.
 */
import type { JournalOrders, OrderLine } from './journal-orders.js';

export interface OrderChange {
  readonly a: OrderLine;
  readonly b: OrderLine;
  /** b's reference price − a's, paise. */
  readonly priceDiff: number;
  /** b's submission time − a's, ms. */
  readonly timeDiffMs: number;
  /** b's quantity − a's, shares. */
  readonly quantityDiff: number;
  /** b's average fill price − a's, paise; null when either did not fill. */
  readonly fillPriceDiff: number | null;
}

export interface OrderComparison {
  readonly windowMs: number;
  readonly a: { readonly runs: number; readonly orders: number };
  readonly b: { readonly runs: number; readonly orders: number };
  /** Orders paired across the runs, changed or not. */
  readonly matched: number;
  /** Paired with equal price, quantity and fill price. */
  readonly unchanged: number;
  /** Orders of B with no partner in A. */
  readonly added: readonly OrderLine[];
  /** Orders of A with no partner in B. */
  readonly removed: readonly OrderLine[];
  readonly changed: readonly OrderChange[];
}

export const DEFAULT_WINDOW_MS = 60_000;

function keyOf(o: OrderLine): string {
  return `${o.strategyId}\u0000${o.token}\u0000${o.side}`;
}

function byTime(x: OrderLine, y: OrderLine): number {
  return x.ts - y.ts || x.seq - y.seq;
}

function groups(orders: readonly OrderLine[]): Map<string, OrderLine[]> {
  const out = new Map<string, OrderLine[]>();
  for (const o of [...orders].sort(byTime)) {
    const k = keyOf(o);
    const list = out.get(k);
    if (list === undefined) out.set(k, [o]);
    else list.push(o);
  }
  return out;
}

/** Compares run A's orders with run B's (differences are B − A). */
export function compareOrders(
  a: JournalOrders,
  b: JournalOrders,
  windowMs = DEFAULT_WINDOW_MS,
): OrderComparison {
  const bGroups = groups(b.orders);
  const taken = new Set<OrderLine>();
  const removed: OrderLine[] = [];
  const changed: OrderChange[] = [];
  let matched = 0;
  for (const [key, as] of groups(a.orders)) {
    const bs = bGroups.get(key) ?? [];
    for (const x of as) {
      let best: OrderLine | null = null;
      for (const y of bs) {
        if (taken.has(y)) continue;
        const d = Math.abs(y.ts - x.ts);
        if (d > windowMs) continue;
        if (best === null || d < Math.abs(best.ts - x.ts)) best = y;
      }
      if (best === null) {
        removed.push(x);
        continue;
      }
      taken.add(best);
      matched++;
      const change: OrderChange = {
        a: x,
        b: best,
        priceDiff: best.price - x.price,
        timeDiffMs: best.ts - x.ts,
        quantityDiff: best.quantity - x.quantity,
        fillPriceDiff:
          x.fillPrice === null || best.fillPrice === null ? null : best.fillPrice - x.fillPrice,
      };
      const same =
        change.priceDiff === 0 && change.quantityDiff === 0 && x.fillPrice === best.fillPrice;
      if (!same) changed.push(change);
    }
  }
  const added = b.orders.filter((y) => !taken.has(y));
  return {
    windowMs,
    a: { runs: a.runs, orders: a.orders.length },
    b: { runs: b.runs, orders: b.orders.length },
    matched,
    unchanged: matched - changed.length,
    added: [...added].sort(byTime),
    removed: removed.sort(byTime),
    changed: changed.sort((p, q) => byTime(p.a, q.a)),
  };
}
