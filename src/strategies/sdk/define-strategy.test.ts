import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Bar } from '../indicators/index.js';
import { NO_FILES } from '../strategy.js';
import { defineStrategy, isDefinedStrategy } from './define-strategy.js';
import { barStart } from './history.js';
import { limit, market, roundToTick, stopLoss, stopLossMarket } from './intents.js';
import { makeTick, priceTicks, runStrategy } from './test-kit.js';

/** The instrument a state is started for. */
const INSTRUMENT = { token: 738561, symbol: 'RELIANCE', exchange: 'NSE', tickSize: 10, lotSize: 1 };

/** 2026-01-05 09:15:00 IST. */
const OPEN = Date.UTC(2026, 0, 5, 3, 45, 0);
const none = z.object({});

describe('defineStrategy', () => {
  it('refuses a bad name, a missing callback, onBar without bars, bad bars and history', () => {
    const ok = { name: 'ok', params: none, onTick: () => null };
    expect(() => defineStrategy({ ...ok, name: 'MyStrategy' })).toThrow(/snake_case/);
    expect(() => defineStrategy({ name: 'x', params: none })).toThrow(/onTick, onBar or both/);
    expect(() => defineStrategy({ ...ok, onBar: () => null })).toThrow(/onBar needs bars/);
    expect(() => defineStrategy({ ...ok, bars: { seconds: 0.5 } })).toThrow(
      /bars.seconds: received 0.5/,
    );
    expect(() => defineStrategy({ ...ok, history: 0 })).toThrow(/history: received 0/);
    expect(() => defineStrategy({ ...ok, params: {} as never })).toThrow(/zod schema/);
    expect(isDefinedStrategy(defineStrategy(ok))).toBe(true);
    expect(isDefinedStrategy({ ...defineStrategy(ok) })).toBe(false);
  });

  it('builds IST-aligned time bars from tick times and calls onBar as each closes', () => {
    const closed: Bar[] = [];
    const s = defineStrategy({
      name: 'bars',
      params: none,
      bars: { seconds: 60 },
      onBar: (c) => {
        closed.push(c.bar);
        return null;
      },
    });
    // 09:15:00, 09:15:30, 09:15:59 in one bar; 09:16:10 closes it; 09:18:00 closes 09:16.
    const ticks = [
      makeTick(100, OPEN, { volume: 1000 }),
      makeTick(130, OPEN + 30_000, { volume: 1500 }),
      makeTick(90, OPEN + 59_999, { volume: 1600 }),
      makeTick(110, OPEN + 70_000, { volume: 1700 }),
      makeTick(120, OPEN + 180_000, { volume: 1750 }),
    ];
    runStrategy(s, ticks);
    expect(closed).toEqual([
      { ts: OPEN, open: 100, high: 130, low: 90, close: 90, volume: 600 },
      { ts: OPEN + 60_000, open: 110, high: 110, low: 110, close: 110, volume: 100 },
    ]);
    // 09:15 IST is a multiple of a minute, of 15 minutes and of an hour from IST midnight.
    expect(barStart(OPEN + 59_999, 60_000)).toBe(OPEN);
    expect(barStart(OPEN + 14 * 60_000, 15 * 60_000)).toBe(OPEN);
    expect(barStart(OPEN, 3_600_000)).toBe(OPEN - 15 * 60_000);
  });

  it('gives onBar the first say: onTick runs only when onBar returns nothing', () => {
    const calls: string[] = [];
    const s = defineStrategy({
      name: 'both',
      params: none,
      bars: { seconds: 10 },
      onBar: (c) => (calls.push(`bar@${c.tick.ts}`), c.bar.close === 100 ? market('BUY', 1) : null),
      onTick: (c) => (calls.push(`tick@${c.tick.ts}`), null),
    });
    const r = runStrategy(s, priceTicks([100, 101, 102], { stepMs: 10_000 }), {}, { fill: false });
    expect(r.intents.map((i) => i.index)).toEqual([1]);
    expect(calls).toEqual([
      `tick@${OPEN}`,
      `bar@${OPEN + 10_000}`,
      `bar@${OPEN + 20_000}`,
      `tick@${OPEN + 20_000}`,
    ]);
  });

  it('computes the indicators over bar closes, or tick prices without bars', () => {
    const seen: unknown[] = [];
    const s = defineStrategy({
      name: 'ind',
      params: none,
      history: 50,
      onTick: (c) => {
        seen.push({
          sma: c.sma(3),
          ema: c.ema(3),
          rsi: c.rsi(3),
          hi: c.highest(3),
          lo: c.lowest(3),
          atr: c.atr(2),
          closes: c.closes(2),
        });
        return null;
      },
    });
    runStrategy(s, priceTicks([10, 12, 11, 14, 13]));
    // Hand-computed: SMA3 of 11,14,13 = 38/3; EMA3 seeded with SMA(10,12,11)=11, then 14 → 12.5,
    // 13 → 12.75; RSI3 over changes -1, +3, -1: gain 3, loss 2 → 100 - 100/2.5 = 60; ATR2 of
    // one-price bars = mean |Δ| of the last two = (3 + 1)/2.
    expect(seen.at(-1)).toEqual({
      sma: 38 / 3,
      ema: 12.75,
      rsi: 60,
      hi: 14,
      lo: 11,
      atr: 2,
      closes: [14, 13],
    });
    // Two ticks: the older one-price bar has no previous close, so its range is 0: (0 + 2)/2.
    expect(seen[1]).toMatchObject({ sma: null, ema: null, rsi: null, hi: null, atr: 1 });
    expect(seen[0]).toMatchObject({ atr: null });
  });

  it('keeps at most `history` ticks, and each instrument its own state and history', () => {
    const s = defineStrategy({
      name: 'per_instrument',
      params: none,
      history: 2,
      init: () => ({ n: 0 }),
      onTick: (c) => (++c.state.n, null),
    });
    const ticks = [...priceTicks([1, 2, 3]), ...priceTicks([7], { token: 2 })];
    const r = runStrategy(s, ticks);
    const a = r.states[1] as { user: { n: number }; history: { ticks: { values: unknown[] } } };
    expect(a.user.n).toBe(3);
    expect(a.history.ticks.values).toHaveLength(2);
    expect((r.states[2] as { user: { n: number } }).user.n).toBe(1);
  });

  it('clones state so the copy shares nothing mutable, and the state survives JSON', () => {
    const s = defineStrategy({
      name: 'clone',
      params: none,
      bars: { seconds: 60 },
      init: () => ({ list: [1] }),
      onTick: (c) => (c.state.list.push(c.tick.lastPrice), null),
    });
    const st = s.init({}, NO_FILES, INSTRUMENT);
    s.onTick(st, makeTick(5, OPEN), {}, 0);
    const copy = s.clone(JSON.parse(JSON.stringify(st)) as typeof st);
    s.onTick(copy, makeTick(6, OPEN + 61_000), {}, 0);
    expect(st.user.list).toEqual([1, 5]);
    expect(copy.user.list).toEqual([1, 5, 6]);
    expect(st.history.bar?.close).toBe(5);
  });

  it('passes fills and refusals to onFill and onRejected with the instrument state', () => {
    const s = defineStrategy({
      name: 'hooks',
      params: none,
      init: () => ({ filled: 0, refused: [] as string[] }),
      onTick: () => market('BUY', 3),
      onFill: (c) => void (c.state.filled += c.fill.quantity),
      onRejected: (c) => void c.state.refused.push(c.rejection.reason),
    });
    const r = runStrategy(s, priceTicks([100, 101]));
    expect((r.states[1] as { user: { filled: number } }).user.filled).toBe(6);
    expect(r.positions[1]).toBe(6);
    const st = s.init({}, NO_FILES, INSTRUMENT);
    s.onRejected!(
      st,
      { broker: 'paper', token: 1, side: 'BUY', quantity: 3, reason: 'PRICE_BAND' },
      {},
    );
    expect(st.user.refused).toEqual(['PRICE_BAND']);
  });

  it('takes the bar length from the parameters when bars is a function', () => {
    const s = defineStrategy({
      name: 'param_bars',
      params: z.object({ secs: z.number().int().default(20) }),
      bars: (p) => ({ seconds: p.secs }),
      onBar: (c) => market('SELL', 1, { reason: `bar ${c.bar.ts}` }),
    });
    const ticks = priceTicks([1, 2, 3, 4, 5], { stepMs: 10_000 });
    expect(runStrategy(s, ticks, {}, { fill: false }).intents.map((i) => i.index)).toEqual([2, 4]);
    expect(runStrategy(s, ticks, { secs: 10 }, { fill: false }).intents).toHaveLength(4);
  });
});

