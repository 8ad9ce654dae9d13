/**
 * Resolution of a signal's order: the defaults (MARKET, DAY, the broker's product), the market
 * protection price of MARKET and SL-M orders, and freeze-quantity slices.
 */
import {
  paise,
  quantity,
  type Instrument,
  type Paise,
  type Quantity,
  type ResolvedOrder,
  type Side,
  type TradingSignal,
} from '../../model/index.js';
import type { RiskLimits } from './risk-limits.js';

/**
 * Splits `q` shares into slices of at most `freeze` shares (the largest multiple of `lot` not
 * above it), full slices first and the remainder last; one slice when `freeze` is 0.
 */
export function slicesOf(q: number, freeze: number, lot = 1): Quantity[] {
  if (freeze <= 0 || q <= freeze) return [quantity(q)];
  const size = freeze >= lot ? freeze - (freeze % lot) : freeze;
  const out: Quantity[] = [];
  for (let left = q; left > 0; left -= size) out.push(quantity(Math.min(size, left)));
  return out;
}

/**
 * Moves `reference` paise by `bps` against `side` (a BUY may pay more, a SELL receive less) and
 * rounds to a multiple of `tick` away from the reference: up for a BUY, down for a SELL (never
 * below one tick).
 */
export function protectionPriceOf(side: Side, reference: number, bps: number, tick: number): Paise {
  const den = 10_000 * tick;
  if (side === 'BUY') {
    const num = reference * (10_000 + bps);
    return paise((Math.floor(num / den) + (num % den === 0 ? 0 : 1)) * tick);
  }
  const num = reference * (10_000 - bps);
  return paise(Math.max(1, Math.floor(num / den)) * tick);
}

/**
 * The order a signal asks for, resolved: type MARKET, validity DAY and the broker's product
 * unless the signal names them; for MARKET the protection price from the last price, for SL-M
 * from the trigger; the freeze-quantity slices. Prices the signal gives are kept as given (the
 * checks judge them).
 */
export function resolveOrder(
  s: TradingSignal,
  lastPrice: number | undefined,
  instrument: Instrument | undefined,
  l: RiskLimits,
): ResolvedOrder {
  const spec = s.order ?? {};
  const orderType = spec.orderType ?? 'MARKET';
  const reference =
    orderType === 'MARKET' ? lastPrice : orderType === 'SL-M' ? spec.triggerPrice : undefined;
  return {
    orderType,
    validity: spec.validity ?? 'DAY',
    product: spec.product ?? l.defaultProduct,
    ...(spec.limitPrice !== undefined ? { limitPrice: spec.limitPrice } : {}),
    ...(spec.triggerPrice !== undefined ? { triggerPrice: spec.triggerPrice } : {}),
    ...(reference !== undefined && reference > 0
      ? {
          protectionPrice: protectionPriceOf(
            s.side,
            reference,
            l.marketProtectionBps,
            instrument?.tickSize ?? 1,
          ),
        }
      : {}),
    ...(spec.bracket !== undefined ? { bracket: spec.bracket } : {}),
    slices: slicesOf(s.quantity, l.freezeQuantity, instrument?.lotSize ?? 1),
  };
}

/**
 * The price an order is judged at against the band: its limit for LIMIT and SL, its trigger for
 * SL-M, the signal's price for MARKET.
 */
export function orderPriceOf(s: TradingSignal, o: ResolvedOrder): number {
  if (o.orderType === 'LIMIT' || o.orderType === 'SL') return o.limitPrice ?? s.price;
  if (o.orderType === 'SL-M') return o.triggerPrice ?? s.price;
  return s.price;
}

/**
 * The highest price an order names or the market shows, paise: what its value and a buy's cash
 * are reckoned at.
 */
export function worstPriceOf(
  s: TradingSignal,
  o: ResolvedOrder,
  lastPrice: number | undefined,
): number {
  return Math.max(s.price, lastPrice ?? 0, o.limitPrice ?? 0, o.triggerPrice ?? 0);
}
