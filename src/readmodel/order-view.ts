/**
 * The in-process order read model: every order of the run from its journal records (submitted,
 * accepted, filled in parts, rejected, canceled, modified), with its fills. Open orders are kept
 * whatever their number; of closed ones the latest `keepClosed`.
 */
import type {
  BrokerName,
  JournalRecord,
  OrderAccepted,
  OrderCanceled,
  OrderFilled,
  OrderModified,
  OrderRejected,
  Side,
  SubmitOrder,
} from '../model/index.js';

export type OrderViewStatus =
  'IN_FLIGHT' | 'OPEN' | 'PARTIALLY_FILLED' | 'COMPLETE' | 'REJECTED' | 'CANCELLED';

export interface OrderFillView {
  readonly seq: number;
  readonly quantity: number;
  readonly price: number;
  readonly fees: number;
}

export interface OrderView {
  readonly clientOrderId: string;
  readonly broker: BrokerName;
  readonly strategyId: string;
  readonly token: number;
  readonly side: Side | null;
  readonly orderType: string | null;
  readonly validity: string | null;
  readonly product: string | null;
  readonly quantity: number;
  readonly filled: number;
  readonly limitPrice: number | null;
  readonly triggerPrice: number | null;
  /** MARKET and SL-M: the worst price it may fill at (market protection), paise. */
  readonly protectionPrice: number | null;
  readonly brokerOrderId: string | null;
  readonly status: OrderViewStatus;
  /** Why it was rejected or canceled. */
  readonly reason: string | null;
  readonly fills: readonly OrderFillView[];
  /** Seq of its first and latest record. */
  readonly seq: number;
  readonly updatedSeq: number;
}

export interface OrderFilter {
  readonly broker?: string;
  readonly strategyId?: string;
  readonly status?: string;
}

/** The record types of an order's life, which the order read model applies. */
export const ORDER_RECORDS: ReadonlySet<string> = new Set([
  'SubmitOrder',
  'OrderAccepted',
  'OrderFilled',
  'OrderRejected',
  'OrderCanceled',
  'OrderModified',
]);

