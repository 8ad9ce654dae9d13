/** Stable codes for refusals: risk denials and order rejections. */

export const DENIAL_CODES = [
  'POSITION_EXCEEDS_MAX_PER_INSTRUMENT',
  'PRICE_OUTSIDE_BAND',
  'NO_REFERENCE_PRICE',
  'NOTIONAL_EXCEEDS_MAX_PER_ORDER',
  'INSUFFICIENT_CASH',
  'QUANTITY_BELOW_MIN',
  'QUANTITY_ABOVE_MAX',
  'TRADING_HALTED',
  'REDUCE_ONLY',
] as const;
export type DenialCode = (typeof DENIAL_CODES)[number];

export const ORDER_REJECT_CODES = [
  'INSUFFICIENT_CASH',
  'NO_POSITION_TO_SELL',
  'NO_MARKET_DATA',
  'NO_LIQUIDITY',
  'BROKER_ERROR',
] as const;
export type OrderRejectCode = (typeof ORDER_REJECT_CODES)[number];
