/** Cash: a buy's value plus the buffer within the strategy's available cash; sells always pass. */
import { worstPriceOf } from '../resolve-order.js';
import { fail, pass, type Check } from './check.js';

export const cashCheck: Check = (s, v, l) => {
  if (s.side !== 'BUY') return pass('cash');
  const price = worstPriceOf(s, v.order, v.lastPrice);
  const cost = Math.ceil((s.quantity * price * (10_000 + l.cashBufferBps)) / 10_000);
  if (cost > v.availableCash)
    return fail(
      'cash',
      'INSUFFICIENT_CASH',
      `buy needs up to ${cost} paise (${s.quantity} × ${price} with a ${l.cashBufferBps} bps buffer); ${v.availableCash} paise available`,
    );
  return pass('cash');
};
