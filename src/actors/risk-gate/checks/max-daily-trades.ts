/** Max daily trades: validated signals per strategy per IST trading day. */
import { fail, pass, type Check } from './check.js';

export const maxDailyTradesCheck: Check = (s, v, l) => {
  if (v.tradesToday + 1 > l.maxDailyTrades)
    return fail(
      'max_daily_trades',
      'MAX_DAILY_TRADES',
      `strategy ${s.strategyId} has ${v.tradesToday} validated trades on ${v.tradingDay}; limit is ${l.maxDailyTrades}`,
    );
  return pass('max_daily_trades');
};
