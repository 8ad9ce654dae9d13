/**
 * ema_cross: fast and slow EMAs of the closes of N-tick bars; a market order of a fixed size on
 * each cross (BUY when the fast crosses above the slow, SELL when below). The example strategy
 * other engines ship, used by the benchmark's reference workload.
 */
import { z } from 'zod';
import type { MarketTick } from '../../model/index.js';
import type { SignalIntent, StrategyDefinition } from '../strategy.js';

export const EmaCrossParams = z
  .object({
    fast_period: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Fast EMA period, in bars; less than slow_period'),
    slow_period: z.number().int().min(2).default(20).describe('Slow EMA period, in bars'),
    bar_ticks: z
      .number()
      .int()
      .min(1)
      .default(100)
      .describe('Ticks per bar: the EMAs are of the last price of every bar_ticks-th tick'),
    quantity: z.number().int().min(1).default(100).describe('Shares per signal'),
  })
  .refine((p) => p.fast_period < p.slow_period, {
    message: 'fast_period must be less than slow_period',
  });
export type EmaCrossParams = z.infer<typeof EmaCrossParams>;

export interface EmaCrossState {
  ticksInBar: number;
  bars: number;
  fast: number;
  slow: number;
  /** Sign of fast − slow at the previous bar: 1, -1 or 0 before the slow EMA is warm. */
  lastSign: number;
}

export const emaCross: StrategyDefinition<EmaCrossParams, EmaCrossState> = {
  type: 'ema_cross',
  summary:
    'Fast and slow EMAs (alpha 2/(period + 1)) of the closes of bar_ticks-tick bars, seeded ' +
    'with the first close and warm after slow_period bars. BUY `quantity` when the fast crosses ' +
    'above the slow, SELL when it crosses below, whatever it holds; confidence min(1, 100 · ' +
    '|fast − slow|/slow). fast_period must be less than slow_period.',
  params: EmaCrossParams,
  init: () => ({ ticksInBar: 0, bars: 0, fast: 0, slow: 0, lastSign: 0 }),
  clone: (s) => ({ ...s }),
  onTick(s: EmaCrossState, tick: MarketTick, p: EmaCrossParams): SignalIntent | null {
    if (++s.ticksInBar < p.bar_ticks) return null;
    s.ticksInBar = 0;
    const close = tick.lastPrice;
    s.bars++;
    if (s.bars === 1) {
      s.fast = close;
      s.slow = close;
      return null;
    }
    s.fast += (2 / (p.fast_period + 1)) * (close - s.fast);
    s.slow += (2 / (p.slow_period + 1)) * (close - s.slow);
    if (s.bars < p.slow_period) return null;
    const sign = s.fast > s.slow ? 1 : s.fast < s.slow ? -1 : 0;
    const prev = s.lastSign;
    if (sign !== 0) s.lastSign = sign;
    if (prev === 0 || sign === 0 || sign === prev) return null;
    const gap = Math.abs(s.fast - s.slow) / s.slow;
    return {
      side: sign > 0 ? 'BUY' : 'SELL',
      quantity: p.quantity,
      confidence: Math.min(1, gap * 100),
      reasoning: `EMA${p.fast_period} ${sign > 0 ? 'crossed above' : 'crossed below'} EMA${p.slow_period} on ${p.bar_ticks}-tick bars`,
    };
  },
};
