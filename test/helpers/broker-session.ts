/**
 * The broker contract's session: a BrokerHarness wrapped with the case's bookkeeping (orders
 * sent, every event back), builders of commands and books, and the order-lifecycle checks run
 * after every case (test/contract/broker.case.ts).
 */
import { expect } from 'vitest';
import type { BrokerCommand } from '../../src/brokers/index.js';
import {
  clientOrderIdOf,
  paise,
  quantity,
  strategyId,
  type BrokerName,
  type CancelOrder,
  type ClientOrderId,
  type MarketTick,
  type MarketTimerFired,
  type MarketTimerKind,
  type ModifyOrder,
  type OrderEvent,
  type OrderFilled,
  type Side,
  type SubmitOrder,
} from '../../src/model/index.js';
import { makeTick } from './ticks.js';

/** What an adapter hands the suite: one fresh account and market per case. */
export interface BrokerHarness {
  /** The broker the adapter serves; commands are addressed to it. */
  readonly broker: BrokerName;
  send(command: BrokerCommand): Promise<OrderEvent[]>;
  /** Delivers a market tick (to the adapter, and to the fake exchange behind it). */
  tick(tick: MarketTick): Promise<OrderEvent[]>;
  timer(timer: MarketTimerFired): Promise<OrderEvent[]>;
  /** Releases what the harness holds (servers, sockets); optional. */
  close?(): Promise<void>;
}

/** RELIANCE on NSE; 5-paise ticks. */
export const CONTRACT_TOKEN = 738561;
export const CONTRACT_STRATEGY = strategyId('contract');
/** 10:00 IST on Monday 5 January 2026. */
const T0 = Date.parse('2026-01-05T04:30:00Z');

type Book = { bids?: [number, number][]; asks?: [number, number][]; volume?: number };

/** A harness wrapped with the case's bookkeeping: the orders it sent and every event back. */
export class BrokerSession {
  readonly events: OrderEvent[] = [];
  readonly orders = new Map<string, SubmitOrder>();
  private n = 0;
  private ticks = 0;

  constructor(readonly h: BrokerHarness) {}

  /** A new client order id, as the trader makes them (18 characters). */
  nextId(): ClientOrderId {
    this.n += 1;
    return clientOrderIdOf(this.h.broker, { nonce: 424_242, epoch: 0 }, this.n);
  }

  order(side: Side, qty: number, over: Partial<SubmitOrder> = {}): SubmitOrder {
    return {
      type: 'SubmitOrder',
      broker: this.h.broker,
      clientOrderId: this.nextId(),
      strategyId: CONTRACT_STRATEGY,
      token: CONTRACT_TOKEN,
      side,
      quantity: quantity(qty),
      orderType: 'MARKET',
      validity: 'DAY',
      product: 'CNC',
      price: paise(100_000),
      protectionPrice: paise(side === 'BUY' ? 105_000 : 95_000),
      ...over,
    };
  }

  limit(side: Side, qty: number, price: number, over: Partial<SubmitOrder> = {}): SubmitOrder {
    const { protectionPrice: _, ...rest } = this.order(side, qty, over);
    return { ...rest, orderType: 'LIMIT', limitPrice: paise(price), ...over };
  }

  cancelOf(o: SubmitOrder): CancelOrder {
    const { broker, clientOrderId, strategyId: s, token } = o;
    return { type: 'CancelOrder', broker, clientOrderId, strategyId: s, token, reason: 'contract' };
  }

  modifyOf(o: SubmitOrder, change: Pick<ModifyOrder, 'quantity' | 'limitPrice'>): ModifyOrder {
    const { broker, clientOrderId, strategyId: s, token } = o;
    return { type: 'ModifyOrder', broker, clientOrderId, strategyId: s, token, ...change };
  }

  async send(command: BrokerCommand): Promise<OrderEvent[]> {
    if (command.type === 'SubmitOrder') this.orders.set(command.clientOrderId, command);
    return this.record(await this.h.send(command));
  }

