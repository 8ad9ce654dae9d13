/**
 * rsi (SPEC §3, the original's defaults): BUY when the RSI of one instrument's prices is below
 * `rsi_oversold`, SELL when it is above `rsi_overbought`. Unlike the original it keeps history per
 * instrument and computes the RSI over the last `rsi_period` changes ending at this tick (the
 * original repeated the current price, so its last change was always 0); it is position-aware.
 */
import { z } from 'zod';
import type { MarketTick } from '../../model/index.js';
import {
  POSITION_PARAMS,
  positionQuantity,
  ring,
  ringClone,
  ringFull,
  ringPush,
  ringValues,
  rsi as rsiOf,
  type Ring,
} from '../indicators/index.js';
import type { SignalIntent, StrategyDefinition } from '../strategy.js';

/** The RSI parameters mean_reversion shares. */
export const RSI_PARAMS = {
  rsi_period: z
    .number()
    .int()
    .min(2)
    .default(14)
    .describe('RSI window, in price changes (ticks): it needs rsi_period + 1 prices'),
  rsi_oversold: z
    .number()
    .gt(0)
    .lt(100)
    .default(30)
    .describe('RSI (0-100) below which the instrument is oversold: a BUY'),
  rsi_overbought: z
    .number()
    .gt(0)
    .lt(100)
    .default(70)
    .describe('RSI (0-100) above which the instrument is overbought: a SELL'),
};

/** The refinement every RSI-based schema applies. */
export const RSI_ORDERED = {
  message: 'rsi_oversold must be less than rsi_overbought',
  path: ['rsi_oversold'],
};

export const RsiParams = z
  .object({ ...RSI_PARAMS, ...POSITION_PARAMS })
  .refine((p) => p.rsi_oversold < p.rsi_overbought, RSI_ORDERED);
export type RsiParams = z.infer<typeof RsiParams>;

export interface RsiState {
  /** The last rsi_period + 1 prices of this instrument, paise. */
  prices: Ring<number>;
}

export const rsi: StrategyDefinition<RsiParams, RsiState> = {
  type: 'rsi',
  summary:
    'Relative strength index of one instrument’s last prices (simple averages of gains and losses ' +
    'over rsi_period changes; a window without losses, flat included, reads 100). BUY when it is ' +
    'below rsi_oversold (confidence (oversold − RSI)/oversold), SELL what it holds when above ' +
    'rsi_overbought (confidence (RSI − overbought)/(100 − overbought)). History is per instrument.',
  params: RsiParams,
  init: (p) => ({ prices: ring(p.rsi_period + 1) }),
  clone: (s) => ({ prices: ringClone(s.prices) }),
  onTick(s: RsiState, tick: MarketTick, p: RsiParams, position: number): SignalIntent | null {
    ringPush(s.prices, tick.lastPrice);
    if (!ringFull(s.prices)) return null;
    const r = rsiOf(ringValues(s.prices), p.rsi_period)!;
    const side = r < p.rsi_oversold ? 'BUY' : r > p.rsi_overbought ? 'SELL' : null;
    if (side === null) return null;
    const quantity = positionQuantity(side, p, position);
    if (quantity === null) return null;
    const confidence =
      side === 'BUY'
        ? (p.rsi_oversold - r) / p.rsi_oversold
        : (r - p.rsi_overbought) / (100 - p.rsi_overbought);
    return {
      side,
      quantity,
      confidence: Math.min(1, confidence),
      reasoning:
        side === 'BUY'
          ? `RSI${p.rsi_period} ${r.toFixed(1)} < ${p.rsi_oversold} (oversold)`
          : `RSI${p.rsi_period} ${r.toFixed(1)} > ${p.rsi_overbought} (overbought)`,
    };
  },
};
