/**
 * A strategy for tests that uses every kind of order: on every `every`-th tick of an instrument
 * it asks for the next of a fixed cycle of orders (MARKET, resting and marketable LIMIT, SL,
 * SL-M, IOC, FOK, MIS shorts, bracket exits), priced from the tick and rounded to the tick size.
 */
import { z } from 'zod';
import { paise, type MarketTick, type OrderSpec, type Side } from '../../src/model/index.js';
import type { SignalIntent, StrategyDefinition } from '../../src/strategies/index.js';

const Params = z.object({
  every: z.number().int().min(1).default(40),
  quantity: z.number().int().min(1).default(10),
});
type Params = z.infer<typeof Params>;

const TICK = 5;
const down = (p: number) => paise(Math.max(TICK, Math.floor(p / TICK) * TICK));
const up = (p: number) => paise(Math.ceil(p / TICK) * TICK);
/** `p` moved by `bps` basis points, rounded to the tick away from `p`. */
const move = (p: number, bps: number) =>
  bps >= 0 ? up(p + (p * bps) / 10_000 + 1) : down(p + (p * bps) / 10_000 - 1);

type Variant = (t: MarketTick, q: number, position: number) => [Side, number, OrderSpec] | null;

export const ORDER_MIX: readonly Variant[] = [
  (t, q) => ['BUY', q, {}],
  (t, q) => ['BUY', q, { orderType: 'LIMIT', limitPrice: move(t.lastPrice, -20) }],
  (t, q, pos) =>
    pos > 0
      ? [
          'SELL',
          Math.min(pos, q),
          { orderType: 'LIMIT', validity: 'IOC', limitPrice: move(t.lastPrice, -10) },
        ]
      : null,
  (t, q) => ['BUY', q, { orderType: 'LIMIT', validity: 'FOK', limitPrice: move(t.lastPrice, 10) }],
  (t, q, pos) =>
    pos > 0
      ? ['SELL', Math.min(pos, q), { orderType: 'SL-M', triggerPrice: move(t.lastPrice, -15) }]
      : null,
  (t, q) => [
    'BUY',
    q,
    { orderType: 'SL', triggerPrice: move(t.lastPrice, 10), limitPrice: move(t.lastPrice, 30) },
  ],
  (t, q) => [
    'BUY',
    q,
    {
      product: 'MIS',
      bracket: { takeProfit: move(t.lastPrice, 25), stopLoss: move(t.lastPrice, -25) },
    },
  ],
  (t, q) => ['SELL', q, { product: 'MIS', validity: 'IOC' }],
  (t, q) => [
    'BUY',
    3 * q,
    { orderType: 'LIMIT', validity: 'DAY', limitPrice: move(t.lastPrice, -5) },
  ],
  (t, q, pos) => (pos > 0 ? ['SELL', pos, {}] : null),
];

export const orderMixStrategy: StrategyDefinition<Params, { seen: number; next: number }> = {
  type: 'order_mix',
  params: Params,
  init: () => ({ seen: 0, next: 0 }),
  clone: (s) => ({ ...s }),
  onTick(s, tick, p, position): SignalIntent | null {
    s.seen++;
    if (s.seen % p.every !== 0 || tick.lastPrice <= 0) return null;
    const v = ORDER_MIX[s.next % ORDER_MIX.length]!;
    s.next++;
    const made = v(tick, p.quantity, position);
    if (made === null) return null;
    const [side, quantity, order] = made;
    return { side, quantity, confidence: 0.5, reasoning: `order mix ${s.next}`, order };
  },
};
