/**
 * Domain messages that cross actor boundaries. Commands are imperative, events past tense;
 * `type` is the PascalCase name, which keeps ours apart from XState's `xstate.*` events.
 */
import { z } from 'zod';
import {
  DENIAL_CODES,
  ORDER_REJECT_CODES,
  type DenialCode,
  type OrderRejectCode,
} from './denial-codes.js';
import type { BrokerName, ClientOrderId, InstrumentToken, StrategyId } from './ids.js';
import type { MarketTick } from './market-tick.js';
import type { Paise, Quantity } from './money.js';
import {
  ORDER_TYPES,
  PRODUCTS,
  VALIDITIES,
  type OrderCommandRejected,
  type OrderModified,
  type OrderSpec,
  type OrderType,
  type Product,
  type ResolvedOrder,
  type Validity,
} from './orders.js';

export type Side = 'BUY' | 'SELL';

/** A quantity signed by side: positive for BUY, negative for SELL. */
export function signedQuantity(side: Side, q: number): number {
  return side === 'BUY' ? q : -q;
}

/**
 * The part of a signed fill or refusal `q` that settles the signed quantity `p` asked for and not
 * yet settled: only toward zero and at most `p`, so one for an order never asked for settles none.
 */
export function settledPart(p: number, q: number): number {
  if (p === 0 || Math.sign(p) !== Math.sign(q)) return 0;
  return Math.sign(q) * Math.min(Math.abs(p), Math.abs(q));
}

/** How a fill changes cash, paise: a buy pays its value, a sell receives it, both pay charges. */
export function cashDelta(f: {
  readonly side: Side;
  readonly quantity: number;
  readonly price: number;
  readonly fees: number;
}): number {
  const value = f.quantity * f.price;
  return (f.side === 'BUY' ? -value : value) - f.fees;
}
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

/** A strategy's wish to trade, addressed to one broker. */
export interface TradingSignal {
  readonly type: 'TradingSignal';
  readonly broker: BrokerName;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  readonly side: Side;
  readonly quantity: Quantity;
  /** Last price when the signal was made, in paise. */
  readonly price: Paise;
  /** In [0, 1]. */
  readonly confidence: number;
  readonly reasoning: string;
  /** Seq of the tick that produced the signal. */
  readonly tickSeq: number;
  /** How to execute it; absent: a MARKET DAY order on the broker's product. */
  readonly order?: OrderSpec;
}

export interface CheckResult {
  readonly check: string;
  readonly passed: boolean;
  readonly code?: DenialCode;
  readonly detail?: string;
}

export interface SignalValidated {
  readonly type: 'SignalValidated';
  readonly broker: BrokerName;
  readonly signal: TradingSignal;
  readonly checks: readonly CheckResult[];
  /** The order to place, resolved by the gate (type, product, protection price, slices). */
  readonly order: ResolvedOrder;
}

export interface SignalRejected {
  readonly type: 'SignalRejected';
  readonly broker: BrokerName;
  readonly signal: TradingSignal;
  readonly code: DenialCode;
  readonly detail: string;
  readonly checks: readonly CheckResult[];
}

/** The trader's intent to place an order; journaled before the broker sees it (invariant 2). */
export interface SubmitOrder {
  readonly type: 'SubmitOrder';
  readonly broker: BrokerName;
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  readonly side: Side;
  readonly quantity: Quantity;
  readonly orderType: OrderType;
  readonly validity: Validity;
  readonly product: Product;
  /** Reference price at submission (the signal's), in paise. */
  readonly price: Paise;
  readonly limitPrice?: Paise;
  readonly triggerPrice?: Paise;
  /** MARKET and SL-M: the worst price the order may fill at (market protection), paise. */
  readonly protectionPrice?: Paise;
  readonly bracket?: ResolvedOrder['bracket'];
}

export interface OrderAccepted {
  readonly type: 'OrderAccepted';
  readonly broker: BrokerName;
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  readonly brokerOrderId: string;
}