export const OPEN_STATUSES: readonly OrderViewStatus[] = ['IN_FLIGHT', 'OPEN', 'PARTIALLY_FILLED'];
const isOpen = (o: OrderView) => OPEN_STATUSES.includes(o.status);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class OrderReadModel {
  private readonly orders = new Map<string, Mutable<OrderView>>();
  private closed: string[] = [];
  /** Keys of the orders not yet final: portfolios ask for these on every view. */
  private readonly openKeys = new Set<string>();

  constructor(private readonly keepClosed = 10_000) {}

  /** Applies one journal record (a tap on the switchboard or a record read back). */
  apply(r: JournalRecord): void {
    switch (r.type) {
      case 'SubmitOrder': {
        const d = r.data as SubmitOrder;
        this.openKeys.add(key(d.broker, d.clientOrderId));
        this.orders.set(key(d.broker, d.clientOrderId), {
          clientOrderId: d.clientOrderId,
          broker: d.broker,
          strategyId: d.strategyId,
          token: d.token,
          side: d.side,
          orderType: d.orderType,
          validity: d.validity,
          product: d.product,
          quantity: d.quantity,
          filled: 0,
          limitPrice: d.limitPrice ?? null,
          triggerPrice: d.triggerPrice ?? null,
          protectionPrice: d.protectionPrice ?? null,
          brokerOrderId: null,
          status: 'IN_FLIGHT',
          reason: null,
          fills: [],
          seq: r.seq,
          updatedSeq: r.seq,
        });
        return;
      }
      case 'OrderAccepted': {
        const d = r.data as OrderAccepted;
        const o = this.entry(d, r.seq);
        o.brokerOrderId = d.brokerOrderId;
        if (o.status === 'IN_FLIGHT') o.status = 'OPEN';
        return;
      }
      case 'OrderFilled': {
        const d = r.data as OrderFilled;
        const o = this.entry(d, r.seq);
        o.side ??= d.side;
        o.product ??= d.product;
        o.filled += d.quantity;
        if (o.quantity < o.filled) o.quantity = o.filled;
        o.fills = [...o.fills, { seq: r.seq, quantity: d.quantity, price: d.price, fees: d.fees }];
        o.status = o.filled >= o.quantity ? 'COMPLETE' : 'PARTIALLY_FILLED';
        if (o.status === 'COMPLETE') this.close(d.broker, d.clientOrderId);
        return;
      }
      case 'OrderRejected':
      case 'OrderCanceled': {
        const d = r.data as OrderRejected | OrderCanceled;
        const o = this.entry(d, r.seq);
        o.side ??= d.side;
        o.status = r.type === 'OrderRejected' ? 'REJECTED' : 'CANCELLED';
        o.reason = 'detail' in d ? `${d.code}: ${d.detail}` : d.reason;
        this.close(d.broker, d.clientOrderId);
        return;
      }
      case 'OrderModified': {
        const d = r.data as OrderModified;
        const o = this.entry(d, r.seq);
        o.quantity = d.quantity;
        o.limitPrice = d.limitPrice ?? o.limitPrice;
        o.triggerPrice = d.triggerPrice ?? o.triggerPrice;
        return;
      }
    }
  }

  /** Orders matching `f`, newest first. */
  list(f: OrderFilter = {}): OrderView[] {
    const out: OrderView[] = [];
    for (const o of this.orders.values()) {
      if (f.broker !== undefined && o.broker !== f.broker) continue;
      if (f.strategyId !== undefined && o.strategyId !== f.strategyId) continue;
      if (
        f.status !== undefined &&
        f.status !== (isOpen(o) ? 'OPEN' : o.status) &&
        f.status !== o.status
      )
        continue;
      out.push({ ...o });
    }
    return out.sort((a, b) => b.seq - a.seq);
  }

  /** The open orders of one portfolio, newest first (reads only the open ones). */
  open(broker: string, strategyId: string): OrderView[] {
    const out: OrderView[] = [];
    for (const k of this.openKeys) {
      const o = this.orders.get(k)!;
      if (o.broker === broker && o.strategyId === strategyId && isOpen(o)) out.push({ ...o });
    }
    return out.sort((a, b) => b.seq - a.seq);
  }

  private entry(
    d: { broker: BrokerName; clientOrderId: string; strategyId: string; token: number },
    seq: number,
  ): Mutable<OrderView> {
    const k = key(d.broker, d.clientOrderId);
    let o = this.orders.get(k);
    if (o === undefined) {
      // An order the broker placed itself (a square-off, a bracket exit), or one from before
      // this process started.
      o = {
        clientOrderId: d.clientOrderId,
        broker: d.broker,
        strategyId: d.strategyId,
        token: d.token,
        side: null,
        orderType: null,
        validity: null,
        product: null,
        quantity: 0,
        filled: 0,
        limitPrice: null,
        triggerPrice: null,
        protectionPrice: null,
        brokerOrderId: null,
        status: 'OPEN',
        reason: null,
        fills: [],
        seq,
        updatedSeq: seq,
      };
      this.openKeys.add(k);
      this.orders.set(k, o);
    }
    o.updatedSeq = seq;
    return o;
  }

  private close(broker: string, id: string): void {
    this.openKeys.delete(key(broker, id));
    this.closed.push(key(broker, id));
    if (this.closed.length > this.keepClosed * 2) {
      const drop = this.closed.slice(0, this.closed.length - this.keepClosed);
      this.closed = this.closed.slice(drop.length);
      for (const k of drop) {
        const o = this.orders.get(k);
        if (o && !isOpen(o)) this.orders.delete(k);
      }
    }
  }
}

const key = (broker: string, id: string) => `${broker}:${id}`;
