/**
 * The matching engine's state: last ticks, open orders (by id and, in priority order, by
 * instrument), bracket groups, accounts and counters. Plain integers and strings throughout, so a
 * snapshot is a copy and a restore is a rebuild of the indexes.
 */
import type {
  ClientOrderId,
  InstrumentToken,
  MarketTick,
  OrderType,
  Product,
  Side,
  StrategyId,
  Validity,
} from '../../model/index.js';
import type { Clock } from '../../runtime/index.js';
import type { ResolvedPaperBrokerConfig } from './paper-config.js';

export interface LastTick {
  readonly seq: number;
  readonly tick: MarketTick;
}

/** An order the broker holds open: accepted, not yet filled, canceled or expired in full. */
export interface OpenOrder {
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly validity: Validity;
  readonly product: Product;
  /** Total quantity (changed by a modify, or by the entry of a bracket exit). */
  quantity: number;
  filled: number;
  /** Reference price, paise: fills report slippage against it. */
  readonly price: number;
  limitPrice: number | null;
  triggerPrice: number | null;
  /** MARKET and SL-M: the worst fill price (market protection), paise; null: unbounded. */
  readonly protectionPrice: number | null;
  readonly brokerOrderId: string;
  /** The broker order id's counter: time priority among the broker's orders. */
  readonly acceptedNo: number;
  /** IST date the order was placed on (DAY orders expire with it). */
  readonly tradingDay: string;
  /** Epoch ms from which the order may match (its arrival at the exchange, after latency). */
  readonly matchableAt: number;
  /** It has reached the exchange and had its first match. */
  arrived: boolean;
  /** SL and SL-M: the trigger has been crossed. */
  triggered: boolean;
  /** A resting limit: shares ahead of it at its price; null while it is not resting. */
  queueAhead: number | null;
  /** OrderModified events of this order so far (trader's and broker's). */
  modifications: number;
  /** ModifyOrder commands applied so far (what maxModifications limits). */
  traderModifications: number;
  /** A bracket exit: the client order id of its entry; null otherwise. */
  readonly exitOf: ClientOrderId | null;
}

/**
 * An entry order with bracket exits (`<entry>T`, `<entry>S`; one cancels the other). It lives
 * while the entry or an exit is open: an exit's open state is the open-order map's.
 */
export interface BracketGroup {
  readonly entryId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  /** The exits' side: opposite the entry's. */
  readonly exitSide: Side;
  readonly product: Product;
  readonly takeProfit: number | null;
  readonly stopLoss: number | null;
  /** The stop exit's protection: stopLoss moved against the exit by num/den of itself. */
  readonly protectionNum: number;
  readonly protectionDen: number;
  /** Entry shares filled so far: what the exits were placed for. */
  placed: number;
  /** Exit shares filled so far (both exits together). */
  exited: number;
  /** The take-profit exit was placed (it may have closed since; it is never placed twice). */
  tpPlaced: boolean;
  slPlaced: boolean;
}

/** One strategy's holdings of one instrument at this broker, from its own fills. */
export interface Account {
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  /** Delivery holdings, never negative. */
  cnc: number;
  /** Intraday position, signed (negative: short). */
  mis: number;
}

export interface EngineState {
  readonly lastTicks: Map<InstrumentToken, LastTick>;
  readonly orders: Map<ClientOrderId, OpenOrder>;
  /** Open orders of each instrument by acceptedNo; a token with none has no entry. */
  readonly byToken: Map<InstrumentToken, OpenOrder[]>;
  readonly brackets: Map<ClientOrderId, BracketGroup>;
  /** Keyed by accountKey(strategyId, token); an account with nothing held has no entry. */
  readonly accounts: Map<string, Account>;
  /** Orders accepted so far; the next broker order id uses this + 1. */
  ordersAccepted: number;
  /** Square-off orders so far; the next one's client order id is SQ + this + 1. */
  squareOffs: number;
  /** The IST trading day `dpCharged` is about. */
  dpDay: string;
  /** accountKey()s whose delivery sell has paid the day's DP charge (once per scrip per day). */
  readonly dpCharged: Set<string>;
}

/** What every verb of the engine works with. */
export interface Engine {
  readonly config: ResolvedPaperBrokerConfig;
  readonly clock: Clock;
  readonly state: EngineState;
}

export function emptyState(): EngineState {
  return {
    lastTicks: new Map(),
    orders: new Map(),
    byToken: new Map(),
    brackets: new Map(),
    accounts: new Map(),
    ordersAccepted: 0,
    squareOffs: 0,
    dpDay: '',
    dpCharged: new Set(),
  };
}

export function accountKey(strategyId: string, token: number): string {
  // Strategy ids never contain a space, so the key is unambiguous.
  return `${strategyId} ${token}`;
}

/** Adds `o` to the open orders; its acceptedNo is the highest so far, so it goes last. */
export function openOrder(state: EngineState, o: OpenOrder): void {
  state.orders.set(o.clientOrderId, o);
  const list = state.byToken.get(o.token);
  if (list === undefined) state.byToken.set(o.token, [o]);
  else list.push(o);
}

export function isOpen(state: EngineState, o: OpenOrder): boolean {
  return state.orders.get(o.clientOrderId) === o;
}

export function remainingOf(o: OpenOrder): number {
  return o.quantity - o.filled;
}

/** Open orders sorted by time priority (acceptedNo). */
export function openOrdersByPriority(state: EngineState): OpenOrder[] {
  return [...state.orders.values()].sort((a, b) => a.acceptedNo - b.acceptedNo);
}