export interface OrderFilled {
  readonly type: 'OrderFilled';
  readonly broker: BrokerName;
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  readonly side: Side;
  /** Quantity of this fill (an order may fill in parts). */
  readonly quantity: Quantity;
  /** Average price of this fill, in paise. */
  readonly price: Paise;
  /** Charges of this fill, in paise. */
  readonly fees: Paise;
  /** Slippage against the reference price, in paise per share (positive = worse). */
  readonly slippage: Paise;
  /** Seq of the tick whose book this fill walked. */
  readonly tickSeq: number;
  readonly product: Product;
}

export interface OrderRejected {
  readonly type: 'OrderRejected';
  readonly broker: BrokerName;
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  readonly side: Side;
  /** Quantity that was refused (not filled). */
  readonly quantity: Quantity;
  readonly code: OrderRejectCode;
  readonly detail: string;
}

export interface OrderCanceled {
  readonly type: 'OrderCanceled';
  readonly broker: BrokerName;
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly token: InstrumentToken;
  readonly side: Side;
  /** The unfilled quantity canceled (or expired). */
  readonly quantity: Quantity;
  readonly reason: string;
}

export interface Position {
  readonly token: InstrumentToken;
  /** Signed: negative is short. */
  readonly quantity: number;
  readonly averagePrice: Paise;
  /** Signed cost of the open quantity (quantity × average price, exact), paise. */
  readonly costBasis: Paise;
  readonly lastPrice: Paise;
  readonly realizedPnl: Paise;
  readonly unrealizedPnl: Paise;
}

export interface PortfolioSnapshot {
  readonly type: 'PortfolioSnapshot';
  readonly broker: BrokerName;
  readonly strategyId: StrategyId;
  readonly cash: Paise;
  readonly fees: Paise;
  readonly realizedPnl: Paise;
  readonly unrealizedPnl: Paise;
  readonly positions: readonly Position[];
  readonly fills: number;
  /** Equity now less equity at the start of the IST trading day, paise (net of charges). */
  readonly dayPnl: Paise;
}

export interface PnlSnapshot {
  readonly type: 'PnlSnapshot';
  readonly broker: BrokerName;
  readonly strategyId: StrategyId;
  readonly realizedPnl: Paise;
  readonly unrealizedPnl: Paise;
  readonly totalPnl: Paise;
  readonly dayPnl: Paise;
}

/** A batch of ticks as delivered to actors (one XState event per batch, ARCHITECTURE/STACK-NOTES). */
export interface TicksReceived {
  readonly type: 'TicksReceived';
  readonly ticks: readonly MarketTick[];
  /** Journal seq of ticks[i]. */
  readonly seqs: readonly number[];
}

/**
 * A strategy's configuration changed (Postgres NOTIFY, or an operator): enables, disables or
 * re-parameterizes the running strategy actor. Journaled on `control.commands` as an input, so
 * replay switches the strategy at the same point. `params` are already validated.
 */
export interface StrategyConfigured {
  readonly type: 'StrategyConfigured';
  readonly strategyId: StrategyId;
  readonly enabled: boolean;
  readonly params: unknown;
}

/** A broker adapter's reply to an order, delivered to that broker's trader. */
export interface BrokerReplied {
  readonly type: 'BrokerReplied';
  readonly reply: OrderEvent;
}

export type OrderEvent =
  | OrderAccepted
  | OrderFilled
  | OrderRejected
  | OrderCanceled
  | OrderModified
  | OrderCommandRejected;

export const SideSchema = z.enum(['BUY', 'SELL']);
const int = z.number().int();
const brokerSchema = z.enum(['paper', 'zerodha']);
const checkSchema = z.object({
  check: z.string(),
  passed: z.boolean(),
  code: z.enum(DENIAL_CODES).optional(),
  detail: z.string().optional(),
});

const orderTypeSchema = z.enum(ORDER_TYPES as [OrderType, ...OrderType[]]);
const validitySchema = z.enum(VALIDITIES as [Validity, ...Validity[]]);
const productSchema = z.enum(PRODUCTS as [Product, ...Product[]]);
const bracketSchema = z
  .object({ takeProfit: int.positive().optional(), stopLoss: int.positive().optional() })
  .strict();

