/**
 * The market's, the exchange's and the broker's rules (`config/market-rules.yaml`): the Kite
 * order-rate limits, modifications and slices per order, market protection, and Zerodha's MIS
 * square-off and entry cut-off, and the historical candle API's rate and per-request spans. The
 * numbers live in the file, with their sources.
 */
import { z } from 'zod';
import { marketFilePath } from './market-files.js';
import { readYamlFile } from './yaml-file.js';

const count = z.number().int().positive();

/** Kite's candle intervals, as its historical API names them. */
export const HISTORICAL_INTERVALS = [
  'minute',
  '3minute',
  '5minute',
  '10minute',
  '15minute',
  '30minute',
  '60minute',
  'day',
] as const;
export type HistoricalInterval = (typeof HISTORICAL_INTERVALS)[number];
/** "HH:MM" IST → minutes after IST midnight. */
const istTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as "HH:MM" (IST, 24-hour)')
  .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));

const MarketRulesSchema = z.strictObject({
  source: z.string().min(1, 'name where the numbers come from'),
  order_rate: z.strictObject({ per_second: count, per_minute: count, per_day: count }),
  orders: z.strictObject({
    max_modifications: count,
    max_slices: count,
    market_protection_percent: z
      .number()
      .gt(0, 'must be above 0: SEBI 2026 rules forbid unprotected market orders')
      .max(100)
      .refine((p) => Number.isInteger(p * 100), 'use whole basis points (a multiple of 0.01)'),
  }),
  mis: z.strictObject({ square_off: istTime, entry_cutoff: istTime }),
  historical: z.strictObject({
    requests_per_second: count,
    max_days: z.strictObject(
      Object.fromEntries(HISTORICAL_INTERVALS.map((i) => [i, count])) as Record<
        HistoricalInterval,
        typeof count
      >,
    ),
  }),
});

/** The rules as the runtime uses them (times in minutes after IST midnight). */
export interface MarketRules {
  readonly source: string;
  readonly ordersPerSecond: number;
  readonly ordersPerMinute: number;
  readonly ordersPerDay: number;
  readonly maxModifications: number;
  readonly maxSlices: number;
  /** Basis points (200 = 2%). */
  readonly marketProtectionBps: number;
  readonly misSquareOffMinute: number;
  readonly misEntryCutoffMinute: number;
  /** Kite's historical candle API: requests per second. */
  readonly historicalRequestsPerSecond: number;
  /** Kite's historical candle API: days one request may span, by interval. */
  readonly historicalMaxDays: Readonly<Record<HistoricalInterval, number>>;
}

export function loadMarketRules(configDir: string): MarketRules {
  const path = marketFilePath(configDir, 'market-rules.yaml');
  const r = readYamlFile(
    path,
    MarketRulesSchema,
    'set CONFIG_DIR to the folder holding market-rules.yaml (the repository ships one in config/)',
  );
  return {
    source: r.source,
    ordersPerSecond: r.order_rate.per_second,
    ordersPerMinute: r.order_rate.per_minute,
    ordersPerDay: r.order_rate.per_day,
    maxModifications: r.orders.max_modifications,
    maxSlices: r.orders.max_slices,
    marketProtectionBps: Math.round(r.orders.market_protection_percent * 100),
    misSquareOffMinute: r.mis.square_off,
    misEntryCutoffMinute: r.mis.entry_cutoff,
    historicalRequestsPerSecond: r.historical.requests_per_second,
    historicalMaxDays: r.historical.max_days,
  };
}
