/**
 * The in-process portfolio read model: the latest PortfolioSnapshot of every (broker, strategy),
 * from the journal stream, marked to market with the last tick of each instrument.
 */
import type {
  BrokerName,
  JournalRecord,
  MarketTick,
  PortfolioSnapshot,
  Position,
} from '../model/index.js';
import { OrderReadModel, type OrderView } from './order-view.js';

export interface PortfolioView {
  readonly broker: BrokerName;
  readonly strategyId: string;
  readonly cash: number;
  readonly fees: number;
  /** Net of fees. */
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly totalPnl: number;
  /** Equity now less equity at the last IST midnight, at the latest marks. */
  readonly dayPnl: number;
  readonly positions: readonly Position[];
  readonly fills: number;
  /** Its orders not yet final (placed, accepted, partly filled), newest first. */
  readonly openOrders: readonly OrderView[];
  /**
   * Cash less what its open buys may still spend (the unfilled quantity at its limit, or its
   * trigger for a stop-market), paise.
   */
  readonly buyingPower: number;
  /** Seq of the journal record the portfolio part comes from. */
  readonly asOfSeq: number;
}

export class PortfolioReadModel {
  private readonly snaps = new Map<string, { snap: PortfolioSnapshot; seq: number }>();
  private readonly last = new Map<number, number>();
  /** Every order of the run from its records: the open ones show in the portfolios. */
  readonly orders = new OrderReadModel();

  /** Applies one journal record (a tap on the switchboard or a record read back from the journal). */
  apply(r: JournalRecord): void {
    this.orders.apply(r);
    if (r.type === 'MarketTick') {
      const t = r.data as MarketTick;
      this.last.set(t.token, t.lastPrice);
    } else if (r.type === 'PortfolioSnapshot') {
      const s = r.data as PortfolioSnapshot;
      this.snaps.set(`${s.broker}:${s.strategyId}`, { snap: s, seq: r.seq });
    }
  }

  /** Marks instruments to the latest ticks (the switchboard's tick tap). */
  applyTicks(ticks: readonly MarketTick[]): void {
    for (const t of ticks) this.last.set(t.token, t.lastPrice);
  }

  /**
   * Declares a portfolio as its actor holds it, through the journal's seq `asOfSeq` (at start, or
   * after a recovery), so it is listed, and dated, before its next snapshot is journaled.
   */
  declare(snap: PortfolioSnapshot, asOfSeq = 0): void {
    const k = `${snap.broker}:${snap.strategyId}`;
    if (!this.snaps.has(k)) this.snaps.set(k, { snap, seq: asOfSeq });
  }

  list(): PortfolioView[] {
    return [...this.snaps.values()]
      .map(({ snap, seq }) => this.view(snap, seq))
      .sort((a, b) => (a.broker + a.strategyId).localeCompare(b.broker + b.strategyId));
  }

  get(broker: string, strategyId: string): PortfolioView | undefined {
    const e = this.snaps.get(`${broker}:${strategyId}`);
    return e && this.view(e.snap, e.seq);
  }

  private view(s: PortfolioSnapshot, seq: number): PortfolioView {
    const openOrders = this.orders.open(s.broker, s.strategyId);
    let unreal = 0;
    const positions = s.positions.map((p) => {
      const last = this.last.get(p.token) ?? p.lastPrice;
      const u = p.quantity === 0 ? 0 : p.quantity * last - p.costBasis;
      unreal += u;
      return { ...p, lastPrice: last, unrealizedPnl: u } as Position;
    });
    return {
      broker: s.broker,
      strategyId: s.strategyId,
      cash: s.cash,
      fees: s.fees,
      realizedPnl: s.realizedPnl,
      unrealizedPnl: unreal,
      totalPnl: s.realizedPnl + unreal,
      dayPnl: s.dayPnl + unreal - s.unrealizedPnl,
      positions,
      fills: s.fills,
      openOrders,
      buyingPower: s.cash - reservedBy(openOrders),
      asOfSeq: seq,
    };
  }
}

/** What open buys may still spend: each one's unfilled quantity at its limit (or trigger), paise. */
function reservedBy(orders: readonly OrderView[]): number {
  let reserved = 0;
  for (const o of orders) {
    if (o.side !== 'BUY') continue;
    const price = o.limitPrice ?? o.triggerPrice ?? 0;
    reserved += Math.max(0, o.quantity - o.filled) * price;
  }
  return reserved;
}