describe('order intents', () => {
  it('builds each order type the gate accepts, with validity, product and bracket', () => {
    expect(market('BUY', 5)).toEqual({
      side: 'BUY',
      quantity: 5,
      confidence: 1,
      reasoning: 'MARKET BUY 5',
      order: { orderType: 'MARKET' },
    });
    expect(
      limit('SELL', 2, 10_005, {
        validity: 'IOC',
        product: 'MIS',
        bracket: { target: 9_900, stop: 10_100 },
      }).order,
    ).toEqual({
      orderType: 'LIMIT',
      limitPrice: 10_005,
      validity: 'IOC',
      product: 'MIS',
      bracket: { takeProfit: 9_900, stopLoss: 10_100 },
    });
    expect(stopLoss('BUY', 1, 200, 205, { confidence: 0.5, reason: 'breakout' })).toMatchObject({
      confidence: 0.5,
      reasoning: 'breakout',
      order: { orderType: 'SL', triggerPrice: 200, limitPrice: 205 },
    });
    expect(stopLossMarket('SELL', 1, 195).order).toEqual({ orderType: 'SL-M', triggerPrice: 195 });
  });

  it('refuses fractional paise, bad quantities, sides and confidences, naming the fix', () => {
    expect(() => limit('BUY', 1, 100.5)).toThrow(/limit price: received 100.5.*roundToTick/);
    expect(() => market('BUY', 0)).toThrow(/quantity: received 0/);
    expect(() => market('buy' as never, 1)).toThrow(/side: received "buy"/);
    expect(() => market('BUY', 1, { confidence: 2 })).toThrow(/confidence: received 2/);
    expect(() => market('BUY', 1, { bracket: { stop: -5 } })).toThrow(/bracket.stop/);
  });

  it('rounds prices to the tick size', () => {
    expect(roundToTick(10_003, 5)).toBe(10_005);
    expect(roundToTick(10_003, 5, 'down')).toBe(10_000);
    expect(roundToTick(10_001, 5, 'up')).toBe(10_005);
    expect(roundToTick(1, 5, 'down')).toBe(5);
    expect(() => roundToTick(100, 0.05)).toThrow(/tick: received 0.05/);
  });

  it('shows each tick its instrument, as the run defines it', () => {
    const seen: [string, number][] = [];
    const s = defineStrategy({
      name: 'sees_instrument',
      params: z.object({}),
      onTick: (c) => (seen.push([c.instrument.symbol, c.instrument.tickSize]), null),
    });
    runStrategy(
      s,
      [makeTick(100_000, OPEN, { token: 1 }), makeTick(100_000, OPEN, { token: 2 })],
      {},
      {
        instruments: { 2: { symbol: 'TWO', tickSize: 10 } },
      },
    );
    expect(seen).toEqual([
      ['T1', 5],
      ['TWO', 10],
    ]);
    expect(() => s.init({}, NO_FILES)).toThrow(/one instrument of the run; none was given/);
  });
});
