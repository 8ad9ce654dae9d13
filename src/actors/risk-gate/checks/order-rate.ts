/**
 * The account-wide order-rate governor: orders (slices) validated per calendar second, per
 * calendar minute and per IST trading day, shared by every strategy of the broker. A throttled
 * signal is refused (and journaled as such), never queued. A broker's own refusal for the rate
 * (Kite's 429, OrderThrottled) tightens it: nothing new passes until the window it names ends.
 */
import { fail, pass, type Check } from './check.js';

export const orderRateCheck: Check = (_s, v, l) => {
  if (v.now < v.throttledUntil)
    return fail(
      'order_rate',
      'RATE_LIMIT_PER_SECOND',
      `the broker refused an order for the account's rate (shared with every app on it); no new order until ${new Date(v.throttledUntil).toISOString()}`,
    );
  const n = v.order.slices.length;
  const windows = [
    [
      'second',
      'this calendar second',
      v.ordersThisSecond,
      l.ordersPerSecond,
      'RATE_LIMIT_PER_SECOND',
    ],
    [
      'minute',
      'this calendar minute',
      v.ordersThisMinute,
      l.ordersPerMinute,
      'RATE_LIMIT_PER_MINUTE',
    ],
    ['day', `on trading day ${v.tradingDay}`, v.ordersToday, l.ordersPerDay, 'RATE_LIMIT_PER_DAY'],
  ] as const;
  for (const [per, when, sent, limit, code] of windows)
    if (sent + n > limit)
      return fail(
        'order_rate',
        code,
        `the account has ${sent} orders ${when}; ${n} more would pass its limit of ${limit} per ${per}`,
      );
  return pass('order_rate');
};
