/**
 * The fake's Kite order book: what the paper engine's order events (accepted, filled, canceled,
 * rejected, modified) did to each Kite order, each order's history of states, the trades, and
 * the order updates waiting to be sent.
 */
import type { ClientOrderId, OrderEvent } from '../../src/model/index.js';
import type { Json } from './kite-fixtures.js';
import { kiteOrderDay } from './kite-time.js';
import { orderJson, TERMINAL, tradeJson, type KiteOrder } from './order-json.js';

/** A fill as the portfolio sees it: prices and fees in paise, time epoch ms. */
export interface BookFill {
  readonly order: KiteOrder;
  readonly quantity: number;
  readonly price: number;
  readonly fees: number;
  readonly at: number;
  readonly json: Json;
}

/** What an order is created from: everything but its state. */
export type NewOrder = Pick<
  KiteOrder,
  | 'clientOrderId'
  | 'variety'
  | 'exchange'
  | 'tradingsymbol'
  | 'token'
  | 'side'
  | 'orderType'
  | 'product'
  | 'validity'
  | 'quantity'
  | 'price'
  | 'triggerPrice'
  | 'marketProtection'
  | 'tag'
>;

const isStop = (o: KiteOrder): boolean => o.orderType === 'SL' || o.orderType === 'SL-M';

export class OrderBook {
  private readonly orders = new Map<string, KiteOrder>();
  /** The paper engine's id → the Kite order it is (the latest one, ids may be reused). */
  private readonly byClientId = new Map<ClientOrderId, KiteOrder>();
  readonly fills: BookFill[] = [];
  private pendingUpdates: Json[] = [];
  private placed = 0;
  private sentToExchange = 0;

  /** Opens a Kite order whose request was received and validated: it goes to the exchange next. */
  create(n: NewOrder, now: number): KiteOrder {
    this.placed += 1;
    const o: KiteOrder = {
      ...n,
      orderId: `${kiteOrderDay(now)}${String(this.placed).padStart(9, '0')}`,
      exchangeOrderId: null,
      status: 'PUT ORDER REQ RECEIVED',
      statusMessage: null,
      statusMessageRaw: null,
      filled: 0,
      cancelled: 0,
      filledValue: 0,
      modified: false,
      orderTimestamp: now,
      exchangeTimestamp: null,
      exchangeUpdateTimestamp: null,
      cancelRequested: false,
      history: [],
    };
    this.orders.set(o.orderId, o);
    this.byClientId.set(o.clientOrderId, o);
    this.record(o);
    this.moveTo(o, 'VALIDATION PENDING');
    return o;
  }

  get(orderId: string): KiteOrder | undefined {
    return this.orders.get(orderId);
  }

  byClientOrderId(id: ClientOrderId): KiteOrder | undefined {
    return this.byClientId.get(id);
  }

  all(): KiteOrder[] {
    return [...this.orders.values()];
  }

  /** The order updates produced since the last call, oldest first. */
  takeUpdates(): Json[] {
    const out = this.pendingUpdates;
    this.pendingUpdates = [];
    return out;
  }

  /** Refuses `o` as the RMS does: REJECTED with `message`, never sent to the exchange. */
  reject(o: KiteOrder, message: string, raw: string, now: number): void {
    o.statusMessage = message;
    o.statusMessageRaw = raw;
    this.moveTo(o, 'REJECTED', now, true);
  }

  /** The user asked for a modification the exchange accepted: the states Kite shows for it. */
  modifying(o: KiteOrder, now: number): void {
    for (const s of ['MODIFY VALIDATION PENDING', 'MODIFY PENDING', 'MODIFIED']) {
      this.moveTo(o, s, now);
    }
  }

  /** The user asked to cancel `o`. */
  canceling(o: KiteOrder, now: number): void {
    o.cancelRequested = true;
    this.moveTo(o, 'CANCEL PENDING', now);
  }

  /** A stop's trigger was crossed: it is an open order at the exchange now. */
  triggered(o: KiteOrder, now: number): void {
    if (o.status === 'TRIGGER PENDING') this.moveTo(o, 'OPEN', now, true);
  }

  /** Applies one of the paper engine's events to the order it names (which must be known). */
  apply(e: OrderEvent, now: number): void {
    const o = this.byClientId.get(e.clientOrderId);
    if (o === undefined || TERMINAL.has(o.status)) return;
    switch (e.type) {
      case 'OrderAccepted':
        this.sentToExchange += 1;
        o.exchangeOrderId = `13${String(this.sentToExchange).padStart(14, '0')}`;
        o.exchangeTimestamp = now;
        this.moveTo(o, 'OPEN PENDING', now);
        this.moveTo(o, isStop(o) ? 'TRIGGER PENDING' : 'OPEN', now, true);
        return;
      case 'OrderFilled': {
        o.filled += e.quantity;
        o.filledValue += e.quantity * e.price;
        const tradeId = String(10_000_000 + this.fills.length + 1);
        const json = tradeJson(o, tradeId, e.quantity, e.price, now);
        this.fills.push({
          order: o,
          quantity: e.quantity,
          price: e.price,
          fees: e.fees,
          at: now,
          json,
        });
        this.moveTo(o, o.filled >= o.quantity ? 'COMPLETE' : 'OPEN', now, true);
        return;
      }
      case 'OrderCanceled':
        o.cancelled += e.quantity;
        if (!o.cancelRequested) o.statusMessage = e.reason;
        this.moveTo(o, 'CANCELLED', now, true);
        return;
      case 'OrderRejected': {
        const holdings = e.code === 'NO_POSITION_TO_SELL';
        o.statusMessage = holdings ? `Insufficient holdings to sell: ${e.detail}` : e.detail;
        o.statusMessageRaw = `RMS:${e.code}`;
        this.moveTo(o, 'REJECTED', now, true);
        return;
      }
      case 'OrderModified': {
        o.quantity = e.quantity;
        if (e.limitPrice !== undefined) o.price = e.limitPrice;
        if (e.triggerPrice !== undefined) o.triggerPrice = e.triggerPrice;
        o.modified = true;
        o.orderTimestamp = now;
        const done = o.filled >= o.quantity;
        const status = done
          ? 'COMPLETE'
          : o.status === 'MODIFIED'
            ? this.restingStatus(o)
            : o.status;
        this.moveTo(o, status, now, true);
        return;
      }
      case 'OrderCommandRejected':
        return;
    }
  }

  /** Where a modified order stands: waiting for its trigger, or open. */
  private restingStatus(o: KiteOrder): string {
    const before = o.history.findLast(
      (r) => r['status'] === 'OPEN' || r['status'] === 'TRIGGER PENDING',
    );
    return (before?.['status'] as string | undefined) ?? 'OPEN';
  }

  private moveTo(o: KiteOrder, status: string, now?: number, update = false): void {
    o.status = status;
    if (now !== undefined && o.exchangeOrderId !== null) o.exchangeUpdateTimestamp = now;
    const row = this.record(o);
    if (update) this.pendingUpdates.push(row);
  }

  private record(o: KiteOrder): Json {
    const row = orderJson(o);
    o.history.push(row);
    return structuredClone(row);
  }
}