export const OrderSpecSchema = z
  .object({
    orderType: orderTypeSchema.optional(),
    validity: validitySchema.optional(),
    product: productSchema.optional(),
    limitPrice: int.positive().optional(),
    triggerPrice: int.positive().optional(),
    bracket: bracketSchema.optional(),
  })
  .strict();

export const ResolvedOrderSchema = z.object({
  orderType: orderTypeSchema,
  validity: validitySchema,
  product: productSchema,
  limitPrice: int.positive().optional(),
  triggerPrice: int.positive().optional(),
  protectionPrice: int.positive().optional(),
  bracket: bracketSchema.optional(),
  slices: z.array(int.positive()).min(1),
});

export const TradingSignalSchema = z.object({
  type: z.literal('TradingSignal'),
  broker: brokerSchema,
  strategyId: z.string(),
  token: int.positive(),
  side: SideSchema,
  quantity: int.positive(),
  price: int.nonnegative(),
  confidence: z.number().min(0).max(1),
  reasoning: z.string(),
  tickSeq: int.nonnegative(),
  order: OrderSpecSchema.optional(),
});

export const SignalValidatedSchema = z.object({
  type: z.literal('SignalValidated'),
  broker: brokerSchema,
  signal: TradingSignalSchema,
  checks: z.array(checkSchema),
  order: ResolvedOrderSchema,
});

export const SignalRejectedSchema = z.object({
  type: z.literal('SignalRejected'),
  broker: brokerSchema,
  signal: TradingSignalSchema,
  code: z.enum(DENIAL_CODES),
  detail: z.string(),
  checks: z.array(checkSchema),
});

const orderBase = {
  broker: brokerSchema,
  clientOrderId: z.string().regex(/^[A-Za-z0-9]{1,20}$/),
  strategyId: z.string(),
  token: int.positive(),
};

export const SubmitOrderSchema = z.object({
  type: z.literal('SubmitOrder'),
  ...orderBase,
  side: SideSchema,
  quantity: int.positive(),
  orderType: orderTypeSchema,
  validity: validitySchema,
  product: productSchema,
  price: int.nonnegative(),
  limitPrice: int.positive().optional(),
  triggerPrice: int.positive().optional(),
  protectionPrice: int.positive().optional(),
  bracket: bracketSchema.optional(),
});

export const OrderFilledSchema = z.object({
  type: z.literal('OrderFilled'),
  ...orderBase,
  side: SideSchema,
  quantity: int.positive(),
  price: int.positive(),
  fees: int.nonnegative(),
  slippage: int,
  tickSeq: int.nonnegative(),
  product: productSchema,
});

export const OrderRejectedSchema = z.object({
  type: z.literal('OrderRejected'),
  ...orderBase,
  side: SideSchema,
  quantity: int.positive(),
  code: z.enum(ORDER_REJECT_CODES),
  detail: z.string(),
});

const positionSchema = z.object({
  token: int.positive(),
  quantity: int,
  averagePrice: int.nonnegative(),
  costBasis: int,
  lastPrice: int.nonnegative(),
  realizedPnl: int,
  unrealizedPnl: int,
});

export const PortfolioSnapshotSchema = z.object({
  type: z.literal('PortfolioSnapshot'),
  broker: brokerSchema,
  strategyId: z.string(),
  cash: int,
  fees: int.nonnegative(),
  realizedPnl: int,
  unrealizedPnl: int,
  positions: z.array(positionSchema),
  fills: int.nonnegative(),
  dayPnl: int,
});

export const PnlSnapshotSchema = z.object({
  type: z.literal('PnlSnapshot'),
  broker: brokerSchema,
  strategyId: z.string(),
  realizedPnl: int,
  unrealizedPnl: int,
  totalPnl: int,
  dayPnl: int,
});

export type { DenialCode, OrderRejectCode };
