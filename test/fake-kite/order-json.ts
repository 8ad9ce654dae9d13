/**
 * The JSON the fake answers about orders and trades: copies of the first recorded order
 * (orders.json), trade (trades.json) and order update (postback.json) with their values set.
 */
import { createHash } from 'node:crypto';
import type { ClientOrderId, OrderType, Product, Side, Validity } from '../../src/model/index.js';
import { TEMPLATES, USER_ID, type Json } from './kite-fixtures.js';
import { kiteTime } from './kite-time.js';

/** An order in the fake's book; prices in paise, times in epoch ms. */
export interface KiteOrder {
  readonly orderId: string;
  /** The paper engine's id of the order (the request's tag when it is a valid one). */
  readonly clientOrderId: ClientOrderId;
  exchangeOrderId: string | null;
  readonly variety: string;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly token: number;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly product: Product;
  readonly validity: Validity;
  quantity: number;
  /** Limit price, paise; 0 for MARKET and SL-M. */
  price: number;
  /** Trigger price, paise; 0 for MARKET and LIMIT. */
  triggerPrice: number;
  /** Percent, as the request gave it; 0 when none. */
  readonly marketProtection: number;
  readonly tag: string | null;
  status: string;
  statusMessage: string | null;
  statusMessageRaw: string | null;
  filled: number;
  cancelled: number;
  /** Sum of fill quantity × fill price, paise. */
  filledValue: number;
  modified: boolean;
  orderTimestamp: number;
  exchangeTimestamp: number | null;
  exchangeUpdateTimestamp: number | null;
  /** A cancel was asked for by the user (its CANCELLED carries no status message). */
  cancelRequested: boolean;
  /** Every state the order went through, as GET /orders/:id answers them. */
  readonly history: Json[];
}

/** Statuses after which an order never changes. */
export const TERMINAL = new Set(['COMPLETE', 'CANCELLED', 'REJECTED']);

/** Sets `values` on `template`; throws when a key is not one of the recording's fields. */
export function setFields(template: Json, values: Json): Json {
  for (const [k, v] of Object.entries(values)) {
    if (!(k in template)) throw new Error(`the recorded payload has no field ${k}`);
    template[k] = v;
  }
  return template;
}

const rupees = (p: number): number => Math.round(p) / 100;
const time = (t: number | null): string | null => (t === null ? null : kiteTime(t));

/** The order as GET /orders shows it now (orders.json's shape). */
export function orderJson(o: KiteOrder): Json {
  const open = !TERMINAL.has(o.status);
  return setFields(TEMPLATES.order(), {
    placed_by: USER_ID,
    order_id: o.orderId,
    exchange_order_id: o.exchangeOrderId,
    parent_order_id: null,
    status: o.status,
    status_message: o.statusMessage,
    status_message_raw: o.statusMessageRaw,
    order_timestamp: kiteTime(o.orderTimestamp),
    exchange_update_timestamp: time(o.exchangeUpdateTimestamp),
    exchange_timestamp: time(o.exchangeTimestamp),
    variety: o.variety,
    modified: o.modified,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    instrument_token: o.token,
    order_type: o.orderType,
    transaction_type: o.side,
    validity: o.validity,
    product: o.product,
    quantity: o.quantity,
    disclosed_quantity: 0,
    price: rupees(o.price),
    trigger_price: rupees(o.triggerPrice),
    average_price: o.filled === 0 ? 0 : Number((o.filledValue / o.filled / 100).toFixed(4)),
    filled_quantity: o.filled,
    pending_quantity: open ? o.quantity - o.filled : 0,
    cancelled_quantity: o.cancelled,
    market_protection: o.marketProtection,
    meta: {},
    tag: o.tag,
    guid: `${o.orderId}G`,
  });
}

/** One fill as GET /trades shows it (trades.json's shape). */
export function tradeJson(
  o: KiteOrder,
  tradeId: string,
  quantity: number,
  pricePaise: number,
  at: number,
): Json {
  return setFields(TEMPLATES.trade(), {
    trade_id: tradeId,
    order_id: o.orderId,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    instrument_token: o.token,
    product: o.product,
    average_price: rupees(pricePaise),
    quantity,
    exchange_order_id: o.exchangeOrderId,
    transaction_type: o.side,
    fill_timestamp: kiteTime(at),
    order_timestamp: kiteTime(o.orderTimestamp).slice(11),
    exchange_timestamp: kiteTime(at),
  });
}

/** sha256 hex of order_id + order_timestamp + api_secret: an order update's checksum. */
export function updateChecksum(orderId: string, orderTimestamp: string, apiSecret: string): string {
  return createHash('sha256')
    .update(orderId + orderTimestamp + apiSecret)
    .digest('hex');
}

/** An order update (postback.json's shape) of the order state `row` (orderJson's shape). */
export function postbackJson(row: Json, apiSecret: string): Json {
  const t = TEMPLATES.postback();
  const values: Json = {};
  for (const k of Object.keys(t)) if (k in row) values[k] = row[k];
  const quantity = row['quantity'] as number;
  const filled = row['filled_quantity'] as number;
  return setFields(t, {
    ...values,
    user_id: USER_ID,
    unfilled_quantity: quantity - filled,
    checksum: updateChecksum(
      row['order_id'] as string,
      row['order_timestamp'] as string,
      apiSecret,
    ),
  });
}
