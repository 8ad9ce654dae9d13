/**
 * The `new-strategy` template: a strategy that trades (an EMA cross on time bars, entering with a
 * LIMIT order and a bracket), commented for a first-time author, and a vitest test of it.
 */

/** The strategy file `NAME.ts`. */
export function strategyTemplate(name: string): string {
  return `/**
 * ${name}: an EMA cross on time bars. When the fast EMA of the bar closes crosses above the slow
 * one and nothing is held, it buys with a LIMIT order at the bar's close and a bracket: a
 * take-profit above and a stop-loss below, which the broker places once the entry fills.
 *
 * Reference: docs/sdk.md. Run it by naming its type in CONFIG_DIR/strategies.yaml:
 *   - id: ${name}_reliance
 *     type: ${name}
 *     brokers: [paper]
 *     instruments: [738561]
 *     parameters: { quantity: 10 }
 * Its test: npx vitest run ${'$'}{STRATEGIES_DIR}/${name}.test.ts
 *
 * A strategy sees only what its context gives it: no clock (time is ctx.tick.ts), no randomness,
 * no timers, no I/O, and it imports only 'alpha-panda' and 'zod'. So a replay of a run gives the
 * same orders, and a changed file makes the replay a counterfactual.
 */
import { defineStrategy, limit, roundToTick } from 'alpha-panda';
import { z } from 'zod';

export default defineStrategy({
  // The strategy type: the file's name.
  name: '${name}',
  summary: 'EMA cross on time bars: buys with a LIMIT order and a bracket when the fast EMA crosses above the slow one',

  // The \`parameters\` of a configuration, validated and defaulted here. Prices are integer paise.
  params: z
    .object({
      fast: z.number().int().min(1).default(5).describe('fast EMA period, in bars'),
      slow: z.number().int().min(2).default(20).describe('slow EMA period, in bars'),
      bar_seconds: z.number().int().min(1).default(60).describe('bar length, seconds'),
      quantity: z.number().int().min(1).default(10).describe('shares per entry'),
      target_bps: z
        .number()
        .int()
        .min(1)
        .default(100)
        .describe('take-profit distance above the entry, basis points (100 = 1%)'),
      stop_bps: z
        .number()
        .int()
        .min(1)
        .default(50)
        .describe('stop-loss distance below the entry, basis points'),
    })
    .refine((p) => p.fast < p.slow, { message: 'fast must be less than slow' }),

  // Time bars from the ticks' times, aligned to IST midnight; onBar runs as each one closes.
  bars: (p) => ({ seconds: p.bar_seconds }),

  // Each instrument's own state: plain data (it is kept in snapshots), changed in place.
  init: () => ({ above: null as boolean | null, bought: 0 }),

  onBar(ctx) {
    const { params: p, state } = ctx;
    // EMAs of the completed bars' closes; null until there are enough bars.
    const fast = ctx.ema(p.fast);
    const slow = ctx.ema(p.slow);
    if (fast === null || slow === null) return null;
    const above = fast > slow;
    const crossedUp = state.above === false && above;
    state.above = above;
    // ctx.position: shares held or asked for on this instrument (signed).
    if (!crossedUp || ctx.position !== 0) return null;
    // Prices on the instrument's tick (ctx.instrument: symbol, tick size in paise, lot size).
    const tick = ctx.instrument.tickSize;
    const entry = roundToTick(ctx.bar.close, tick, 'down');
    return limit('BUY', p.quantity, entry, {
      bracket: {
        target: roundToTick((entry * (10_000 + p.target_bps)) / 10_000, tick, 'up'),
        stop: roundToTick((entry * (10_000 - p.stop_bps)) / 10_000, tick, 'down'),
      },
      confidence: Math.min(1, (fast - slow) / slow / 0.001),
      reason: \`EMA\${p.fast} crossed above EMA\${p.slow} on \${p.bar_seconds}s bars\`,
    });
  },

  // Fills of its orders on this instrument (the entry, then the bracket's exit).
  onFill(ctx) {
    if (ctx.fill.side === 'BUY') ctx.state.bought += ctx.fill.quantity;
  },
});
`;
}

/** The test file `NAME.test.ts`, on hand-made prices (the SDK's test kit). */
export function strategyTestTemplate(name: string): string {
  return `/** ${name}: when it buys, and when it does not. Run: npx vitest run <this file> */
import { priceTicks, runStrategy } from 'alpha-panda';
import { describe, expect, it } from 'vitest';
import strategy from './${name}.js';

// One tick a minute: with 60 s bars each tick closes the bar before it.
const MINUTE = { stepMs: 60_000 };
const params = { fast: 3, slow: 6, quantity: 10 };

describe('${name}', () => {
  it('buys once, with a LIMIT and a bracket, when the fast EMA crosses above the slow one', () => {
    // 12 bars falling by 1 rupee, then 8 rising by 3 rupees (prices in paise).
    const down = Array.from({ length: 12 }, (_, i) => 100_000 - i * 100);
    const up = Array.from({ length: 8 }, (_, i) => 98_900 + (i + 1) * 300);
    const { intents } = runStrategy(strategy, priceTicks([...down, ...up], MINUTE), params);

    expect(intents).toHaveLength(1);
    const { index, intent } = intents[0]!;
    expect(index).toBeGreaterThanOrEqual(down.length);
    expect(intent.side).toBe('BUY');
    expect(intent.quantity).toBe(10);
    const order = intent.order!;
    expect(order.orderType).toBe('LIMIT');
    expect(order.bracket!.takeProfit!).toBeGreaterThan(order.limitPrice!);
    expect(order.bracket!.stopLoss!).toBeLessThan(order.limitPrice!);
  });

  it('does not trade a flat or falling market', () => {
    const flat = Array.from({ length: 30 }, () => 100_000);
    const falling = Array.from({ length: 30 }, (_, i) => 100_000 - i * 50);
    expect(runStrategy(strategy, priceTicks(flat, MINUTE), params).intents).toEqual([]);
    expect(runStrategy(strategy, priceTicks(falling, MINUTE), params).intents).toEqual([]);
  });

  it('refuses a fast period that is not below the slow one', () => {
    expect(() => runStrategy(strategy, [], { fast: 6, slow: 6 })).toThrow(/fast must be less/);
  });
});
`;
}
