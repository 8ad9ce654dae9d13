/**
 * low_frequency_demo (SPEC §3, the original's defaults): one signal per instrument at most every
 * `min_interval_seconds`, with an optional daily cap per instrument that resets at IST midnight
 * (the original reset it at UTC midnight, 05:30 IST, in the middle of no session but on the wrong
 * date). Time is the tick's exchange time only. A demo of the pipeline, not a trading idea: it
 * emits its fixed side whatever it holds, so the risk gate's limits are what stop it.
 */
import { z } from 'zod';
import { istDate, type MarketTick } from '../../model/index.js';
import type { SignalIntent, StrategyDefinition } from '../strategy.js';

export const LowFrequencyParams = z.object({
  min_interval_seconds: z
    .number()
    .int()
    .min(1)
    .default(900)
    .describe('Least time between two signals of one instrument, seconds of exchange time'),
  max_daily_signals_per_instrument: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Most signals per instrument per IST day (absent: no cap)'),
  side: z
    .enum(['auto', 'BUY', 'SELL'])
    .default('auto')
    .describe('Side of every signal; auto: BUY for an even instrument token, SELL for an odd one'),
  quantity: z.number().int().min(1).default(1).describe('Shares per signal'),
});
export type LowFrequencyParams = z.infer<typeof LowFrequencyParams>;

export interface LowFrequencyState {
  /** Exchange time of its last signal on this instrument, epoch ms; null before the first. */
  lastSignalTs: number | null;
  /** IST date ('YYYY-MM-DD') that `today` counts. */
  day: string | null;
  /** Signals on this instrument on `day`. */
  today: number;
}

export const lowFrequencyDemo: StrategyDefinition<LowFrequencyParams, LowFrequencyState> = {
  type: 'low_frequency_demo',
  summary:
    'A pipeline demo: on the first tick of an instrument and then at most once every ' +
    'min_interval_seconds of exchange time, a signal of `quantity` on a fixed side (auto: even ' +
    'token BUY, odd SELL), confidence 0.5, whatever it holds. An optional cap per instrument per ' +
    'IST day resets at IST midnight.',
  params: LowFrequencyParams,
  init: () => ({ lastSignalTs: null, day: null, today: 0 }),
  clone: (s) => ({ ...s }),
  onTick(s: LowFrequencyState, tick: MarketTick, p: LowFrequencyParams): SignalIntent | null {
    if (s.lastSignalTs !== null && tick.ts - s.lastSignalTs < p.min_interval_seconds * 1000) {
      return null;
    }
    const day = istDate(tick.ts);
    if (day !== s.day) {
      s.day = day;
      s.today = 0;
    }
    const cap = p.max_daily_signals_per_instrument;
    if (cap !== undefined && s.today >= cap) return null;
    s.lastSignalTs = tick.ts;
    s.today++;
    const side = p.side === 'auto' ? (tick.token % 2 === 0 ? 'BUY' : 'SELL') : p.side;
    return {
      side,
      quantity: p.quantity,
      confidence: 0.5,
      reasoning:
        `low-frequency demo: signal ${s.today}${cap !== undefined ? ` of ${cap}` : ''} on ${day} (IST), ` +
        `at least ${p.min_interval_seconds} s apart`,
    };
  },
};
