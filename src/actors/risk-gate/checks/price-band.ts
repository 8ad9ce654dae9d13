/** Price band: the order's price within the configured distance of the last tick. */
import { orderPriceOf } from '../resolve-order.js';
import { fail, pass, type Check } from './check.js';

export const priceBandCheck: Check = (s, v, l) => {
  const last = v.lastPrice;
  if (last === undefined || last <= 0)
    return fail('price_band', 'NO_REFERENCE_PRICE', `no tick seen yet for instrument ${s.token}`);
  const price = orderPriceOf(s, v.order);
  // Integer comparison: |price − last| × 10000 > band × last, no rounding at the edge.
  const distance = Math.abs(price - last) * 10_000;
  if (distance > l.priceBandBps * last)
    return fail(
      'price_band',
      'PRICE_OUTSIDE_BAND',
      `${v.order.orderType} price ${price} paise is ${(distance / last).toFixed(0)} bps from the last tick ${last} paise; band is ${l.priceBandBps} bps`,
    );
  return pass('price_band');
};
