import { describe, expect, it } from 'vitest';
import { ticksAt } from '../../../test/helpers/ticks.js';
import { NO_FILES, type SignalIntent } from '../strategy.js';
import { rsi, RsiParams } from './rsi.js';

const TOKEN = 2953217;
const P = RsiParams.parse({ rsi_period: 4, position_size: 10, max_position: 20 });

/** Feeds prices (paise) at a fixed position; the signal of each tick. */
function run(prices: readonly number[], position = 0, p = P): Array<SignalIntent | null> {
  const s = rsi.init(p, NO_FILES);
  return ticksAt(TOKEN, prices).map((t) => rsi.onTick(s, t, p, position));
}
const last = (prices: readonly number[], position = 0) => run(prices, position).at(-1) ?? null;

describe('rsi', () => {
  it('defaults to the original’s parameters and checks their order', () => {
    expect(RsiParams.parse({})).toEqual({
      rsi_period: 14,
      rsi_oversold: 30,
      rsi_overbought: 70,
      position_size: 100,
    });
    expect(RsiParams.safeParse({ rsi_oversold: 70, rsi_overbought: 30 }).success).toBe(false);
    expect(RsiParams.safeParse({ rsi_period: 1 }).success).toBe(false);
  });

  it('waits for rsi_period + 1 prices', () => {
    // four falling prices are only three changes
    expect(run([10_400, 10_300, 10_200, 10_100])).toEqual([null, null, null, null]);
    // five: changes −1 ×4, RSI 0 < 30, confidence (30 − 0)/30
    expect(last([10_400, 10_300, 10_200, 10_100, 10_000])).toMatchObject({
      side: 'BUY',
      quantity: 10,
      confidence: 1,
    });
  });

  it('computes the RSI over the changes ending at this tick (the original’s bug fixed)', () => {
    // changes −1000 +100 +100 +100: gain 300/4, loss 1000/4, RS 0.3, RSI 100 − 100/1.3 = 23.08.
    // The original repeated the last price (changes +100 +100 +100 0: RSI 100, a SELL).
    const s = last([11_000, 10_000, 10_100, 10_200, 10_300]);
    expect(s).toMatchObject({ side: 'BUY', quantity: 10 });
    expect(s!.confidence).toBeCloseTo((30 - 100 + 100 / 1.3) / 30, 12); // 0.2308
    expect(s!.reasoning).toBe('RSI4 23.1 < 30 (oversold)');
  });

  it('does not signal inside the band nor at the threshold (strict)', () => {
    // ±1000 alternating: gain 2000/4 = loss 2000/4, RSI 50
    expect(last([10_000, 11_000, 10_000, 11_000, 10_000])).toBeNull();
    // changes +300 −700 0 0: RS 3/7, RSI exactly 30
    expect(last([10_000, 10_300, 9_600, 9_600, 9_600])).toBeNull();
  });

  it('sells only what it holds, and reads a flat window as 100', () => {
    const flat = [10_000, 10_000, 10_000, 10_000, 10_000];
    expect(last(flat, 0)).toBeNull();
    expect(last(flat, 5)).toMatchObject({ side: 'SELL', quantity: 5, confidence: 1 });
    expect(last(flat, 30)).toMatchObject({ side: 'SELL', quantity: 10 });
  });

  it('buys up to max_position', () => {
    const falling = [10_400, 10_300, 10_200, 10_100, 10_000];
    expect(last(falling, 10)?.side).toBe('BUY'); // 10 + 10 ≤ 20
    expect(last(falling, 15)).toBeNull(); // 15 + 10 > 20
  });

  it('keeps history per instrument', () => {
    const a = ticksAt(1, [10_400, 10_300, 10_200, 10_100, 10_000]);
    const b = ticksAt(2, [10_000, 10_100, 10_200, 10_300, 10_400]);
    const states = new Map([1, 2].map((k) => [k, rsi.init(P, NO_FILES)]));
    const out: string[] = [];
    for (let i = 0; i < a.length; i++) {
      for (const t of [a[i]!, b[i]!]) {
        const s = rsi.onTick(states.get(t.token)!, t, P, 10);
        if (s) out.push(`${t.token}:${s.side}`);
      }
    }
    expect(out).toEqual(['1:BUY', '2:SELL']);
  });

  it('clones without sharing its history', () => {
    const s = rsi.init(P, NO_FILES);
    const c = rsi.clone(s);
    rsi.onTick(c, ticksAt(TOKEN, [10_000])[0]!, P, 0);
    expect(s.prices.values).toEqual([]);
  });
});
