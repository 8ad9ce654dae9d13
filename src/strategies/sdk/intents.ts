/**
 * Order intents: what a strategy's onTick or onBar returns, one builder per order type the risk
 * gate and the paper broker accept (MARKET, LIMIT, SL, SL-M), with validity, product and bracket
 * exits. Prices are integer paise; quantities integer shares.
 */
import {
  paise,
  type OrderSpec,
  type Product,
  type Side,
  type Validity,
} from '../../model/index.js';
import type { SignalIntent } from '../strategy.js';

/** Exits that ride with the entry once it fills, paise: a LIMIT at `target`, a stop at `stop`. */
export interface BracketOptions {
  readonly target?: number;
  readonly stop?: number;
}

/** What every builder takes besides its prices. */
export interface OrderOptions {
  /** DAY (default), IOC or FOK. */
  readonly validity?: Validity;
  /** CNC (delivery) or MIS (intraday); absent: the broker's configured product. */
  readonly product?: Product;
  readonly bracket?: BracketOptions;
  /** In [0, 1]; default 1. */
  readonly confidence?: number;
  /** Why, in words: the signal's `reasoning` (journaled, shown by the API). */
  readonly reason?: string;
}

function checkSide(side: Side): void {
  if (side !== 'BUY' && side !== 'SELL')
    throw new RangeError(`side: received ${JSON.stringify(side)}; use 'BUY' or 'SELL'`);
}

function checkQuantity(q: number): void {
  if (!Number.isSafeInteger(q) || q <= 0)
    throw new RangeError(`quantity: received ${q}; use a whole number of shares above 0`);
}

/** A price as paise, refusing fractions (round with roundToTick) and prices of 0 or less. */
function price(name: string, p: number): ReturnType<typeof paise> {
  if (!Number.isSafeInteger(p) || p <= 0)
    throw new RangeError(
      `${name}: received ${p}; prices are whole paise above 0 (round with roundToTick(price, tick))`,
    );
  return paise(p);
}

function intent(
  side: Side,
  quantity: number,
  order: OrderSpec,
  opts: OrderOptions,
  what: string,
): SignalIntent {
  checkSide(side);
  checkQuantity(quantity);
  const confidence = opts.confidence ?? 1;
  if (!(confidence >= 0 && confidence <= 1))
    throw new RangeError(`confidence: received ${confidence}; use a number in [0, 1]`);
  const b = opts.bracket;
  const bracket =
    b === undefined
      ? undefined
      : {
          ...(b.target !== undefined ? { takeProfit: price('bracket.target', b.target) } : {}),
          ...(b.stop !== undefined ? { stopLoss: price('bracket.stop', b.stop) } : {}),
        };
  return {
    side,
    quantity,
    confidence,
    reasoning: opts.reason ?? `${what} ${side} ${quantity}`,
    order: {
      ...order,
      ...(opts.validity !== undefined ? { validity: opts.validity } : {}),
      ...(opts.product !== undefined ? { product: opts.product } : {}),
      ...(bracket !== undefined ? { bracket } : {}),
    },
  };
}

/** A MARKET order (the gate adds its market-protection price). */
export function market(side: Side, quantity: number, opts: OrderOptions = {}): SignalIntent {
  return intent(side, quantity, { orderType: 'MARKET' }, opts, 'MARKET');
}

/** A LIMIT order at `limitPrice` paise: a BUY fills at or below it, a SELL at or above. */
export function limit(
  side: Side,
  quantity: number,
  limitPrice: number,
  opts: OrderOptions = {},
): SignalIntent {
  const order: OrderSpec = { orderType: 'LIMIT', limitPrice: price('limit price', limitPrice) };
  return intent(side, quantity, order, opts, `LIMIT ${limitPrice}`);
}

/**
 * A stop-loss limit order (SL): once the last price crosses `triggerPrice` paise (above it for a
 * BUY, below for a SELL) it becomes a LIMIT at `limitPrice` paise.
 */
export function stopLoss(
  side: Side,
  quantity: number,
  triggerPrice: number,
  limitPrice: number,
  opts: OrderOptions = {},
): SignalIntent {
  const order: OrderSpec = {
    orderType: 'SL',
    triggerPrice: price('trigger price', triggerPrice),
    limitPrice: price('limit price', limitPrice),
  };
  return intent(side, quantity, order, opts, `SL ${triggerPrice}/${limitPrice}`);
}

/** A stop-loss market order (SL-M): a MARKET order once the last price crosses `triggerPrice`. */
export function stopLossMarket(
  side: Side,
  quantity: number,
  triggerPrice: number,
  opts: OrderOptions = {},
): SignalIntent {
  const order: OrderSpec = {
    orderType: 'SL-M',
    triggerPrice: price('trigger price', triggerPrice),
  };
  return intent(side, quantity, order, opts, `SL-M ${triggerPrice}`);
}

/**
 * `p` paise rounded to a multiple of `tick` paise (an instrument's tick size, from
 * config/instruments.csv): `nearest` (default), `up` or `down`; never below one tick.
 */
export function roundToTick(
  p: number,
  tick: number,
  mode: 'nearest' | 'up' | 'down' = 'nearest',
): number {
  if (!Number.isSafeInteger(tick) || tick <= 0)
    throw new RangeError(`tick: received ${tick}; use the tick size in whole paise (5 for 0.05)`);
  const f = mode === 'up' ? Math.ceil : mode === 'down' ? Math.floor : Math.round;
  return Math.max(tick, f(p / tick) * tick);
}
