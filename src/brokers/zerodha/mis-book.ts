/**
 * Zerodha squares MIS positions off itself (15:20), with orders it places untagged. The MIS book
 * keeps each strategy's net MIS position per instrument (the journal's at start, then every MIS
 * fill reported) and turns the trades of an MIS order this runtime did not place into fills of
 * the strategies whose positions it closes: a SELL closes longs and a BUY shorts, strategies in
 * id order, each up to its own position, once per trade. What goes beyond our positions is not
 * ours (reconciliation reports the order as EXTERNAL).
 */
import {
  clientOrderId,
  paise,
  quantity,
  type ClientOrderId,
  type OrderEvent,
  type StrategyId,
} from '../../model/index.js';
import { computeCharges, type ChargesModel } from '../paper/charges.js';
import { freshShares } from './order-state.js';
import type { KiteOrder, KiteTrade } from './parse.js';

export class MisBook {
  /** Instrument → strategy → signed shares; no zero entries. */
  private readonly net = new Map<number, Map<string, number>>();
  /** External orders: shares of their trades already looked at, and the ids given out. */
  private readonly externals = new Map<string, { seen: number; ids: Map<string, ClientOrderId> }>();

  constructor(private readonly charges: ChargesModel) {}

  /** Replaces the positions with the journal's (strategy → instrument → signed shares). */
  seed(mis: Readonly<Record<string, Readonly<Record<number, number>>>>): void {
    this.net.clear();
    for (const [strategy, byToken] of Object.entries(mis))
      for (const [token, q] of Object.entries(byToken)) this.add(Number(token), strategy, q);
  }

  /** Follows a reported event: an MIS fill moves its strategy's position. */
  follow(e: OrderEvent): void {
    if (e.type === 'OrderFilled' && e.product === 'MIS')
      this.add(e.token, e.strategyId, e.side === 'BUY' ? e.quantity : -e.quantity);
  }

  /**
   * The events that give the trades of external MIS order `k` not yet looked at to the
   * strategies whose positions they close: an OrderAccepted per strategy the first time, then
   * its fills. Positions move as the events are reported (`follow`).
   */
  attribute(k: KiteOrder, trades: readonly KiteTrade[]): OrderEvent[] {
    const x = this.externals.get(k.orderId) ?? { seen: 0, ids: new Map<string, ClientOrderId>() };
    this.externals.set(k.orderId, x);
    const sign = k.side === 'SELL' ? 1 : -1;
    const left = new Map(this.net.get(k.token));
    const events: OrderEvent[] = [];
    for (const { trade: tr, shares } of freshShares(trades, x.seen)) {
      let fresh = shares;
      const holders = [...left]
        .filter(([, q]) => q * sign > 0)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [strategy, q] of holders) {
        if (fresh === 0) break;
        const take = Math.min(fresh, Math.abs(q));
        fresh -= take;
        left.set(strategy, q - sign * take);
        const ids = {
          broker: 'zerodha' as const,
          strategyId: strategy as StrategyId,
          token: k.token,
        };
        let id = x.ids.get(strategy);
        if (id === undefined) {
          id = externalId(k.orderId, x.ids.size);
          x.ids.set(strategy, id);
          events.push({
            type: 'OrderAccepted',
            ...ids,
            clientOrderId: id,
            brokerOrderId: k.orderId,
          });
        }
        const price = tr.price as number;
        events.push({
          type: 'OrderFilled',
          ...ids,
          clientOrderId: id,
          side: k.side,
          quantity: quantity(take),
          price: paise(price),
          fees: computeCharges(k.side, take, price, 'MIS', this.charges).total,
          slippage: paise(0),
          tickSeq: 0,
          product: 'MIS',
        });
      }
    }
    x.seen = Math.max(
      x.seen,
      trades.reduce((n, t) => n + t.quantity, 0),
    );
    return events;
  }

  private add(token: number, strategy: string, q: number): void {
    const m = this.net.get(token) ?? new Map<string, number>();
    const next = (m.get(strategy) ?? 0) + q;
    if (next === 0) m.delete(strategy);
    else m.set(strategy, next);
    this.net.set(token, m);
  }
}

/** The id of our strategy's part of an external order: `X`, Kite's order id (15), an index (2). */
function externalId(kiteOrderId: string, index: number): ClientOrderId {
  const digits = kiteOrderId
    .replace(/[^0-9A-Za-z]/g, '')
    .slice(-15)
    .padStart(15, '0');
  return clientOrderId(`X${digits}${index.toString(36).toUpperCase().padStart(2, '0')}`);
}
