/**
 * Kite's positions and holdings against the journal's: what reconciliation reports. Holdings
 * bought outside this runtime show here too; they are reported, not traded on.
 */
import type { KiteHolding, KitePosition } from './parse.js';

/** What reconciliation found that the journal did not say. */
export interface Difference {
  readonly kind: 'EXTERNAL' | 'ORDER' | 'POSITION' | 'NOT_FOUND';
  readonly detail: string;
  readonly clientOrderId?: string;
  readonly brokerOrderId?: string;
  readonly token?: number;
}
/**
 * The instruments whose net shares at Kite (net positions plus holdings, T1 included) differ from
 * the journal's `ours`, each reported once until it changes (`reported`: token → "kite/ours",
 * kept by the caller between reconciliations).
 */
export function positionDifferences(
  positions: readonly KitePosition[],
  holdings: readonly KiteHolding[],
  ours: ReadonlyMap<number, number>,
  reported: Map<number, string>,
): Difference[] {
  const kite = new Map<number, { qty: number; symbol: string }>();
  const add = (token: number, qty: number, symbol: string) =>
    kite.set(token, { qty: (kite.get(token)?.qty ?? 0) + qty, symbol });
  for (const p of positions) add(p.token, p.quantity, p.tradingsymbol);
  for (const h of holdings) add(h.token, h.quantity + h.t1Quantity, h.tradingsymbol);
  const out: Difference[] = [];
  for (const token of new Set([...kite.keys(), ...ours.keys()])) {
    const k = kite.get(token)?.qty ?? 0;
    const j = ours.get(token) ?? 0;
    if (k === j) {
      reported.delete(token);
      continue;
    }
    const key = `${k}/${j}`;
    if (reported.get(token) === key) continue;
    reported.set(token, key);
    out.push({
      kind: 'POSITION',
      token,
      detail: `${kite.get(token)?.symbol ?? token}: Kite holds ${k} (positions and holdings), the journal ${j}`,
    });
  }
  return out;
}
