import { describe, expect, it } from 'vitest';
import type { StrategyConfig } from '../../model/index.js';
import { applyParamSet, parseSweepAxis, sweepGrid } from './sweep-spec.js';

const strategies = [
  { id: 'ema_cross_tcs', type: 'ema_cross', params: { fast_period: 3, slow_period: 8 } },
  { id: 'other', type: 'momentum', params: {} },
] as unknown as StrategyConfig[];

describe('sweep specs', () => {
  it('reads a range with both ends, a fractional step and a list', () => {
    expect(parseSweepAxis('strategy.ema_cross_tcs.fast_period=2..6:2', strategies).values).toEqual([
      2, 4, 6,
    ]);
    expect(
      parseSweepAxis('strategy.ema_cross_tcs.threshold=0.1..0.3:0.1', strategies).values,
    ).toEqual([0.1, 0.2, 0.3]);
    expect(parseSweepAxis('strategy.ema_cross_tcs.slow_period=5,8,13', strategies).values).toEqual([
      5, 8, 13,
    ]);
  });

  it('refuses an unknown strategy naming the nearest, and a malformed spec', () => {
    expect(() => parseSweepAxis('strategy.ema_cross_tc.fast_period=1..2:1', strategies)).toThrow(
      'no strategy "ema_cross_tc"; did you mean "ema_cross_tcs"?',
    );
    expect(() => parseSweepAxis('ema_cross_tcs.fast=1', strategies)).toThrow(
      'write strategy.<id>.<param>=a..b:step',
    );
    expect(() => parseSweepAxis('strategy.other.x=3..1:1', strategies)).toThrow('need a <= b');
  });

  it('makes the product grid and puts a set in place', () => {
    const grid = sweepGrid([
      parseSweepAxis('strategy.ema_cross_tcs.fast_period=2..3:1', strategies),
      parseSweepAxis('strategy.ema_cross_tcs.slow_period=8,9', strategies),
    ]);
    expect(grid).toEqual([
      { 'strategy.ema_cross_tcs.fast_period': 2, 'strategy.ema_cross_tcs.slow_period': 8 },
      { 'strategy.ema_cross_tcs.fast_period': 2, 'strategy.ema_cross_tcs.slow_period': 9 },
      { 'strategy.ema_cross_tcs.fast_period': 3, 'strategy.ema_cross_tcs.slow_period': 8 },
      { 'strategy.ema_cross_tcs.fast_period': 3, 'strategy.ema_cross_tcs.slow_period': 9 },
    ]);
    const applied = applyParamSet(strategies, grid[1]!);
    expect(applied[0]!.params).toEqual({ fast_period: 2, slow_period: 9 });
    expect(applied[1]).toBe(strategies[1]);
    expect(strategies[0]!.params).toEqual({ fast_period: 3, slow_period: 8 });
  });
});
