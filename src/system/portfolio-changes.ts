/**
 * Which portfolio views changed, and at which seq: a portfolio changes with its snapshots, its
 * orders (open orders, buying power) and the ticks of the instruments it holds (marks). The
 * portfolio stream sends each portfolio with the seq of its latest change, so a client that
 * resumes after seq S gets exactly the portfolios changed after S.
 */
import type { JournalRecord, MarketTick, PortfolioSnapshot } from '../model/index.js';
import { ORDER_RECORDS, type PortfolioReadModel, type PortfolioView } from '../readmodel/index.js';
import type { TradingSystem } from './trading-system.js';

export interface PortfolioChange {
  /** `{broker}:{strategyId}`. */
  readonly key: string;
  readonly view: PortfolioView;
  /** Seq of the latest record that changed the view (its snapshot, an order of it, a mark). */
  readonly changedSeq: number;
}

/** What the portfolio stream reads: the changed views and a signal for each change. */
export interface PortfolioChangeSource {
  /** Portfolios changed after `seq` (every one when null), by changedSeq then key. */
  changedAfter(seq: number | null): PortfolioChange[];
  get(key: string): PortfolioChange | undefined;
  /** Calls `fn` with the key of each portfolio as it changes; returns unsubscribe. */
  subscribe(fn: (key: string) => void): () => void;
}

type Views = Pick<PortfolioReadModel, 'list' | 'get'>;

export class PortfolioChanges implements PortfolioChangeSource {
  private readonly changed = new Map<string, number>();
  /** Portfolio key → tokens of its positions, and token → keys, so a tick finds its holders. */
  private readonly holdings = new Map<string, readonly number[]>();
  private readonly holders = new Map<number, Set<string>>();
  private readonly listeners = new Set<(key: string) => void>();

  /** `views` is fed the same records first; the portfolios it holds now are changed as of now. */
  constructor(private readonly views: Views) {
    for (const v of views.list()) {
      const key = `${v.broker}:${v.strategyId}`;
      this.changed.set(key, v.asOfSeq);
      this.hold(key, v.positions);
    }
  }

  /** Applies one journal record (after the read model has). */
  apply(r: JournalRecord): void {
    if (r.type === 'PortfolioSnapshot') {
      const s = r.data as PortfolioSnapshot;
      const key = `${s.broker}:${s.strategyId}`;
      this.hold(key, s.positions);
      this.mark(key, r.seq);
    } else if (ORDER_RECORDS.has(r.type)) {
      const o = r.data as { broker: string; strategyId: string };
      this.mark(`${o.broker}:${o.strategyId}`, r.seq);
    }
  }

  /** Applies a tick batch as the tick tap gives it (ticks[i] has seq firstSeq + i). */
  applyTicks(ticks: readonly MarketTick[], firstSeq: number): void {
    for (let i = 0; i < ticks.length; i++) {
      const hs = this.holders.get(ticks[i]!.token);
      if (hs) for (const key of hs) this.mark(key, firstSeq + i);
    }
  }

  changedAfter(seq: number | null): PortfolioChange[] {
    const out: PortfolioChange[] = [];
    for (const [key, changedSeq] of this.changed) {
      if (seq !== null && changedSeq <= seq) continue;
      const c = this.get(key);
      if (c) out.push(c);
    }
    return out.sort((a, b) => a.changedSeq - b.changedSeq || a.key.localeCompare(b.key));
  }

  get(key: string): PortfolioChange | undefined {
    const changedSeq = this.changed.get(key);
    if (changedSeq === undefined) return undefined;
    const i = key.indexOf(':');
    const view = this.views.get(key.slice(0, i), key.slice(i + 1));
    return view && { key, view, changedSeq };
  }

  subscribe(fn: (key: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private mark(key: string, seq: number): void {
    this.changed.set(key, seq);
    for (const fn of this.listeners) fn(key);
  }

  private hold(key: string, positions: readonly { token: number }[]): void {
    for (const t of this.holdings.get(key) ?? []) this.holders.get(t)?.delete(key);
    const tokens = positions.map((p) => p.token);
    this.holdings.set(key, tokens);
    for (const t of tokens) {
      let hs = this.holders.get(t);
      if (!hs) this.holders.set(t, (hs = new Set()));
      hs.add(key);
    }
  }
}

/**
 * The portfolio changes of `system`, kept with `readModel` (call it after startPortfolioView, so
 * the read model has applied each record before its change is signalled).
 */
export function watchPortfolios(
  system: TradingSystem,
  readModel: PortfolioReadModel,
): PortfolioChanges {
  const changes = new PortfolioChanges(readModel);
  system.switchboard.tap((r) => changes.apply(r));
  system.switchboard.tapTicks((ticks, firstSeq) => changes.applyTicks(ticks, firstSeq));
  return changes;
}
