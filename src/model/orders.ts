/**
 * Orders as Kite knows them: type, validity, product, limit and trigger prices, bracket exits;
 * the commands a trader sends a broker besides SubmitOrder (cancel, modify); and the market timer
 * fires and operator commands that reach gates, traders, brokers and portfolios as journaled inputs.
 */
import type { BrokerName, ClientOrderId, InstrumentToken, StrategyId } from './ids.js';
import type { SubmitOrder } from './messages.js';
import type { Paise, Quantity } from './money.js';

export type OrderType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
export type Validity = 'DAY' | 'IOC' | 'FOK';
/** Zerodha product: CNC is delivery (no short selling), MIS is intraday (squared off at the cut-off). */
export type Product = 'CNC' | 'MIS';

export const ORDER_TYPES: readonly OrderType[] = ['MARKET', 'LIMIT', 'SL', 'SL-M'];
export const VALIDITIES: readonly Validity[] = ['DAY', 'IOC', 'FOK'];
export const PRODUCTS: readonly Product[] = ['CNC', 'MIS'];

/**
 * Exits that ride with an entry order once it fills (one cancels the other): a LIMIT at
 * `takeProfit` and a stop at `stopLoss`, both on the opposite side, in paise.
 */
export interface BracketExits {
  readonly takeProfit?: Paise;
  readonly stopLoss?: Paise;
}

/**
 * How a strategy wants a signal executed. Every field is optional: a signal without one is a
 * MARKET DAY order on the broker's configured product.
 */
export interface OrderSpec {
  readonly orderType?: OrderType;
  readonly validity?: Validity;
  readonly product?: Product;
  /** LIMIT and SL: the worst price to fill at, paise. */
  readonly limitPrice?: Paise;
  /** SL and SL-M: the last price that triggers the order, paise. */
  readonly triggerPrice?: Paise;
  readonly bracket?: BracketExits;
}

/** An order as the risk gate validated it: everything resolved, with its slices. */
export interface ResolvedOrder {
  readonly orderType: OrderType;
  readonly validity: Validity;
  readonly product: Product;
  readonly limitPrice?: Paise;
  readonly triggerPrice?: Paise;
  /**
   * MARKET and SL-M: the market-protection price (SEBI 2026: never unprotected), the worst price
   * the order may fill at; the exchange turns the order into a limit there.
   */
  readonly protectionPrice?: Paise;
  readonly bracket?: BracketExits;
  /** The quantity of each slice, in order (freeze-quantity slicing; one slice when not sliced). */
  readonly slices: readonly Quantity[];
}

/** The trader asks a broker to cancel an open order (an operator, the kill switch, a strategy). */
export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly broker: BrokerName;
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  readonly reason: string;
}

/** The trader asks a broker to change an open order (Kite allows 25 modifications per order). */
export interface ModifyOrder {
  readonly type: 'ModifyOrder';
  readonly broker: BrokerName;
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  /** New total quantity (not less than what has filled). */
  readonly quantity?: Quantity;
  readonly limitPrice?: Paise;
  readonly triggerPrice?: Paise;
}

/** A broker changed an open order as asked. */
export interface OrderModified {
  readonly type: 'OrderModified';
  readonly broker: BrokerName;
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  readonly quantity: Quantity;
  readonly limitPrice?: Paise;
  readonly triggerPrice?: Paise;
  /** Modifications of this order so far, this one included. */
  readonly modifications: number;
}

/** What a trader sends a broker: place, cancel or change an order. */
export type BrokerCommand = SubmitOrder | CancelOrder | ModifyOrder;

/** A broker refused a cancel or modify (the order is not open, too many modifications...). */
export interface OrderCommandRejected {
  readonly type: 'OrderCommandRejected';
  readonly broker: BrokerName;
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  readonly command: 'CancelOrder' | 'ModifyOrder';
  /** An order rejection code: ORDER_NOT_OPEN, MODIFY_LIMIT_REACHED, INVALID_ORDER. */
  readonly code: string;
  readonly detail: string;
}

export type MarketTimerKind =
  | 'SESSION_OPEN'
  | 'MIS_CUTOFF'
  | 'MIS_SQUARE_OFF'
  | 'SESSION_CLOSE'
  | 'IST_MIDNIGHT'
  /** Every PORTFOLIO__PNL_SNAPSHOT_SECONDS: portfolios publish their PnL. */
  | 'PNL_INTERVAL';

/**
 * A market timer fired (session open, MIS cut-off and square-off, close, IST midnight, the PnL
 * interval): journaled on `market.timers` as an input, so replay sees it at the same point.
 */
export interface MarketTimerFired {
  readonly type: 'MarketTimerFired';
  readonly kind: MarketTimerKind;
  /** When it was due, epoch ms (the input is journaled at or after it). */
  readonly at: number;
  /** The IST trading day it belongs to, YYYY-MM-DD. */
  readonly tradingDay: string;
}

/** Operator commands on a broker's trading state, or one strategy's on that broker. */
export interface HaltTrading {
  readonly type: 'HaltTrading';
  readonly broker: BrokerName;
  /** Only this strategy on the broker; absent: the whole broker. */
  readonly strategyId?: StrategyId;
  readonly reason: string;
}

export interface ReduceOnly {
  readonly type: 'ReduceOnly';
  readonly broker: BrokerName;
  readonly strategyId?: StrategyId;
  readonly reason: string;
}

export interface ResumeTrading {
  readonly type: 'ResumeTrading';
  readonly broker: BrokerName;
  readonly strategyId?: StrategyId;
  readonly reason: string;
}

export type TradingCommand = HaltTrading | ReduceOnly | ResumeTrading;

/** The kill switch: every broker HALTED and every open order canceled. */
export interface KillSwitch {
  readonly type: 'KillSwitch';
  readonly reason: string;
}
