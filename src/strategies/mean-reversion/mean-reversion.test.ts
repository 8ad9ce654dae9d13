import { describe, expect, it } from 'vitest';
import { ticksAt } from '../../../test/helpers/ticks.js';
import { NO_FILES, type SignalIntent } from '../strategy.js';
import { meanReversion, MeanReversionParams } from './mean-reversion.js';

const TOKEN = 2953217;
const P = MeanReversionParams.parse({
  lookback_periods: 4,
  rsi_period: 3,
  bollinger_std: 1,
  position_size: 10,
});

function run(prices: readonly number[], position = 0, p = P): Array<SignalIntent | null> {
  const s = meanReversion.init(p, NO_FILES);
  return ticksAt(TOKEN, prices).map((t) => meanReversion.onTick(s, t, p, position));
}
const last = (prices: readonly number[], position = 0, p = P) =>
  run(prices, position, p).at(-1) ?? null;

// changes +200 +100 −900: gain 300, loss 900, RS 1/3, RSI 25.
// mean 9975; squared deviations 625 + 50625 + 105625 + 330625 = 487500; sample var 162500,
// σ 403.11; lower band (k = 1) 9571.89 > 9400.
const DIP = [10_000, 10_200, 10_300, 9_400];
// the mirror: changes −200 −100 +900: RSI 75; mean 10025, σ 403.11, upper 10428.11 < 10600.
const SPIKE = [10_000, 9_800, 9_700, 10_600];

describe('mean_reversion', () => {
  it('defaults to the original’s parameters', () => {
    expect(MeanReversionParams.parse({})).toEqual({
      lookback_periods: 20,
      rsi_period: 14,
      rsi_oversold: 30,
      rsi_overbought: 70,
      bollinger_std: 2,
      position_size: 100,
    });
    expect(MeanReversionParams.safeParse({ rsi_oversold: 80 }).success).toBe(false);
  });

  it('buys an oversold price below the lower band', () => {
    expect(run(DIP).slice(0, 3)).toEqual([null, null, null]);
    const s = last(DIP);
    expect(s).toMatchObject({ side: 'BUY', quantity: 10 });
    // (30 − 25)/20 + (9571.887 − 9400)/9571.887
    expect(s!.confidence).toBeCloseTo(
      0.25 + (9975 - Math.sqrt(162_500) - 9400) / (9975 - Math.sqrt(162_500)),
      12,
    );
    expect(s!.reasoning).toBe('RSI3 25.0 < 30 and price 9400 < lower band 9572 paise');
  });

  it('needs both conditions', () => {
    // same RSI 25, but with k = 2 the lower band is 9168.78 < 9400
    expect(last(DIP, 0, { ...P, bollinger_std: 2 })).toBeNull();
    // below a narrow band (k = 0.1: lower 9609.9) but RSI 40 (changes −1000 +1200 −800)
    expect(last([10_000, 9_000, 10_200, 9_400], 0, { ...P, bollinger_std: 0.1 })).toBeNull();
  });

  it('sells an overbought price above the upper band, only what it holds', () => {
    expect(last(SPIKE, 0)).toBeNull();
    const s = last(SPIKE, 4);
    expect(s).toMatchObject({ side: 'SELL', quantity: 4 });
    // (75 − 70)/20 + (10600 − 10428.113)/10428.113
    expect(s!.confidence).toBeCloseTo(0.2664830506, 9);
  });

  it('keeps the RSI window to the changes ending at this tick', () => {
    // RSI 14 on 20-tick bands needs max(20, 15) = 20 prices
    const p = MeanReversionParams.parse({});
    expect(meanReversion.init(p, NO_FILES).prices.capacity).toBe(20);
    expect(meanReversion.init({ ...p, rsi_period: 25 }, NO_FILES).prices.capacity).toBe(26);
  });

  it('keeps history per instrument', () => {
    const a = ticksAt(1, DIP);
    const b = ticksAt(2, SPIKE);
    const states = new Map([1, 2].map((k) => [k, meanReversion.init(P, NO_FILES)]));
    const out: string[] = [];
    for (let i = 0; i < a.length; i++) {
      for (const t of [a[i]!, b[i]!]) {
        const s = meanReversion.onTick(states.get(t.token)!, t, { ...P, max_position: 20 }, 10);
        if (s) out.push(`${t.token}:${s.side}`);
      }
    }
    expect(out).toEqual(['1:BUY', '2:SELL']);
  });
});
