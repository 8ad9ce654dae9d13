/** A broker's risk limits: every number the gate enforces, from configuration, checked once. */
import { PRODUCTS, type InstrumentToken, type Product } from '../../model/index.js';

/**
 * The limits one risk gate enforces. Every field comes from configuration (per broker); the code
 * holds no market-rule number of its own. Quantities are shares, money is paise, rates are basis
 * points (1 bp = 0.01%).
 */
export interface RiskLimits {
  /** Largest absolute position per strategy and instrument, shares (filled plus validated). */
  readonly maxPositionPerInstrument: number;
  /** Largest distance of the order price from the last tick, basis points (1000 = 10%). */
  readonly priceBandBps: number;
  /** Largest value of one order, paise. */
  readonly maxNotionalPerOrder: number;
  /** Smallest quantity of one signal, shares. */
  readonly minQuantity: number;
  /** Largest quantity of one signal (before slicing), shares. */
  readonly maxQuantity: number;
  /** Each strategy's starting cash on this broker, paise (the portfolio's). */
  readonly startingCash: number;
  /** Margin over a buy's value kept for slippage and charges, basis points. */
  readonly cashBufferBps: number;
  /** The product of an order whose signal names none. */
  readonly defaultProduct: Product;
  /**
   * Market protection of MARKET and SL-M orders, basis points from the reference price (SEBI
   * 2026: never unprotected, so it must be more than 0; at most 10000).
   */
  readonly marketProtectionBps: number;
  /** Largest quantity of one order the exchange accepts, shares; larger ones are sliced. 0: no slicing. */
  readonly freezeQuantity: number;
  /** Most slices one signal may be split into, orders. */
  readonly maxSlices: number;
  /** Most open orders (slices placed and not yet final) per strategy, orders. */
  readonly maxOpenOrders: number;
  /** Most validated signals per strategy per IST trading day, signals. */
  readonly maxDailyTrades: number;
  /** Orders (slices) per calendar second for the whole account, orders. */
  readonly ordersPerSecond: number;
  /** Orders (slices) per calendar minute for the whole account, orders. */
  readonly ordersPerMinute: number;
  /** Orders (slices) per IST trading day for the whole account, orders. */
  readonly ordersPerDay: number;
  /** The instrument tokens that may be traded; null: every tradable instrument of the run. */
  readonly allowedInstruments: readonly InstrumentToken[] | null;
  /**
   * New MIS positions (opening or growing) are refused from this minute after IST midnight on,
   * minutes (0–1440; 1440: never).
   */
  readonly misEntryCutoffMinute: number;
  /** Loss since the day's start past which a strategy is restricted, paise; 0: off. */
  readonly dailyLossLimitPerStrategy: number;
  /** Loss of all the broker's strategies together since the day's start, paise; 0: off. */
  readonly dailyLossLimitPerBroker: number;
  /** Fall of a strategy's equity from its peak past which it is restricted, paise; 0: off. */
  readonly maxDrawdownPerStrategy: number;
  /** What a breached loss limit moves the strategy (or the broker) to. */
  readonly lossLimitAction: 'REDUCING' | 'HALTED';
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
