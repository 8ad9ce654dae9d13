/** A strategy for supervision tests: trades like momentum, throws on chosen ticks. */
import { z } from 'zod';
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
