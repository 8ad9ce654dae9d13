import { NO_FILES } from '../strategy.js';
import { describe, expect, it } from 'vitest';
import type { MarketTick } from '../../model/index.js';
import { ticksAt } from '../../../test/helpers/ticks.js';
import type { SignalIntent } from '../strategy.js';
import { momentum, MomentumParams, type MomentumState } from './momentum.js';

const TOKEN = 2953217;
const P = MomentumParams.parse({
  lookback_periods: 3,
  threshold: 0.01,
  position_size: 10,
  max_position: 20,
});

/** Feeds prices (paise) at a fixed position and returns the signal of the last tick. */
function last(
  prices: readonly number[],
  position: number,
  p: MomentumParams = P,
  state: MomentumState = momentum.init(p, NO_FILES),
): SignalIntent | null {
  let s: SignalIntent | null = null;
  for (const t of ticksAt(TOKEN, prices)) s = momentum.onTick(state, t, p, position);
  return s;
}

/** Every signal of a run, with the tick index, at a fixed position. */
function all(ticks: readonly MarketTick[], position: number, p = P): Array<[number, string]> {
  const st = momentum.init(p, NO_FILES);
  return ticks.flatMap((t, i) => {
    const s = momentum.onTick(st, t, p, position);
    return s ? [[i, s.side] as [number, string]] : [];
  });
}

describe('momentum', () => {
  it('defaults to the original’s parameters', () => {
    expect(MomentumParams.parse({})).toEqual({
      lookback_periods: 20,
      threshold: 0.01,
      position_size: 100,
    });
    expect(MomentumParams.safeParse({ threshold: 0 }).success).toBe(false);
    expect(MomentumParams.safeParse({ lookback_periods: 1 }).success).toBe(false);
  });

  it('waits for a full lookback window', () => {
    expect(last([10_000, 20_000], 0)).toBeNull();
    expect(last([10_000, 10_000, 20_000], 0)?.side).toBe('BUY');
  });

  it('buys only above the threshold (strictly)', () => {
    expect(last([10_000, 10_050, 10_100], 0)).toBeNull(); // +1.00% exactly
    const s = last([10_000, 10_050, 10_101], 0); // +1.01%
    expect(s).toMatchObject({ side: 'BUY', quantity: 10 });
    expect(s!.confidence).toBeCloseTo(0.0505, 10);
    expect(s!.reasoning).toBe('momentum 1.01% over 3 ticks > 1%');
  });

  it('measures the change from the oldest price in the window, sliding it', () => {
    // Window [10100, 10000, 10150]: +0.50% from 10100 → nothing, although +1.5% from 10000.
    expect(last([10_000, 10_100, 10_000, 10_150], 0)).toBeNull();
    // Window [10000, 10150, 10102]: +1.02% from 10000.
    expect(last([10_100, 10_000, 10_150, 10_102], 0)?.side).toBe('BUY');
  });

  it('sells only below −threshold and only when holding', () => {
    expect(last([10_000, 9_950, 9_900], 5)).toBeNull(); // −1.00% exactly
    expect(last([10_000, 9_950, 9_899], 5)).toMatchObject({ side: 'SELL', quantity: 5 });
    expect(last([10_000, 9_950, 9_899], 0)).toBeNull();
    expect(last([10_000, 9_950, 9_899], -10)).toBeNull();
    // Sells at most position_size at a time.
    expect(last([10_000, 9_950, 9_899], 35)).toMatchObject({ side: 'SELL', quantity: 10 });
  });

  it('does not buy beyond max_position', () => {
    const up = [10_000, 10_100, 10_200];
    expect(last(up, 0)?.side).toBe('BUY');
    expect(last(up, 10)?.side).toBe('BUY'); // 10 + 10 = 20 = max
    expect(last(up, 11)).toBeNull();
    expect(last(up, 20)).toBeNull();
    // Without max_position it builds one position_size at most.
    const p = MomentumParams.parse({ lookback_periods: 3, threshold: 0.01, position_size: 10 });
    expect(last(up, 0, p)?.side).toBe('BUY');
    expect(last(up, 1, p)).toBeNull();
  });

  it('signals on every tick while the move lasts (the actor tracks the position)', () => {
    const ticks = ticksAt(TOKEN, [10_000, 10_000, 10_200, 10_400, 10_600, 10_600, 10_600]);
    expect(all(ticks, 0)).toEqual([
      [2, 'BUY'],
      [3, 'BUY'],
      [4, 'BUY'],
      [5, 'BUY'], // window [10400, 10600, 10600]: still +1.9%
    ]);
    expect(all(ticks, 20)).toEqual([]);
  });

  it('clone returns an independent copy', () => {
    const s = momentum.init(P, NO_FILES);
    last([10_000, 10_100], 0, P, s);
    const frozen = structuredClone(s);
    const c = momentum.clone(s);
    expect(c).toEqual(s);
    expect(c.prices).not.toBe(s.prices);
    expect(last([10_300, 10_400, 10_500], 0, P, c)?.side).toBe('BUY');
    expect(s).toEqual(frozen);
    expect(last([10_300], 0, P, s)).toEqual(last([10_300], 0, P, momentum.clone(frozen)));
  });
});
