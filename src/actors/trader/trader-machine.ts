/**
 * The trader, one per broker: turns each validated signal into a SubmitOrder with our client
 * order id (journaled before any broker sees it), and each broker reply into the order's
 * lifecycle events. It does not know which adapter it drives.
 */
import { enqueueActions, setup } from 'xstate';
import type {
  BrokerName,
  BrokerReplied,
  ClientOrderId,
  OrderEvent,
  SignalValidated,
  SubmitOrder,
} from '../../model/index.js';

export type OrderStatus = 'IN_FLIGHT' | 'ACCEPTED' | 'PARTIALLY_FILLED';

export interface OpenOrder {
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: string;
  readonly token: number;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: number;
  readonly filled: number;
  readonly status: OrderStatus;
}

/**
 * Where the trader's client order ids come from (ARCHITECTURE invariant 1: ids are injected).
 * The system derives each from the journal's identity and the seq of the validated signal being
 * delivered, so replay hands out the same ids and no id is ever handed out twice.
 */
export interface OrderIdSource {
  next(broker: BrokerName): ClientOrderId;
}

export interface TraderInput {
  readonly broker: BrokerName;
  readonly orderIds: OrderIdSource;
  readonly restore?: TraderContext;
}

export interface TraderContext {
  readonly broker: BrokerName;
  /** Given by the input, also on a restore (a snapshot does not keep it). */
  readonly orderIds: OrderIdSource;
  /** Orders placed so far. */
  readonly placed: number;
  /** Orders not yet in a final state, by client order id. */
  readonly open: Readonly<Record<string, OpenOrder>>;
  readonly filled: number;
  readonly rejected: number;
}

export type TraderEvent = SignalValidated | BrokerReplied;
type Emitted = SubmitOrder | OrderEvent;

export const traderMachine = setup({
  types: {
    input: {} as TraderInput,
    context: {} as TraderContext,
    events: {} as TraderEvent,
    emitted: {} as Emitted,
  },
}).createMachine({
  id: 'trader',
  context: ({ input }) =>
    input.restore
      ? { ...input.restore, orderIds: input.orderIds }
      : {
          broker: input.broker,
          orderIds: input.orderIds,
          placed: 0,
          open: {},
          filled: 0,
          rejected: 0,
        },
  initial: 'running',
  states: {
    running: {
      on: {
        SignalValidated: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const s = event.signal;
            const id = context.orderIds.next(context.broker);
            const order: SubmitOrder = {
              type: 'SubmitOrder',
              broker: context.broker,
              clientOrderId: id,
              strategyId: s.strategyId,
              token: s.token,
              side: s.side,
              quantity: s.quantity,
              orderType: 'MARKET',
              price: s.price,
            };
            enqueue.assign({
              placed: context.placed + 1,
              open: {
                ...context.open,
                [id]: {
                  clientOrderId: id,
                  strategyId: s.strategyId,
                  token: s.token,
                  side: s.side,
                  quantity: s.quantity,
                  filled: 0,
                  status: 'IN_FLIGHT',
                },
              },
            });
            enqueue.emit(order);
          }),
        },
        BrokerReplied: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const r = event.reply;
            const o = context.open[r.clientOrderId];
            const open = { ...context.open };
            switch (r.type) {
              case 'OrderAccepted':
                if (o) open[r.clientOrderId] = { ...o, status: 'ACCEPTED' };
                break;
              case 'OrderFilled': {
                if (o) {
                  const filled = o.filled + r.quantity;
                  if (filled >= o.quantity) delete open[r.clientOrderId];
                  else open[r.clientOrderId] = { ...o, filled, status: 'PARTIALLY_FILLED' };
                }
                enqueue.assign({ filled: context.filled + 1 });
                break;
              }
              case 'OrderRejected':
                delete open[r.clientOrderId];
                enqueue.assign({ rejected: context.rejected + 1 });
                break;
              case 'OrderCanceled':
                delete open[r.clientOrderId];
                break;
            }
            enqueue.assign({ open });
            enqueue.emit(r);
          }),
        },
      },
    },
  },
});
