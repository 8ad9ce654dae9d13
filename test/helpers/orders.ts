/** Test builders for broker commands, books and market timers, through the real constructors. */
import {
  clientOrderId,
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
  type Side,
  type StrategyId,
  type SubmitOrder,
} from '../../src/model/index.js';
import { makeTick } from './ticks.js';

export const TEST_STRATEGY: StrategyId = strategyId('momentum');

/**
 * Client order ids as the trader makes them (18 characters, so bracket exits fit): `n` is the
 * journal seq the order answers; `nonce` keeps two sequences apart.
 */
export function orderIdOf(n: number, nonce = 1, broker: BrokerName = 'paper'): ClientOrderId {
  return clientOrderIdOf(broker, { nonce, epoch: 0 }, n);
}

/** Fields of a SubmitOrder a test may set; the rest default to a MARKET DAY CNC order. */
export type OrderFields = Partial<Omit<SubmitOrder, 'type' | 'side' | 'quantity' | 'token'>>;

/** A SubmitOrder of `qty` shares of `token`; `over` replaces any field. */
export function submitOf(
  id: ClientOrderId | string,
  token: number,
  side: Side,
  qty: number,
  over: OrderFields = {},
): SubmitOrder {
  return {
    type: 'SubmitOrder',
    broker: 'paper',
    clientOrderId: typeof id === 'string' ? clientOrderId(id) : id,
    strategyId: TEST_STRATEGY,
    token,
    side,
    quantity: quantity(qty),
    orderType: 'MARKET',
    validity: 'DAY',
    product: 'CNC',
    price: paise(0),
    ...over,
  };
}

export function cancelOf(
  order: Pick<SubmitOrder, 'broker' | 'clientOrderId' | 'strategyId' | 'token'>,
  reason = 'canceled by the test',
): CancelOrder {
  return {
    type: 'CancelOrder',
    broker: order.broker,
    clientOrderId: order.clientOrderId,
    strategyId: order.strategyId,
    token: order.token,
    reason,
  };
}

export function modifyOf(
  order: Pick<SubmitOrder, 'broker' | 'clientOrderId' | 'strategyId' | 'token'>,
  change: Partial<Pick<ModifyOrder, 'quantity' | 'limitPrice' | 'triggerPrice'>>,
): ModifyOrder {
  return {
    type: 'ModifyOrder',
    broker: order.broker,
    clientOrderId: order.clientOrderId,
    strategyId: order.strategyId,
    token: order.token,
    ...change,
  };
}

/** A book level: [price paise, quantity]. */
export type Level = readonly [number, number];

/**
 * A tick of `token` with exactly the given book (best first), LTP and cumulative volume; no
 * levels on either side makes a depth-less (LTP-only) tick.
 */
export function bookTick(
  token: number,
  book: {
    readonly lastPrice: number;
    readonly bids?: readonly Level[];
    readonly asks?: readonly Level[];
    readonly volume?: number;
    readonly ts?: number;
  },
): MarketTick {
  const level = ([p, q]: Level) => ({ price: paise(p), quantity: q, orders: 1 });
  return makeTick(token, book.lastPrice, {
    bids: (book.bids ?? []).map(level),
    asks: (book.asks ?? []).map(level),
    volume: book.volume ?? 1_000,
    ...(book.ts === undefined ? {} : { ts: book.ts }),
  });
}

const IST_OFFSET_MS = 19_800_000;

/** A market timer of `kind` due at `at` (epoch ms), with its IST trading day. */
export function timerAt(kind: MarketTimerKind, at: number): MarketTimerFired {
  return {
    type: 'MarketTimerFired',
    kind,
    at,
    tradingDay: new Date(at + IST_OFFSET_MS).toISOString().slice(0, 10),
  };
}

/** Epoch ms of an IST wall time on an IST date ("2026-01-05", 9, 15). */
export function istMs(date: string, hour: number, minute = 0, second = 0): number {
  return (
    Date.parse(`${date}T00:00:00Z`) - IST_OFFSET_MS + ((hour * 60 + minute) * 60 + second) * 1000
  );
}
