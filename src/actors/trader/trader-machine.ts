/**
 * The trader, one per broker: turns each validated signal into one SubmitOrder per slice with our
 * client order id (journaled before any broker sees it), each broker reply into the order's
 * lifecycle events, and the kill switch into a CancelOrder for every open order. It does not know
 * which adapter it drives.
 */
import { enqueueActions, setup } from 'xstate';
import {
  clientOrderId,
  type BrokerName,
  type BrokerReplied,
  type CancelOrder,
  type ClientOrderId,
  type KillSwitch,
  type OrderEvent,
  type SignalValidated,
  type StrategyId,
  type SubmitOrder,
} from '../../model/index.js';

export type OrderStatus = 'IN_FLIGHT' | 'ACCEPTED' | 'PARTIALLY_FILLED';

export interface OpenOrder {
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
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
  /**
   * Net MIS position per strategy and instrument from the fills of this broker (signed shares; no
   * zero entries): what a remote broker's own square-off (Zerodha's at 15:20) closes, so its
   * adapter can give each strategy its part.
   */
  readonly mis: Readonly<Record<string, Readonly<Record<number, number>>>>;
}

export type TraderEvent = SignalValidated | BrokerReplied | KillSwitch;
type Emitted = SubmitOrder | CancelOrder | OrderEvent;

/** A slice's id: the signal's id, plus its slice index in base 36 when the order is sliced. */
function sliceId(base: ClientOrderId, index: number, slices: number): ClientOrderId {
  return slices === 1 ? base : clientOrderId(`${base}${index.toString(36).toUpperCase()}`);
}

/** `mis` after the MIS fill `f`. */
function withMis(
  mis: TraderContext['mis'],
  f: { strategyId: string; token: number; side: 'BUY' | 'SELL'; quantity: number },
): TraderContext['mis'] {
  const mine = { ...mis[f.strategyId] };
  const q = (mine[f.token] ?? 0) + (f.side === 'BUY' ? f.quantity : -f.quantity);
  if (q === 0) delete mine[f.token];
  else mine[f.token] = q;
  const out = { ...mis, [f.strategyId]: mine };
  if (Object.keys(mine).length === 0) delete out[f.strategyId];
  return out;
}

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
      ? { ...input.restore, mis: input.restore.mis ?? {}, orderIds: input.orderIds }
      : {
          broker: input.broker,
          orderIds: input.orderIds,
          placed: 0,
          open: {},
          filled: 0,
          rejected: 0,
          mis: {},
        },
  initial: 'running',
  states: {
    running: {
      on: {
        SignalValidated: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const s = event.signal;
            const o = event.order;
            const base = context.orderIds.next(context.broker);
            const open = { ...context.open };
            const orders: SubmitOrder[] = [];
            o.slices.forEach((qty, i) => {
              const id = sliceId(base, i, o.slices.length);
              orders.push({
                type: 'SubmitOrder',
                broker: context.broker,
                clientOrderId: id,
                strategyId: s.strategyId,
                token: s.token,
                side: s.side,
                quantity: qty,
                orderType: o.orderType,
                validity: o.validity,
                product: o.product,
                price: s.price,
                ...(o.limitPrice !== undefined ? { limitPrice: o.limitPrice } : {}),
                ...(o.triggerPrice !== undefined ? { triggerPrice: o.triggerPrice } : {}),
                ...(o.protectionPrice !== undefined ? { protectionPrice: o.protectionPrice } : {}),
                ...(o.bracket !== undefined ? { bracket: o.bracket } : {}),
              });
              open[id] = {
                clientOrderId: id,
                strategyId: s.strategyId,
                token: s.token,
                side: s.side,
                quantity: qty,
                filled: 0,
                status: 'IN_FLIGHT',
              };
            });
            enqueue.assign({ placed: context.placed + orders.length, open });
            for (const order of orders) enqueue.emit(order);
          }),
        },
        KillSwitch: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            for (const o of Object.values(context.open)) {
              enqueue.emit({
                type: 'CancelOrder',
                broker: context.broker,
                clientOrderId: o.clientOrderId,
                strategyId: o.strategyId,
                token: o.token,
                reason: `kill switch: ${event.reason}`,
              });
            }
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
                if (r.product === 'MIS') enqueue.assign({ mis: withMis(context.mis, r) });
                break;
              }
              case 'OrderRejected':
                delete open[r.clientOrderId];
                enqueue.assign({ rejected: context.rejected + 1 });
                break;
              case 'OrderCanceled':
                delete open[r.clientOrderId];
                break;
              case 'OrderModified':
                if (o) open[r.clientOrderId] = { ...o, quantity: r.quantity };
                break;
              case 'OrderCommandRejected':
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
