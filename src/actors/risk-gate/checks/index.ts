/** The risk gate's checks, in the order they run; every one runs, so each result is reported. */
import { cashCheck } from './cash.js';
import { instrumentCheck } from './instrument.js';
import { lotSizeCheck } from './lot-size.js';
import { marketHoursCheck } from './market-hours.js';
import { maxDailyTradesCheck } from './max-daily-trades.js';
import { maxOpenOrdersCheck } from './max-open-orders.js';
import { maxPositionCheck } from './max-position.js';
import { misCutoffCheck } from './mis-cutoff.js';
import { notionalCheck } from './notional.js';
import { orderRateCheck } from './order-rate.js';
import { orderValidityCheck } from './order-validity.js';
import { priceBandCheck } from './price-band.js';
import { quantityCheck } from './quantity.js';
import { slicingCheck } from './slicing.js';
import { tickSizeCheck } from './tick-size.js';
import { tradingStateCheck } from './trading-state.js';
import type { Check } from './check.js';

export { onlyShrinks, type Check, type GateView } from './check.js';
export {
  cashCheck,
  instrumentCheck,
  lotSizeCheck,
  marketHoursCheck,
  maxDailyTradesCheck,
  maxOpenOrdersCheck,
  maxPositionCheck,
  misCutoffCheck,
  notionalCheck,
  orderRateCheck,
  orderValidityCheck,
  priceBandCheck,
  quantityCheck,
  slicingCheck,
  tickSizeCheck,
  tradingStateCheck,
};

export const CHECKS: readonly Check[] = [
  tradingStateCheck,
  marketHoursCheck,
  misCutoffCheck,
  instrumentCheck,
  orderValidityCheck,
  quantityCheck,
  lotSizeCheck,
  tickSizeCheck,
  priceBandCheck,
  notionalCheck,
  maxPositionCheck,
  maxOpenOrdersCheck,
  maxDailyTradesCheck,
  cashCheck,
  slicingCheck,
  orderRateCheck,
];
