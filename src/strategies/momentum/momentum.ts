/**
 * momentum (SPEC §3, the original's defaults): over the last `lookback_periods` prices of one
 * instrument, BUY when the change exceeds `threshold`, SELL when it falls below −threshold.
 * Unlike the original it keeps history per instrument, and it is position-aware: it buys up to
 * `max_position` and sells only what it holds, instead of emitting on every tick.
 */
import { z } from 'zod';
import type { MarketTick } from '../../model/index.js';
import { POSITION_PARAMS } from '../indicators/position.js';
import type { SignalIntent, StrategyDefinition } from '../strategy.js';

export const MomentumParams = z.object({
  lookback_periods: z
    .number()
    .int()
    .min(2)
    .default(20)
    .describe('Window of prices (ticks); the change is from its oldest price to this tick'),
  threshold: z
    .number()
    .positive()
    .default(0.01)
    .describe('Least change over the window for a signal, a fraction (0.01 = 1%)'),
  ...POSITION_PARAMS,
});
export type MomentumParams = z.infer<typeof MomentumParams>;

export interface MomentumState {
  /** Ring buffer of the last `lookback_periods` prices, paise. */
  prices: number[];
  next: number;
  filled: number;
}

export const momentum: StrategyDefinition<MomentumParams, MomentumState> = {
  type: 'momentum',
  summary:
    'The change m of one instrument’s price over its last lookback_periods prices (from the ' +
    'oldest to this tick). BUY when m > threshold, SELL what it holds when m < −threshold; ' +
    'confidence min(1, 5·|m|). History is per instrument.',
  params: MomentumParams,
  init: (p) => ({ prices: new Array<number>(p.lookback_periods).fill(0), next: 0, filled: 0 }),
  clone: (s) => ({ prices: s.prices.slice(), next: s.next, filled: s.filled }),
  onTick(
    s: MomentumState,
    tick: MarketTick,
    p: MomentumParams,
    position: number,
  ): SignalIntent | null {
    const n = p.lookback_periods;
    s.prices[s.next] = tick.lastPrice;
    s.next = (s.next + 1) % n;
    if (s.filled < n) s.filled++;
    if (s.filled < n) return null;
    const oldest = s.prices[s.next]!;
    if (oldest <= 0) return null;
    const m = (tick.lastPrice - oldest) / oldest;
    const maxPos = p.max_position ?? p.position_size;
    const confidence = Math.min(1, 5 * Math.abs(m));
    if (m > p.threshold && position + p.position_size <= maxPos) {
      return {
        side: 'BUY',
        quantity: p.position_size,
        confidence,
        reasoning: `momentum ${(m * 100).toFixed(2)}% over ${n} ticks > ${p.threshold * 100}%`,
      };
    }
    if (m < -p.threshold && position > 0) {
      return {
        side: 'SELL',
        quantity: Math.min(position, p.position_size),
        confidence,
        reasoning: `momentum ${(m * 100).toFixed(2)}% over ${n} ticks < -${p.threshold * 100}%`,
      };
    }
    return null;
  },
};
