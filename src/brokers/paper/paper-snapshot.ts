/**
 * The paper broker's snapshot (version 2): its whole state as plain JSON, and the checks that
 * restore a state from one or say what is wrong with it.
 */
import { z } from 'zod';
import {
  MarketTickSchema,
  ORDER_TYPES,
  PRODUCTS,
  VALIDITIES,
  type ClientOrderId,
  type MarketTick,
  type OrderType,
  type Product,
  type StrategyId,
  type Validity,
} from '../../model/index.js';
import {
  accountKey,
  emptyState,
  openOrder,
  type Account,
  type BracketGroup,
  type EngineState,
  type OpenOrder,
} from './engine-state.js';

const int = z.number().int();
const count = int.nonnegative();
const positive = int.positive();
const side = z.enum(['BUY', 'SELL']);
const product = z.enum(PRODUCTS as [Product, ...Product[]]);
const orderId = z.string().regex(/^[A-Za-z0-9]{1,20}$/);
const strategy = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/);

const OpenOrderSchema = z
  .object({
    clientOrderId: orderId,
    strategyId: strategy,
    token: positive,
    side,
    orderType: z.enum(ORDER_TYPES as [OrderType, ...OrderType[]]),
    validity: z.enum(VALIDITIES as [Validity, ...Validity[]]),
    product,
    quantity: positive,
    filled: count,
    price: count,
    limitPrice: positive.nullable(),
    triggerPrice: positive.nullable(),
    protectionPrice: positive.nullable(),
    brokerOrderId: z.string().min(1),
    acceptedNo: positive,
    tradingDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    matchableAt: int,
    arrived: z.boolean(),
    triggered: z.boolean(),
    queueAhead: count.nullable(),
    modifications: count,
    traderModifications: count,
    exitOf: orderId.nullable(),
  })
  .strict();

const BracketGroupSchema = z
  .object({
    entryId: orderId,
    strategyId: strategy,
    token: positive,
    exitSide: side,
    product,
    takeProfit: positive.nullable(),
    stopLoss: positive.nullable(),
    protectionNum: count,
    protectionDen: positive,
    placed: count,
    exited: count,
    tpPlaced: z.boolean(),
    slPlaced: z.boolean(),
  })
  .strict();

const AccountSchema = z
  .object({ strategyId: strategy, token: positive, cnc: count, mis: int })
  .strict();

export const PaperBrokerSnapshotSchema = z
  .object({
    version: z.literal(2),
    /** Orders accepted so far; the next broker order id uses this + 1. */
    ordersAccepted: count,
    /** Square-off orders so far; the next one is SQ + this + 1. */
    squareOffs: count,
    /** The last tick (with its journal seq) of each instrument, by token. */
    lastTicks: z.array(z.object({ seq: count, tick: MarketTickSchema }).strict()),
    /** Open orders, in time priority (acceptedNo). */
    orders: z.array(OpenOrderSchema),
    /** Live bracket groups, by entry id. */
    brackets: z.array(BracketGroupSchema),
    /** Non-empty accounts, by strategy id then token. */
    accounts: z.array(AccountSchema),
    /** The trading day of `dpCharged`, and the accounts that paid its DP charge, sorted. */
    dpDay: z.string(),
    dpCharged: z.array(z.string()),
  })
  .strict();

/** The broker's state as plain JSON (see PaperBrokerSnapshotSchema for each field). */
export type PaperBrokerSnapshot = z.output<typeof PaperBrokerSnapshotSchema>;

/** Copies `state` into a snapshot, every list in a fixed order. */
export function snapshotOf(state: EngineState): PaperBrokerSnapshot {
  const lastTicks = [...state.lastTicks.values()]
    .sort((a, b) => a.tick.token - b.tick.token)
    .map(({ seq, tick }) => ({
      seq,
      tick: {
        ...tick,
        bids: tick.bids.map((l) => ({ ...l })),
        asks: tick.asks.map((l) => ({ ...l })),
      },
    }));
  const orders = [...state.orders.values()]
    .sort((a, b) => a.acceptedNo - b.acceptedNo)
    .map((o) => ({ ...o }));
  const brackets = [...state.brackets.values()]
    .sort((a, b) => (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0))
    .map((g) => ({ ...g }));
  const accounts = [...state.accounts.values()]
    .sort((a, b) =>
      a.strategyId === b.strategyId ? a.token - b.token : a.strategyId < b.strategyId ? -1 : 1,
    )
    .map((a) => ({ ...a }));
  return {
    version: 2,
    ordersAccepted: state.ordersAccepted,
    squareOffs: state.squareOffs,
    lastTicks,
    orders,
    brackets,
    accounts,
    dpDay: state.dpDay,
    dpCharged: [...state.dpCharged].sort(),
  };
}

