/** Tick subscriptions: which actors want which instruments, and one TicksReceived per subscriber per batch. */
import type { InstrumentToken, MarketTick, TicksReceived } from '../model/index.js';

interface Sub {
  readonly id: string;
  readonly tokens: ReadonlySet<InstrumentToken> | null;
  /** Asked once per batch before the ticks are split: false skips the subscriber this batch. */
  readonly wants: (() => boolean) | null;
}

interface Part {
  ticks: MarketTick[];
  seqs: number[];
}

export class TickFanout {
  private subs: Sub[] = [];
  /** Per token, the indexes (in `subs`) of its subscribers, in subscription order; built lazily. */
  private byToken = new Map<InstrumentToken, number[]>();

  /**
   * Subscribes an actor to all ticks (`tokens` null) or only to `tokens`; replaces an earlier
   * subscription. `wants`, when given, is asked before each batch: an actor for which ticks
   * change nothing in its present state (a portfolio holding none of its instruments) is skipped.
   */
  subscribe(
    id: string,
    tokens: Iterable<InstrumentToken> | null,
    wants: (() => boolean) | null = null,
  ): void {
    this.subs = this.subs.filter((s) => s.id !== id);
    this.subs.push({ id, tokens: tokens === null ? null : new Set(tokens), wants });
    this.byToken.clear();
  }

  private subscribersOf(token: InstrumentToken): number[] {
    let list = this.byToken.get(token);
    if (list === undefined) {
      list = [];
      for (let k = 0; k < this.subs.length; k++) {
        const tokens = this.subs[k]!.tokens;
        if (tokens === null || tokens.has(token)) list.push(k);
      }
      this.byToken.set(token, list);
    }
    return list;
  }

  /** Splits a batch whose ticks[i] has seq firstSeq + i into one event per interested subscriber, in subscription order. */
  split(
    ticks: readonly MarketTick[],
    firstSeq: number,
  ): Array<{ to: string; event: TicksReceived }> {
    const subs = this.subs;
    const per = new Array<Part | null | undefined>(subs.length);
    for (let k = 0; k < subs.length; k++) {
      const wants = subs[k]!.wants;
      // undefined: not asked yet; null: skipped this batch.
      if (wants !== null && !wants()) per[k] = null;
    }
    for (let i = 0; i < ticks.length; i++) {
      const tick = ticks[i]!;
      const list = this.subscribersOf(tick.token);
      for (let j = 0; j < list.length; j++) {
        const k = list[j]!;
        let b = per[k];
        if (b === null) continue;
        if (b === undefined) per[k] = b = { ticks: [], seqs: [] };
        b.ticks.push(tick);
        b.seqs.push(firstSeq + i);
      }
    }
    const out: Array<{ to: string; event: TicksReceived }> = [];
    for (let k = 0; k < subs.length; k++) {
      const b = per[k];
      if (b !== null && b !== undefined)
        out.push({
          to: subs[k]!.id,
          event: { type: 'TicksReceived', ticks: b.ticks, seqs: b.seqs },
        });
    }
    return out;
  }
}
