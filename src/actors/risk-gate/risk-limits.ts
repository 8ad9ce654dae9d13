/** A broker's risk limits: every number the gate enforces, from configuration, checked once. */
import { PRODUCTS, type BrokerLimits, type Product } from '../../model/index.js';

/**
 * The limits one risk gate enforces: the run's BrokerLimits (model; every field from
 * configuration, with its unit) plus each strategy's starting cash.
 */
export interface RiskLimits extends BrokerLimits {
  /** Each strategy's starting cash on this broker, paise (the portfolio's). */
  readonly startingCash: number;
}

type Rule = readonly [keyof RiskLimits, (v: unknown) => boolean, string];

const intAtLeast =
  (min: number) =>
  (v: unknown): boolean =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const intIn =
  (min: number, max: number) =>
  (v: unknown): boolean =>
    intAtLeast(min)(v) && (v as number) <= max;

const RULES: readonly Rule[] = [
  ['maxPositionPerInstrument', intAtLeast(0), 'an integer ≥ 0 (shares)'],
  ['priceBandBps', intAtLeast(0), 'an integer ≥ 0 (basis points)'],
  ['maxNotionalPerOrder', intAtLeast(0), 'an integer ≥ 0 (paise)'],
  ['minQuantity', intAtLeast(0), 'an integer ≥ 0 (shares)'],
  ['maxQuantity', intAtLeast(0), 'an integer ≥ 0 (shares)'],
  ['startingCash', intAtLeast(0), 'an integer ≥ 0 (paise)'],
  ['cashBufferBps', intAtLeast(0), 'an integer ≥ 0 (basis points)'],
  ['defaultProduct', (v) => PRODUCTS.includes(v as Product), `one of ${PRODUCTS.join(', ')}`],
  [
    'marketProtectionBps',
    intIn(1, 10_000),
    'an integer from 1 to 10000 (basis points; SEBI forbids unprotected market orders, so 0 is not allowed)',
  ],
  ['freezeQuantity', intAtLeast(0), 'an integer ≥ 0 (shares; 0: no slicing)'],
  ['maxSlices', intAtLeast(1), 'an integer ≥ 1 (orders)'],
  ['maxOpenOrders', intAtLeast(1), 'an integer ≥ 1 (orders)'],
  ['maxDailyTrades', intAtLeast(1), 'an integer ≥ 1 (signals)'],
  ['ordersPerSecond', intAtLeast(1), 'an integer ≥ 1 (orders)'],
  ['ordersPerMinute', intAtLeast(1), 'an integer ≥ 1 (orders)'],
  ['ordersPerDay', intAtLeast(1), 'an integer ≥ 1 (orders)'],
  [
    'allowedInstruments',
    (v) => v === null || (Array.isArray(v) && v.every(intAtLeast(1))),
    'null or a list of instrument tokens (positive integers)',
  ],
  [
    'misEntryCutoffMinute',
    intIn(0, 1440),
    'an integer from 0 to 1440 (minutes after IST midnight)',
  ],
  ['dailyLossLimitPerStrategy', intAtLeast(0), 'an integer ≥ 0 (paise; 0: off)'],
  ['dailyLossLimitPerBroker', intAtLeast(0), 'an integer ≥ 0 (paise; 0: off)'],
  ['maxDrawdownPerStrategy', intAtLeast(0), 'an integer ≥ 0 (paise; 0: off)'],
  ['lossLimitAction', (v) => v === 'REDUCING' || v === 'HALTED', 'REDUCING or HALTED'],
];

/**
 * Returns `limits` once every field is valid; throws a RangeError naming the first wrong field,
 * the value received and what it must be.
 */
export function riskLimits(limits: RiskLimits): RiskLimits {
  for (const [field, ok, must] of RULES) {
    const v = (limits as unknown as Record<string, unknown>)[field];
    if (!ok(v))
      throw new RangeError(`risk limit ${field} must be ${must}, received ${JSON.stringify(v)}`);
  }
  if (limits.maxQuantity < limits.minQuantity)
    throw new RangeError(
      `risk limit maxQuantity (${limits.maxQuantity}) must not be below minQuantity (${limits.minQuantity})`,
    );
  return limits;
}
