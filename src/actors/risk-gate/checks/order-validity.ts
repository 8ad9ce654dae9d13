/**
 * Order validity: each order type names exactly the prices it needs (LIMIT a limit, SL both, SL-M
 * a trigger, MARKET none), a stop's trigger lies beyond the last price on the side it guards, and
 * bracket exits lie on the right sides of the entry price.
 */
import type { ResolvedOrder, TradingSignal } from '../../../model/index.js';
import { fail, pass, type Check } from './check.js';

const NEEDS: Readonly<Record<ResolvedOrder['orderType'], readonly [boolean, boolean]>> = {
  // [limit price, trigger price]
  MARKET: [false, false],
  LIMIT: [true, false],
  SL: [true, true],
  'SL-M': [false, true],
};

/** The price the order enters at: its limit, an SL-M's trigger, else the last (or signal) price. */
function entryOf(s: TradingSignal, o: ResolvedOrder, lastPrice: number | undefined): number {
  return o.limitPrice ?? o.triggerPrice ?? lastPrice ?? s.price;
}

/** The first thing wrong with the order, or undefined. */
function problemOf(
  s: TradingSignal,
  o: ResolvedOrder,
  last: number | undefined,
): string | undefined {
  const [limit, trigger] = NEEDS[o.orderType];
  const t = o.orderType;
  if (limit && o.limitPrice === undefined) return `a ${t} order needs a limit price`;
  if (!limit && o.limitPrice !== undefined)
    return `a ${t} order takes no limit price (got ${o.limitPrice} paise)`;
  if (trigger && o.triggerPrice === undefined) return `a ${t} order needs a trigger price`;
  if (!trigger && o.triggerPrice !== undefined)
    return `a ${t} order takes no trigger price (got ${o.triggerPrice} paise)`;
  const buy = s.side === 'BUY';
  if (o.triggerPrice !== undefined) {
    if (
      o.limitPrice !== undefined &&
      (buy ? o.limitPrice < o.triggerPrice : o.limitPrice > o.triggerPrice)
    )
      return `a ${s.side} SL order's limit ${o.limitPrice} paise must be ${buy ? 'at or above' : 'at or below'} its trigger ${o.triggerPrice} paise`;
    if (last !== undefined && last > 0 && (buy ? o.triggerPrice <= last : o.triggerPrice >= last))
      return `a ${s.side} stop's trigger ${o.triggerPrice} paise must be ${buy ? 'above' : 'below'} the last price ${last} paise`;
  }
  const b = o.bracket;
  if (b !== undefined) {
    const entry = entryOf(s, o, last);
    const up = buy ? 'above' : 'below';
    const down = buy ? 'below' : 'above';
    if (b.takeProfit !== undefined && (buy ? b.takeProfit <= entry : b.takeProfit >= entry))
      return `a ${s.side} order's take-profit ${b.takeProfit} paise must be ${up} its entry price ${entry} paise`;
    if (b.stopLoss !== undefined && (buy ? b.stopLoss >= entry : b.stopLoss <= entry))
      return `a ${s.side} order's stop-loss ${b.stopLoss} paise must be ${down} its entry price ${entry} paise`;
  }
  return undefined;
}

export const orderValidityCheck: Check = (s, v) => {
  const problem = problemOf(s, v.order, v.lastPrice);
  return problem === undefined
    ? pass('order_validity')
    : fail('order_validity', 'INVALID_ORDER', problem);
};