function bad(what: string): TypeError {
  return new TypeError(`paper broker snapshot is invalid: ${what}`);
}

/** Builds a state from `snapshot`; throws TypeError naming what is wrong with it. */
export function stateFromSnapshot(snapshot: unknown): EngineState {
  const parsed = PaperBrokerSnapshotSchema.safeParse(snapshot);
  if (!parsed.success) throw bad(z.prettifyError(parsed.error));
  const snap = parsed.data;
  const state = emptyState();
  state.ordersAccepted = snap.ordersAccepted;
  state.squareOffs = snap.squareOffs;
  state.dpDay = snap.dpDay;
  for (const k of snap.dpCharged) state.dpCharged.add(k);
  for (const { seq, tick } of snap.lastTicks) {
    if (state.lastTicks.has(tick.token)) {
      throw bad(`instrument ${tick.token} appears twice in lastTicks`);
    }
    state.lastTicks.set(tick.token, { seq, tick: tick as unknown as MarketTick });
  }
  const orders = [...snap.orders].sort((a, b) => a.acceptedNo - b.acceptedNo);
  const numbers = new Set<number>();
  for (const raw of orders) {
    const o = raw as unknown as OpenOrder;
    const where = `order ${o.clientOrderId}`;
    if (state.orders.has(o.clientOrderId)) throw bad(`${where} appears twice in orders`);
    if (o.acceptedNo > snap.ordersAccepted) {
      throw bad(
        `${where} has acceptedNo ${o.acceptedNo} above ordersAccepted ${snap.ordersAccepted}`,
      );
    }
    if (o.filled >= o.quantity)
      throw bad(`${where} has filled ${o.filled} of ${o.quantity}: it is not open`);
    if (!state.lastTicks.has(o.token))
      throw bad(`${where} is for instrument ${o.token}, which has no last tick`);
    const needsLimit = o.orderType === 'LIMIT' || o.orderType === 'SL';
    const needsTrigger = o.orderType === 'SL' || o.orderType === 'SL-M';
    if (needsLimit !== (o.limitPrice !== null) || needsTrigger !== (o.triggerPrice !== null)) {
      throw bad(
        `${where} is ${o.orderType} with limitPrice ${o.limitPrice} and triggerPrice ${o.triggerPrice}`,
      );
    }
    if (numbers.has(o.acceptedNo)) {
      throw bad(`${where} shares acceptedNo ${o.acceptedNo} with another order`);
    }
    numbers.add(o.acceptedNo);
    openOrder(state, { ...o });
  }
  for (const raw of snap.brackets) {
    const g = raw as unknown as BracketGroup;
    if (state.brackets.has(g.entryId)) throw bad(`bracket ${g.entryId} appears twice in brackets`);
    const open = (id: string): boolean => state.orders.has(id as ClientOrderId);
    if (!open(g.entryId) && !open(`${g.entryId}T`) && !open(`${g.entryId}S`)) {
      throw bad(`bracket ${g.entryId} has neither its entry nor an exit open`);
    }
    if (g.exited > g.placed)
      throw bad(`bracket ${g.entryId} exited ${g.exited} of ${g.placed} placed`);
    state.brackets.set(g.entryId, { ...g });
  }
  for (const o of state.orders.values()) {
    if (o.exitOf !== null && !state.brackets.has(o.exitOf)) {
      throw bad(`order ${o.clientOrderId} is an exit of ${o.exitOf}, which has no bracket`);
    }
  }
  for (const raw of snap.accounts) {
    const a = raw as unknown as Account;
    const key = accountKey(a.strategyId, a.token);
    if (state.accounts.has(key)) {
      throw bad(`the account of ${a.strategyId} for instrument ${a.token} appears twice`);
    }
    if (a.cnc === 0 && a.mis === 0) {
      throw bad(`the account of ${a.strategyId} for instrument ${a.token} holds nothing`);
    }
    state.accounts.set(key, { ...a, strategyId: a.strategyId as StrategyId });
  }
  return state;
}
