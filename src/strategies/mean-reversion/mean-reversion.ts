/**
 * mean_reversion (SPEC §3, the original's defaults): RSI plus Bollinger bands. BUY when the RSI is
 * oversold and the price is below the lower band, SELL when it is overbought and above the upper
 * band. Unlike the original it keeps history per instrument, computes the RSI over the last
 * `rsi_period` changes ending at this tick (no repeated last price), and is position-aware.
 */
import { z } from 'zod';
import type { MarketTick } from '../../model/index.js';
import {
  bollinger,
  POSITION_PARAMS,
  positionQuantity,
  ring,
  ringClone,
  ringLength,
  ringPush,
  ringValues,
  rsi,
  type Ring,
} from '../indicators/index.js';
import { RSI_ORDERED, RSI_PARAMS } from '../rsi/rsi.js';
import type { SignalIntent, StrategyDefinition } from '../strategy.js';

export const MeanReversionParams = z
  .object({
    lookback_periods: z
      .number()
      .int()
      .min(2)
      .default(20)
      .describe('Bollinger window, in prices (ticks)'),
    ...RSI_PARAMS,
    bollinger_std: z
      .number()
      .positive()
      .default(2)
      .describe('Band width, in sample standard deviations either side of the mean'),
    ...POSITION_PARAMS,
  })
  .refine((p) => p.rsi_oversold < p.rsi_overbought, RSI_ORDERED);
export type MeanReversionParams = z.infer<typeof MeanReversionParams>;

export interface MeanReversionState {
  /** The last max(lookback_periods, rsi_period + 1) prices of this instrument, paise. */
  prices: Ring<number>;
}

export const meanReversion: StrategyDefinition<MeanReversionParams, MeanReversionState> = {
  type: 'mean_reversion',
  summary:
    'RSI over rsi_period changes plus Bollinger bands (mean ± bollinger_std sample deviations of ' +
    'the last lookback_periods prices). BUY when RSI < rsi_oversold and the price is below the ' +
    'lower band, confidence (oversold − RSI)/20 + (lower − price)/lower; SELL what it holds when ' +
    'RSI > rsi_overbought and the price is above the upper band, confidence (RSI − overbought)/20 ' +
    '+ (price − upper)/upper; both capped at 1. History is per instrument.',
  params: MeanReversionParams,
  init: (p) => ({ prices: ring(Math.max(p.lookback_periods, p.rsi_period + 1)) }),
  clone: (s) => ({ prices: ringClone(s.prices) }),
  onTick(
    s: MeanReversionState,
    tick: MarketTick,
    p: MeanReversionParams,
    position: number,
  ): SignalIntent | null {
    ringPush(s.prices, tick.lastPrice);
    if (ringLength(s.prices) < s.prices.capacity) return null;
    const xs = ringValues(s.prices);
    const r = rsi(xs, p.rsi_period)!;
    const b = bollinger(xs, p.lookback_periods, p.bollinger_std)!;
    const price = tick.lastPrice;
    let side: 'BUY' | 'SELL' | null = null;
    let confidence = 0;
    if (r < p.rsi_oversold && price < b.lower) {
      side = 'BUY';
      confidence = (p.rsi_oversold - r) / 20 + (b.lower - price) / b.lower;
    } else if (r > p.rsi_overbought && price > b.upper) {
      side = 'SELL';
      confidence = (r - p.rsi_overbought) / 20 + (price - b.upper) / b.upper;
    }
    if (side === null) return null;
    const quantity = positionQuantity(side, p, position);
    if (quantity === null) return null;
    const band =
      side === 'BUY' ? `< lower band ${b.lower.toFixed(0)}` : `> upper band ${b.upper.toFixed(0)}`;
    return {
      side,
      quantity,
      confidence: Math.min(1, Math.max(0, confidence)),
      reasoning: `RSI${p.rsi_period} ${r.toFixed(1)} ${side === 'BUY' ? `< ${p.rsi_oversold}` : `> ${p.rsi_overbought}`} and price ${price} ${band} paise`,
    };
  },
};
