/**
 * The orders of a journal as compare lines them up: each SubmitOrder with the fills of its client
 * order id, at market time (the latest tick's exchange time when it was submitted).
 */
import type {
  BrokerName,
  JournalRecord,
  MarketTick,
  OrderFilled,
  Side,
  SubmitOrder,
} from '../../model/index.js';

export interface OrderLine {
  readonly seq: number;
  readonly broker: BrokerName;
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly token: number;
  readonly side: Side;
  /** Shares asked for. */
  readonly quantity: number;
  readonly orderType: string;
  /** Reference price at submission (the signal's last price), paise. */
  readonly price: number;
  readonly limitPrice: number | null;
  /** Market time of the submission: the latest tick's time then (record time before any tick), ms. */
  readonly ts: number;
  /** Shares filled. */
  filledQuantity: number;
  /** Average fill price, paise (rounded); null when nothing filled. */
  fillPrice: number | null;
  /** Fees of its fills, paise. */
  fees: number;
}

export interface JournalOrders {
  /** RunStarted records in the journal. */
  readonly runs: number;
  /** Every order of every run, in seq order. */
  readonly orders: readonly OrderLine[];
}

/** Reads a journal's records in seq order and returns its orders with their fills. */
export async function journalOrders(
  records: AsyncIterable<JournalRecord> | Iterable<JournalRecord>,
): Promise<JournalOrders> {
  let runs = 0;
  let now: number | null = null;
  const orders: OrderLine[] = [];
  const byId = new Map<string, { line: OrderLine; value: number }>();
  for await (const r of records) {
    switch (r.type) {
      case 'RunStarted':
        runs++;
        break;
      case 'MarketTick': {
        const ts = (r.data as MarketTick).ts;
        now = now === null ? ts : Math.max(now, ts);
        break;
      }
      case 'SubmitOrder': {
        const o = r.data as SubmitOrder;
        const line: OrderLine = {
          seq: r.seq,
          broker: o.broker,
          clientOrderId: o.clientOrderId,
          strategyId: o.strategyId,
          token: o.token,
          side: o.side,
          quantity: o.quantity,
          orderType: o.orderType,
          price: o.price,
          limitPrice: o.limitPrice ?? null,
          ts: now ?? r.ts,
          filledQuantity: 0,
          fillPrice: null,
          fees: 0,
        };
        orders.push(line);
        byId.set(`${o.broker}:${o.clientOrderId}`, { line, value: 0 });
        break;
      }
      case 'OrderFilled': {
        const f = r.data as OrderFilled;
        const o = byId.get(`${f.broker}:${f.clientOrderId}`);
        if (o === undefined) break;
        o.value += f.quantity * f.price;
        o.line.filledQuantity += f.quantity;
        o.line.fees += f.fees;
        o.line.fillPrice = Math.round(o.value / o.line.filledQuantity);
        break;
      }
    }
  }
  return { runs, orders };
}
