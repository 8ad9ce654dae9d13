/** MockMarket's configuration: the scenario table, the config type, its defaults and validation. */

import { MOCK_SCENARIOS, type MockScenario } from './scenarios.js';

export { MOCK_SCENARIOS, type MockScenario };

export interface MockMarketConfig {
  readonly scenario: MockScenario;
  /** Annualised volatility of log returns, as a fraction (0.2 = 20%); 252 trading days a year. */
  readonly annualVolatility: number;
  /** Ticks per instrument that make one trading day: sets dt and when the session rolls over. */
  readonly ticksPerDay: number;
  /** Quoted bid/ask spread in basis points of the price; never less than one tick. */
  readonly spreadBps: number;
  /** Depth levels per side for stocks, 0 to 5 (indices never have depth). */
  readonly depthLevels: number;
  /** Standard deviation of the last trade's noise around the mid, as a fraction (0.0005 = 0.05%). */
  readonly noise: number;
  /** Ticks into each day, per instrument, at which `breakout` and `reversal` switch phase. */
  readonly switchAfter: number;
}

/** Per-day drift, multipliers on volatility, volume and spread, and per-day pull to the day's open. */
export interface Regime {
  readonly drift: number;
  readonly vol: number;
  readonly volume: number;
  readonly spread: number;
  readonly range: number;
}

const regime = (drift: number, vol: number, volume: number, spread: number, range = 0): Regime => ({
  drift,
  vol,
  volume,
  spread,
  range,
});
const RANGING = regime(0, 0.7, 0.8, 1, 2.25);
/** Phase before and after `switchAfter`; drift is multiplied by each instrument's direction. */
export const REGIMES: Record<MockScenario, readonly [Regime, Regime]> = {
  normal: [regime(0, 1, 1, 1), regime(0, 1, 1, 1)],
  trending_bull: [regime(0.02, 1, 1.3, 1), regime(0.02, 1, 1.3, 1)],
  trending_bear: [regime(-0.02, 1.2, 1.4, 1.1), regime(-0.02, 1.2, 1.4, 1.1)],
  ranging: [RANGING, RANGING],
  high_volatility: [regime(0, 2.5, 1.8, 2), regime(0, 2.5, 1.8, 2)],
  low_volatility: [regime(0, 0.4, 0.6, 0.8), regime(0, 0.4, 0.6, 0.8)],
  market_open: [regime(0, 1.8, 2.5, 1.5), regime(0, 1.8, 2.5, 1.5)],
  market_close: [regime(0, 1.3, 2, 1.2), regime(0, 1.3, 2, 1.2)],
  breakout: [regime(0, 0.6, 0.7, 1, 2.25), regime(0.04, 1.6, 2.5, 1.3)],
  reversal: [regime(0.03, 1.1, 1.3, 1), regime(-0.03, 1.3, 1.6, 1.1)],
};

const DEFAULTS: MockMarketConfig = {
  scenario: 'normal',
  annualVolatility: 0.2,
  ticksPerDay: 22_500,
  spreadBps: 10,
  depthLevels: 5,
  noise: 0.0005,
  switchAfter: 11_250,
};

/**
 * Fills `partial` from the defaults (`switchAfter` defaults to half of `ticksPerDay`) and checks
 * every field; throws a RangeError naming the field, the rule and the value received.
 */
export function resolveConfig(partial: Partial<MockMarketConfig> | undefined): MockMarketConfig {
  const ticksPerDay = partial?.ticksPerDay ?? DEFAULTS.ticksPerDay;
  const c: MockMarketConfig = {
    ...DEFAULTS,
    switchAfter: Math.floor(ticksPerDay / 2),
    ...partial,
  };
  const bad = (field: string, rule: string, got: unknown): never => {
    throw new RangeError(`MockMarket config ${field} must be ${rule}, got ${String(got)}`);
  };
  if (!MOCK_SCENARIOS.includes(c.scenario))
    bad('scenario', `one of ${MOCK_SCENARIOS.join(', ')}`, c.scenario);
  if (!(c.annualVolatility > 0 && c.annualVolatility <= 5))
    bad('annualVolatility', 'in (0, 5]', c.annualVolatility);
  if (!Number.isSafeInteger(c.ticksPerDay) || c.ticksPerDay <= 0)
    bad('ticksPerDay', 'a positive integer', c.ticksPerDay);
  if (!(c.spreadBps >= 0 && c.spreadBps <= 1000)) bad('spreadBps', 'in [0, 1000]', c.spreadBps);
  if (!Number.isInteger(c.depthLevels) || c.depthLevels < 0 || c.depthLevels > 5)
    bad('depthLevels', 'an integer 0..5', c.depthLevels);
  if (!(c.noise >= 0 && c.noise < 0.05)) bad('noise', 'in [0, 0.05)', c.noise);
  if (!Number.isInteger(c.switchAfter) || c.switchAfter < 0)
    bad('switchAfter', 'a non-negative integer', c.switchAfter);
  return c;
}
