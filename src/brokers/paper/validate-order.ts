/** Checks of a SubmitOrder before the paper broker accepts it: broker, quantity, prices, bracket. */
import type { OrderRejectCode, SubmitOrder } from '../../model/index.js';
import type { Engine } from './engine-state.js';

export interface Refusal {
  readonly code: OrderRejectCode;
  readonly detail: string;
}

const invalid = (detail: string): Refusal => ({ code: 'INVALID_ORDER', detail });

/**
 * Fills in what an order recorded before order types existed leaves out: a MARKET DAY order on
 * the broker's configured product.
 */
export function normalizeOrder(e: Engine, cmd: SubmitOrder): SubmitOrder {
  const loose = cmd as Partial<Pick<SubmitOrder, 'orderType' | 'validity' | 'product'>>;
  if (loose.orderType !== undefined && loose.validity !== undefined && loose.product !== undefined)
    return cmd;
  return {
    ...cmd,
    orderType: loose.orderType ?? 'MARKET',
    validity: loose.validity ?? 'DAY',
    product: loose.product ?? e.config.product,
  };
}

/** A price check: a positive integer number of paise, a multiple of the tick size. */
export function priceProblem(name: string, price: number, tickSize: number): string | null {
  if (!Number.isSafeInteger(price) || price <= 0) {
    return `${name} must be a positive integer number of paise, received ${String(price)}`;
  }
  if (price % tickSize !== 0) {
    return `${name} ${price} paise is not a multiple of the tick size ${tickSize} paise`;
  }
  return null;
}

/**
 * A stop-limit's prices must not contradict each other: a BUY triggers at or below its limit,
 * a SELL at or above it (as Kite requires).
 */
export function stopLimitProblem(side: string, trigger: number, limit: number): string | null {
  if (side === 'BUY' && trigger > limit) {
    return `an SL BUY's trigger ${trigger} paise is above its limit ${limit} paise; it must be at or below it`;
  }
  if (side === 'SELL' && trigger < limit) {
    return `an SL SELL's trigger ${trigger} paise is below its limit ${limit} paise; it must be at or above it`;
  }
  return null;
}

/** Returns why `o` cannot be accepted as it stands (before market data and holdings), or null. */
export function validateSubmit(e: Engine, o: SubmitOrder): Refusal | null {
  if (o.broker !== 'paper') {
    return {
      code: 'BROKER_ERROR',
      detail: `order for broker "${o.broker}" sent to the paper broker`,
    };
  }
  if (!Number.isSafeInteger(o.quantity) || o.quantity <= 0) {
    return invalid(`quantity must be a positive integer, received ${String(o.quantity)}`);
  }
  if (o.side !== 'BUY' && o.side !== 'SELL') {
    return invalid(`side must be BUY or SELL, received ${String(o.side)}`);
  }
  if (o.validity !== 'DAY' && o.validity !== 'IOC' && o.validity !== 'FOK') {
    return invalid(`validity must be DAY, IOC or FOK, received ${String(o.validity)}`);
  }
  if (o.product !== 'CNC' && o.product !== 'MIS') {
    return invalid(`product must be CNC or MIS, received ${String(o.product)}`);
  }
  const fields = fieldProblem(o);
  if (fields !== null) return invalid(fields);
  const tick = e.config.tickSize;
  const prices: [string, number | undefined][] = [
    ['limitPrice', o.limitPrice],
    ['triggerPrice', o.triggerPrice],
    ['bracket.takeProfit', o.bracket?.takeProfit],
    ['bracket.stopLoss', o.bracket?.stopLoss],
  ];
  for (const [name, price] of prices) {
    const problem = price === undefined ? null : priceProblem(name, price, tick);
    if (problem !== null) return invalid(problem);
  }
  if (
    o.protectionPrice !== undefined &&
    (!Number.isSafeInteger(o.protectionPrice) || o.protectionPrice <= 0)
  ) {
    return invalid(
      `protectionPrice must be a positive integer number of paise, received ${String(o.protectionPrice)}`,
    );
  }
  if (o.orderType === 'SL' && o.triggerPrice !== undefined && o.limitPrice !== undefined) {
    const problem = stopLimitProblem(o.side, o.triggerPrice, o.limitPrice);
    if (problem !== null) return invalid(problem);
  }
  const bracket = bracketProblem(o);
  if (bracket !== null) return invalid(bracket);
  return idProblem(e, o);
}

/** The prices each order type needs, and the ones it must not carry. */
function fieldProblem(o: SubmitOrder): string | null {
  const has = (v: unknown): boolean => v !== undefined;
  switch (o.orderType) {
    case 'MARKET':
      if (has(o.limitPrice)) return 'a MARKET order takes no limitPrice; send a LIMIT order';
      if (has(o.triggerPrice)) return 'a MARKET order takes no triggerPrice; send an SL-M order';
      return null;
    case 'LIMIT':
      if (!has(o.limitPrice)) return 'a LIMIT order needs a limitPrice';
      if (has(o.triggerPrice)) return 'a LIMIT order takes no triggerPrice; send an SL order';
      return null;
    case 'SL':
      if (!has(o.limitPrice) || !has(o.triggerPrice)) {
        return 'an SL order needs both a triggerPrice and a limitPrice';
      }
      return null;
    case 'SL-M':
      if (!has(o.triggerPrice)) return 'an SL-M order needs a triggerPrice';
      if (has(o.limitPrice)) return 'an SL-M order takes no limitPrice; send an SL order';
      return null;
    default:
      return `orderType must be MARKET, LIMIT, SL or SL-M, received ${String(o.orderType)}`;
  }
}

function bracketProblem(o: SubmitOrder): string | null {
  const b = o.bracket;
  if (b === undefined || (b.takeProfit === undefined && b.stopLoss === undefined)) return null;
  if (o.clientOrderId.length > 19) {
    return `an order with bracket exits needs a client order id of at most 19 characters (its exits add T and S), received ${o.clientOrderId.length}`;
  }
  if (b.takeProfit !== undefined && b.stopLoss !== undefined) {
    const ok = o.side === 'BUY' ? b.stopLoss < b.takeProfit : b.stopLoss > b.takeProfit;
    if (!ok) {
      const where = o.side === 'BUY' ? 'below' : 'above';
      return `a ${o.side} entry's bracket stopLoss ${b.stopLoss} paise must be ${where} its takeProfit ${b.takeProfit} paise`;
    }
  }
  return null;
}

/** A client order id names one open order, and a live bracket's exits are spoken for. */
function idProblem(e: Engine, o: SubmitOrder): Refusal | null {
  const id: string = o.clientOrderId;
  const { orders, brackets } = e.state;
  const taken =
    orders.has(o.clientOrderId) ||
    brackets.has(o.clientOrderId) ||
    (/[TS]$/.test(id) && brackets.has(id.slice(0, -1) as typeof o.clientOrderId));
  return taken
    ? invalid(`client order id ${id} is already in use by an open order at the paper broker`)
    : null;
}
