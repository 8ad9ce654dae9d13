import { describe, expect, it } from 'vitest';
import { makeTick } from '../../../test/helpers/ticks.js';
import { NO_FILES } from '../strategy.js';
import { lowFrequencyDemo, LowFrequencyParams } from './low-frequency.js';

const EVEN = 256_266;
const ODD = 256_265;
const at = (iso: string, token = EVEN) => makeTick(token, 10_000, { ts: Date.parse(iso) });

/** The side of each tick's signal ('-' for none), one state for all the ticks. */
function sides(ticks: ReturnType<typeof at>[], over: Partial<LowFrequencyParams> = {}): string {
  const p = LowFrequencyParams.parse(over);
  const s = lowFrequencyDemo.init(p, NO_FILES);
  return ticks.map((t) => lowFrequencyDemo.onTick(s, t, p, 0)?.side ?? '-').join(' ');
}

describe('low_frequency_demo', () => {
  it('defaults to the original’s parameters', () => {
    expect(LowFrequencyParams.parse({})).toEqual({
      min_interval_seconds: 900,
      side: 'auto',
      quantity: 1,
    });
  });

  it('signals at most once per min_interval_seconds of tick time', () => {
    const t = ['2026-01-05T04:00:00Z', '2026-01-05T04:14:59Z', '2026-01-05T04:15:00Z'];
    expect(sides(t.map((x) => at(x)))).toBe('BUY - BUY');
    const p = LowFrequencyParams.parse({});
    const s = lowFrequencyDemo.init(p, NO_FILES);
    expect(lowFrequencyDemo.onTick(s, at(t[0]!), p, 0)).toEqual({
      side: 'BUY',
      quantity: 1,
      confidence: 0.5,
      reasoning: 'low-frequency demo: signal 1 on 2026-01-05 (IST), at least 900 s apart',
    });
  });

  it('takes its side from the token parity unless told', () => {
    expect(sides([at('2026-01-05T04:00:00Z', ODD)])).toBe('SELL');
    expect(sides([at('2026-01-05T04:00:00Z', ODD)], { side: 'BUY' })).toBe('BUY');
  });

  it('resets the daily cap at IST midnight (18:30 UTC), not at UTC midnight', () => {
    const cap = { min_interval_seconds: 60, max_daily_signals_per_instrument: 1 };
    const ticks = [
      '2026-01-05T18:00:00Z', // 23:30 IST on the 5th: first of the day
      '2026-01-05T18:20:00Z', // 23:50 IST: capped
      '2026-01-05T18:31:00Z', // 00:01 IST on the 6th: a new day
      '2026-01-05T23:59:00Z', // 05:29 IST on the 6th: capped
      '2026-01-06T00:01:00Z', // 05:31 IST on the 6th: a new UTC day, the same IST day
    ].map((x) => at(x));
    expect(sides(ticks, cap)).toBe('BUY - BUY - -');
  });

  it('keeps its interval per instrument (one state each)', () => {
    const p = LowFrequencyParams.parse({});
    const a = lowFrequencyDemo.init(p, NO_FILES);
    const b = lowFrequencyDemo.init(p, NO_FILES);
    expect(lowFrequencyDemo.onTick(a, at('2026-01-05T04:00:00Z'), p, 0)).not.toBeNull();
    expect(lowFrequencyDemo.onTick(b, at('2026-01-05T04:00:01Z', ODD), p, 0)).not.toBeNull();
  });
});
