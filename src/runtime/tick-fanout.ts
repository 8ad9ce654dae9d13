/** Tick subscriptions: which actors want which instruments, and one TicksReceived per subscriber per batch. */
import type { InstrumentToken, MarketTick, TicksReceived } from '../model/index.js';

export class TickFanout {
  private subs: Array<{ id: string; tokens: ReadonlySet<InstrumentToken> | null }> = [];

  /** Subscribes an actor to all ticks (`tokens` null) or only to `tokens`; replaces an earlier subscription. */
  subscribe(id: string, tokens: Iterable<InstrumentToken> | null): void {
    this.subs = this.subs.filter((s) => s.id !== id);
    this.subs.push({ id, tokens: tokens === null ? null : new Set(tokens) });
  }

  /** Splits a batch whose ticks[i] has seq firstSeq + i into one event per interested subscriber, in subscription order. */
  split(
    ticks: readonly MarketTick[],
    firstSeq: number,
  ): Array<{ to: string; event: TicksReceived }> {
    const subs = this.subs;
    const per = subs.map(() => ({ ticks: [] as MarketTick[], seqs: [] as number[] }));
    for (let i = 0; i < ticks.length; i++) {
      const tick = ticks[i]!;
      const token = tick.token;
      for (let k = 0; k < subs.length; k++) {
        const tokens = subs[k]!.tokens;
        if (tokens === null || tokens.has(token)) {
          const b = per[k]!;
          b.ticks.push(tick);
          b.seqs.push(firstSeq + i);
        }
      }
    }
    const out: Array<{ to: string; event: TicksReceived }> = [];
    for (let k = 0; k < subs.length; k++) {
      const b = per[k]!;
      if (b.ticks.length > 0)
        out.push({
          to: subs[k]!.id,
          event: { type: 'TicksReceived', ticks: b.ticks, seqs: b.seqs },
        });
    }
    return out;
  }
}
