/** A strategy for supervision tests: trades like momentum, throws on chosen ticks. */
import { z } from 'zod';
import type { StrategyConfig } from '../../src/model/index.js';
import type { StrategyDefinition } from '../../src/strategies/index.js';

const Params = z.object({
  /** Throw on the tick with this exchange time (epoch ms). */
  poison_ts: z.number().int(),
  /** Also throw on every later tick. */
  poison_after: z.boolean().default(false),
});
type Params = z.infer<typeof Params>;

export const faultyStrategy: StrategyDefinition<Params, { seen: number }> = {
  type: 'faulty',
  params: Params,
  init: () => ({ seen: 0 }),
  clone: (s) => ({ ...s }),
  onTick(s, tick, p) {
    if (tick.ts === p.poison_ts || (p.poison_after && tick.ts > p.poison_ts)) {
      throw new Error(`poison tick at ${tick.ts} for ${tick.token}`);
    }
    s.seen++;
    return null;
  },
};

export const RELIANCE = 738561;
export const TCS = 2953217;

/** A steady EMA strategy on TCS beside a faulty one on RELIANCE that throws at `poisonTs` (and after, if asked). */
export function steadyAndFaulty(poisonTs: number, poisonAfter: boolean): StrategyConfig[] {
  return [
    {
      id: 'steady_ema',
      type: 'ema_cross',
      params: { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 10 },
      instruments: [TCS],
      brokers: ['paper'],
      enabled: true,
    },
    {
      id: 'faulty_one',
      type: 'faulty',
      params: { poison_ts: poisonTs, poison_after: poisonAfter },
      instruments: [RELIANCE],
      brokers: ['paper'],
      enabled: true,
    },
  ];
}