  /** A tick at `lastPrice` paise with exactly `book` (best first), one second after the last. */
  async tick(lastPrice: number, book: Book = {}): Promise<OrderEvent[]> {
    this.ticks += 1;
    const level = ([p, q]: [number, number]) => ({ price: paise(p), quantity: q, orders: 1 });
    const t = makeTick(CONTRACT_TOKEN, lastPrice, {
      ts: T0 + this.ticks * 1_000,
      volume: book.volume ?? 10_000 + this.ticks,
      bids: (book.bids ?? []).map(level),
      asks: (book.asks ?? []).map(level),
    });
    return this.record(await this.h.tick(t));
  }

  /** A deep book around 1,000.00 rupees: 5,000 at 999.95 and at 1,000.00. */
  deepBook(): Promise<OrderEvent[]> {
    return this.tick(100_000, { bids: [[99_995, 5_000]], asks: [[100_000, 5_000]] });
  }

  async timer(kind: MarketTimerKind): Promise<OrderEvent[]> {
    const at = T0 + (this.ticks + 1) * 1_000;
    const t: MarketTimerFired = { type: 'MarketTimerFired', kind, at, tradingDay: '2026-01-05' };
    return this.record(await this.h.timer(t));
  }

  /** Events about order `id` so far. */
  of(id: string): OrderEvent[] {
    return this.events.filter((e) => e.clientOrderId === id);
  }

  filledOf(id: string): number {
    return fills(this.of(id)).reduce((s, f) => s + f.quantity, 0);
  }

  private record(events: OrderEvent[]): OrderEvent[] {
    this.events.push(...events);
    return events;
  }

  /** The lifecycle rules every order obeys, checked over everything the case saw. */
  checkLifecycles(): void {
    const ids = new Set(this.events.map((e) => e.clientOrderId));
    for (const id of ids) {
      const evs = this.of(id);
      const accepted = evs.filter((e) => e.type === 'OrderAccepted');
      const rejected = evs.filter((e) => e.type === 'OrderRejected');
      expect(accepted.length, `order ${id} accepted more than once`).toBeLessThanOrEqual(1);
      expect(accepted.length * rejected.length, `order ${id} both accepted and rejected`).toBe(0);
      const sent = this.orders.get(id);
      let qty = sent?.quantity ?? 0;
      let done = 0;
      let seenAccepted = false;
      for (const e of evs) {
        expect(e.broker, `event of order ${id} from another broker`).toBe(this.h.broker);
        if (sent !== undefined) {
          expect([e.strategyId, e.token]).toEqual([sent.strategyId, sent.token]);
        }
        if (e.type === 'OrderAccepted') {
          seenAccepted = true;
          expect(e.brokerOrderId.length).toBeGreaterThan(0);
        }
        if (e.type === 'OrderModified') qty = e.quantity;
        if (e.type === 'OrderFilled' || e.type === 'OrderCanceled') {
          expect(seenAccepted, `order ${id}: ${e.type} before OrderAccepted`).toBe(true);
          expect(Number.isSafeInteger(e.quantity) && e.quantity > 0).toBe(true);
          done += e.quantity;
        }
        if (e.type === 'OrderFilled') {
          expect(Number.isSafeInteger(e.price) && e.price > 0).toBe(true);
          expect(Number.isSafeInteger(e.fees) && e.fees >= 0).toBe(true);
          if (sent !== undefined) expect([e.side, e.product]).toEqual([sent.side, sent.product]);
        }
      }
      if (sent !== undefined) {
        expect(done, `order ${id}: filled + canceled beyond its quantity`).toBeLessThanOrEqual(qty);
      }
    }
  }
}

export function fills(events: readonly OrderEvent[]): OrderFilled[] {
  return events.filter((e): e is OrderFilled => e.type === 'OrderFilled');
}
