/** Max open orders: a strategy's open orders (slices) plus this signal's within the limit. */
import { fail, pass, type Check } from './check.js';

export const maxOpenOrdersCheck: Check = (s, v, l) => {
  const n = v.order.slices.length;
  if (v.openOrders + n > l.maxOpenOrders)
    return fail(
      'max_open_orders',
      'MAX_OPEN_ORDERS',
      `strategy ${s.strategyId} has ${v.openOrders} open orders; ${n} more would pass the limit of ${l.maxOpenOrders}`,
    );
  return pass('max_open_orders');
};
