/** Slippage: moves a fill price against the order's side by a number of basis points. */
import { applyBps, paise, type Paise, type Side } from '../../model/index.js';

/**
 * Returns `price` paise made worse for `side` by `bps` basis points (BUY pays more, SELL gets
 * less), the move rounded half away from zero to the paisa. `bps` is an integer (5 = 0.05%).
 */
export function applySlippage(side: Side, price: Paise, bps: number): Paise {
  const move = applyBps(price, bps);
  return paise(side === 'BUY' ? price + move : price - move);
}
