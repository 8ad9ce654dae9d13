/** Market hours: no order while the market is closed (the market calendar decides). */
import { fail, pass, type Check } from './check.js';

export const marketHoursCheck: Check = (_s, v) =>
  v.marketOpen
    ? pass('market_hours')
    : fail(
        'market_hours',
        'MARKET_CLOSED',
        `the market is closed at ${new Date(v.now).toISOString()} (IST minute ${v.minuteOfDay} of trading day ${v.tradingDay})`,
      );
