/** Notional: one order's value at the highest price it names or the market shows. */
import { worstPriceOf } from '../resolve-order.js';
import { fail, pass, type Check } from './check.js';

export const notionalCheck: Check = (s, v, l) => {
  const price = worstPriceOf(s, v.order, v.lastPrice);
  const value = s.quantity * price;
  if (value > l.maxNotionalPerOrder)
    return fail(
      'notional',
      'NOTIONAL_EXCEEDS_MAX_PER_ORDER',
      `order value ${value} paise (${s.quantity} × ${price}) > maximum ${l.maxNotionalPerOrder} paise`,
    );
  return pass('notional');
};
