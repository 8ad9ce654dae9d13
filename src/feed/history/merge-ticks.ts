/** The k-way merge of per-instrument tick streams into one, by time then token (deterministic). */
import type { MarketTick } from '../../model/index.js';

/**
 * Merges streams each in time order into one ordered by (ts, token); ticks of one stream with
 * the same (ts, token) keep their order.
 */
export function* mergeTicks(streams: readonly Iterable<MarketTick>[]): Generator<MarketTick> {
  const its = streams.map((s) => s[Symbol.iterator]());
  const heads: (MarketTick | undefined)[] = its.map((it) => it.next().value as MarketTick);
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h === undefined) continue;
      const b = best < 0 ? undefined : heads[best]!;
      if (b === undefined || h.ts < b.ts || (h.ts === b.ts && h.token < b.token)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!;
    const n = its[best]!.next();
    heads[best] = n.done ? undefined : n.value;
  }
}
