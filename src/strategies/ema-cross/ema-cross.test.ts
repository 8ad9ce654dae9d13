import { NO_FILES } from '../strategy.js';
import { describe, expect, it } from 'vitest';
import type { MarketTick } from '../../model/index.js';
import { SeededRandom } from '../../runtime/index.js';
import { makeTick, ticksAt } from '../../../test/helpers/ticks.js';
import type { SignalIntent } from '../strategy.js';
import { emaCross, EmaCrossParams, type EmaCrossState } from './ema-cross.js';

const TOKEN = 738561;

/** Feeds ticks and returns the index of every tick that produced a signal, with the signal. */
function feed(
  ticks: readonly MarketTick[],
  p: EmaCrossParams,
  state: EmaCrossState = emaCross.init(p, NO_FILES),
): Array<{ i: number; s: SignalIntent }> {
  const out: Array<{ i: number; s: SignalIntent }> = [];
  ticks.forEach((t, i) => {
    const s = emaCross.onTick(state, t, p, 0);
    if (s) out.push({ i, s });
  });
  return out;
}

/** Textbook EMAs of `closes` (seeded with the first close): sign of fast − slow after each bar. */
function referenceSigns(closes: readonly number[], fast: number, slow: number): number[] {
  let f = closes[0]!;
  let s = closes[0]!;
  return closes.map((c, i) => {
    if (i > 0) {
      f += (2 / (fast + 1)) * (c - f);
      s += (2 / (slow + 1)) * (c - s);
    }
    return Math.sign(f - s);
  });
}

/** Linear path from `a` to `b` in `n` steps (excluding `a`), integer paise. */
const path = (a: number, b: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => Math.round(a + ((b - a) * (i + 1)) / n));

const P = EmaCrossParams.parse({ fast_period: 3, slow_period: 6, bar_ticks: 1, quantity: 25 });

describe('ema_cross', () => {
  it('defaults to the reference workload parameters and refuses fast >= slow', () => {
    expect(EmaCrossParams.parse({})).toEqual({
      fast_period: 10,
      slow_period: 20,
      bar_ticks: 100,
      quantity: 100,
    });
    expect(EmaCrossParams.safeParse({ fast_period: 5, slow_period: 5 }).success).toBe(false);
    expect(EmaCrossParams.safeParse({ fast_period: 0 }).success).toBe(false);
  });

  it('emits BUY on an up-cross and SELL on a down-cross of bar closes, at the crossing bar', () => {
    // Down for warm-up (fast below slow), then up, then down again.
    const closes = [
      100_000,
      ...path(100_000, 95_000, 10),
      ...path(95_000, 101_000, 12),
      ...path(101_000, 94_000, 14),
    ];
    const signals = feed(ticksAt(TOKEN, closes), P);
    const ref = referenceSigns(closes, P.fast_period, P.slow_period);
    const ups = ref.flatMap((s, i) => (i >= P.slow_period && s > 0 && ref[i - 1]! < 0 ? [i] : []));
    const downs = ref.flatMap((s, i) =>
      i >= P.slow_period && s < 0 && ref[i - 1]! > 0 ? [i] : [],
    );
    expect(ups).toHaveLength(1);
    expect(downs).toHaveLength(1);
    expect(signals.map(({ i, s }) => [i, s.side])).toEqual([
      [ups[0], 'BUY'],
      [downs[0], 'SELL'],
    ]);
    // The up-cross happens on the way up, the down-cross on the way down.
    expect(ups[0]!).toBeGreaterThan(10);
    expect(ups[0]!).toBeLessThanOrEqual(22);
    expect(downs[0]!).toBeGreaterThan(22);
    for (const { s } of signals) {
      expect(s.quantity).toBe(25);
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
    }
    expect(signals[0]!.s.reasoning).toBe('EMA3 crossed above EMA6 on 1-tick bars');
    expect(signals[1]!.s.reasoning).toBe('EMA3 crossed below EMA6 on 1-tick bars');
  });

  it('emits nothing before the slow EMA is warm, even across crosses', () => {
    const closes = [100_000, 104_000, 96_000, 104_000, 96_000]; // 5 bars < slow_period 6
    const ref = referenceSigns(closes, P.fast_period, P.slow_period);
    expect(new Set(ref.slice(1)).size).toBe(2); // the EMAs do cross
    expect(feed(ticksAt(TOKEN, closes), P)).toEqual([]);
  });

  it('emits nothing without a cross: a steady trend either way', () => {
    expect(feed(ticksAt(TOKEN, path(100_000, 150_000, 300)), P)).toEqual([]);
    expect(feed(ticksAt(TOKEN, path(100_000, 60_000, 300)), P)).toEqual([]);
    expect(feed(ticksAt(TOKEN, new Array<number>(300).fill(100_000)), P)).toEqual([]);
  });

  it('reads only the last tick of each bar as its close', () => {
    const closes = [
      100_000,
      ...path(100_000, 95_000, 10),
      ...path(95_000, 101_000, 12),
      ...path(101_000, 94_000, 14),
    ];
    const p3 = { ...P, bar_ticks: 3 };
    const rnd = new SeededRandom(8);
    // Two wild ticks inside every bar; only the third tick is the close.
    const prices = closes.flatMap((c) => [
      c + Math.round((rnd.next() - 0.5) * 40_000),
      c + Math.round((rnd.next() - 0.5) * 40_000),
      c,
    ]);
    const byBar = feed(ticksAt(TOKEN, closes), P);
    const byTick = feed(ticksAt(TOKEN, prices), p3);
    expect(byBar).toHaveLength(2);
    expect(byTick.map(({ i, s }) => [i, s.side])).toEqual(
      byBar.map(({ i, s }) => [3 * i + 2, s.side]),
    );
    expect(byTick.map(({ s }) => s.reasoning)).toEqual([
      'EMA3 crossed above EMA6 on 3-tick bars',
      'EMA3 crossed below EMA6 on 3-tick bars',
    ]);
  });

  it('clone returns an independent copy that continues identically', () => {
    const warm = [100_000, ...path(100_000, 95_000, 10)];
    const state = emaCross.init(P, NO_FILES);
    feed(ticksAt(TOKEN, warm), P, state);
    const frozen = structuredClone(state);
    const copy = emaCross.clone(state);
    expect(copy).toEqual(state);
    expect(copy).not.toBe(state);

    const rest = ticksAt(TOKEN, [...path(95_000, 101_000, 12), ...path(101_000, 94_000, 14)]);
    const fromCopy = feed(rest, P, copy);
    expect(fromCopy).toHaveLength(2);
    expect(state).toEqual(frozen); // the original did not move
    expect(feed(rest, P, state)).toEqual(fromCopy);
    expect(state).toEqual(copy);
  });

  it('keeps no state outside the object it is given', () => {
    const a = emaCross.init(P, NO_FILES);
    const b = emaCross.init(P, NO_FILES);
    const t = makeTick(TOKEN, 100_000);
    emaCross.onTick(a, t, P, 0);
    expect(a).not.toEqual(b);
    expect(b).toEqual(emaCross.init(P, NO_FILES));
  });
});
