/** Tick size: every price the order names (limit, trigger, bracket exits) is a multiple of the tick. */
import { fail, pass, type Check } from './check.js';

export const tickSizeCheck: Check = (s, v) => {
  const i = v.instrument;
  if (i === undefined)
    return pass('tick_size', `instrument ${s.token} unknown: see the instrument check`);
  const o = v.order;
  const prices: [string, number | undefined][] = [
    ['limit price', o.limitPrice],
    ['trigger price', o.triggerPrice],
    ['take-profit price', o.bracket?.takeProfit],
    ['stop-loss price', o.bracket?.stopLoss],
  ];
  for (const [name, p] of prices)
    if (p !== undefined && p % i.tickSize !== 0)
      return fail(
        'tick_size',
        'TICK_SIZE_MISMATCH',
        `${name} ${p} paise is not a multiple of ${i.symbol}'s tick size ${i.tickSize} paise`,
      );
  return pass('tick_size');
};
