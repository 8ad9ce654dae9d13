/** Builders of the paper broker's order events, so every event carries the same identity fields. */
import {
  paise,
  quantity,
  type CancelOrder,
  type ClientOrderId,
  type InstrumentToken,
  type ModifyOrder,
  type OrderAccepted,
  type OrderCanceled,
  type OrderCommandRejected,
  type OrderEvent,
  type OrderFilled,
  type OrderModified,
  type OrderRejectCode,
  type OrderRejected,
  type Product,
  type Side,
  type StrategyId,
  type SubmitOrder,
} from '../../model/index.js';
import type { OpenOrder } from './engine-state.js';

/** An empty reply, shared: most ticks and timers change nothing. */
export const NO_EVENTS: readonly OrderEvent[] = Object.freeze([]);

interface OrderRef {
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
}

function ids(
  o: OrderRef,
): Pick<OrderAccepted, 'broker' | 'clientOrderId' | 'strategyId' | 'token'> {
  return {
    broker: 'paper',
    clientOrderId: o.clientOrderId,
    strategyId: o.strategyId,
    token: o.token,
  };
}

export function accepted(o: OrderRef, brokerOrderId: string): OrderAccepted {
  return { type: 'OrderAccepted', ...ids(o), brokerOrderId };
}

/** A fill of `qty` shares at `price` paise; slippage and fees are computed by the caller. */
export function filled(
  o: OrderRef & { readonly side: Side; readonly product: Product },
  qty: number,
  price: number,
  fees: number,
  slippage: number,
  tickSeq: number,
): OrderFilled {
  return {
    type: 'OrderFilled',
    ...ids(o),
    side: o.side,
    quantity: quantity(qty),
    price: paise(price),
    fees: paise(fees),
    slippage: paise(slippage),
    tickSeq,
    product: o.product,
  };
}

export function canceled(
  o: OrderRef & { readonly side: Side },
  qty: number,
  reason: string,
): OrderCanceled {
  return { type: 'OrderCanceled', ...ids(o), side: o.side, quantity: quantity(qty), reason };
}

export function rejected(order: SubmitOrder, code: OrderRejectCode, detail: string): OrderRejected {
  return {
    type: 'OrderRejected',
    ...ids(order),
    side: order.side,
    quantity: order.quantity,
    code,
    detail,
  };
}

export function modified(o: OpenOrder): OrderModified {
  return {
    type: 'OrderModified',
    ...ids(o),
    quantity: quantity(o.quantity),
    ...(o.limitPrice === null ? {} : { limitPrice: paise(o.limitPrice) }),
    ...(o.triggerPrice === null ? {} : { triggerPrice: paise(o.triggerPrice) }),
    modifications: o.modifications,
  };
}

export function commandRejected(
  command: CancelOrder | ModifyOrder,
  code: OrderRejectCode,
  detail: string,
): OrderCommandRejected {
  return {
    type: 'OrderCommandRejected',
    broker: 'paper',
    clientOrderId: command.clientOrderId,
    strategyId: command.strategyId,
    token: command.token,
    command: command.type,
    code,
    detail,
  };
}

/** The broker order id of the `n`th accepted order: the prefix and a 10-digit counter. */
export function brokerOrderIdOf(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(10, '0')}`;
}
