/** Position accounting in integer paise: average cost, realized and unrealized PnL, cash and fees. */
import { signedQuantity, type OrderFilled } from '../../model/index.js';

export interface Holding {
  /** Signed shares; negative is short. */
  readonly quantity: number;
  /** Signed cost of the open quantity, paise (quantity × average price, kept exact). */
  readonly cost: number;
  readonly lastPrice: number;
  /** Gross realized PnL on this instrument, paise (before fees). */
  readonly realized: number;
}

export const EMPTY_HOLDING: Holding = { quantity: 0, cost: 0, lastPrice: 0, realized: 0 };

/** Rounds a/b to the nearest integer, halves away from zero. */
function divRound(a: number, b: number): number {
  const q = a / b;
  return q < 0 ? -Math.round(-q) : Math.round(q);
}

/** Applies one fill to a holding. Closing trades realize PnL against the average cost. */
export function applyFill(
  h: Holding,
  f: Pick<OrderFilled, 'side' | 'quantity' | 'price'>,
): Holding {
  const q = signedQuantity(f.side, f.quantity);
  let { quantity, cost, realized } = h;
  if (quantity === 0 || Math.sign(quantity) === Math.sign(q)) {
    return { quantity: quantity + q, cost: cost + q * f.price, lastPrice: f.price, realized };
  }
  const closing = Math.min(Math.abs(q), Math.abs(quantity));
  const removed = divRound(cost * closing, Math.abs(quantity));
  const sign = Math.sign(quantity);
  realized += sign * f.price * closing - removed;
  cost -= removed;
  quantity -= sign * closing;
  const rest = Math.abs(q) - closing;
  if (quantity === 0) cost = 0;
  if (rest > 0) {
    const r = Math.sign(q) * rest;
    quantity = r;
    cost = r * f.price;
  }
  return { quantity, cost, lastPrice: f.price, realized };
}

/** Unrealized PnL of a holding at its last price, paise. */
export function unrealized(h: Holding): number {
  return h.quantity === 0 ? 0 : h.quantity * h.lastPrice - h.cost;
}

/** Average price of the open quantity, paise (rounded). */
export function averagePrice(h: Holding): number {
  return h.quantity === 0 ? 0 : Math.abs(divRound(h.cost, h.quantity));
}
