/** Test builder for MarketTick: integer paise through the real constructors and schema. */
import {
  MarketTickSchema,
  paise,
  type DepthLevel,
  type MarketTick,
} from '../../src/model/index.js';

/** NSE equity tick size, paise. */
const TICK_SIZE = 5;

/**
 * Builds a full-mode tick of `token` at `lastPrice` paise with a 5-level book one tick either side,
 * validated by MarketTickSchema. `over` replaces any field.
 */
export function makeTick(
  token: number,
  lastPrice: number,
  over: Partial<MarketTick> = {},
): MarketTick {
  const last = paise(lastPrice);
  const level = (i: number, dir: 1 | -1): DepthLevel => ({
    price: paise(Math.max(0, last + dir * TICK_SIZE * (i + 1))),
    quantity: 100 * (i + 1),
    orders: i + 1,
  });
  const tick: MarketTick = {
    token,
    ts: 1_767_584_700_000,
    lastPrice: last,
    lastQuantity: 10,
    averagePrice: last,
    volume: 1_000,
    buyQuantity: 1_500,
    sellQuantity: 1_500,
    open: last,
    high: last,
    low: last,
    close: last,
    oi: 0,
    bids: [0, 1, 2, 3, 4].map((i) => level(i, -1)),
    asks: [0, 1, 2, 3, 4].map((i) => level(i, 1)),
    ...over,
  };
  MarketTickSchema.parse(tick);
  return tick;
}

/** Ticks of one instrument at the given prices (paise), one second apart. */
export function ticksAt(
  token: number,
  prices: readonly number[],
  startTs = 1_767_584_700_000,
): MarketTick[] {
  return prices.map((p, i) => makeTick(token, p, { ts: startTs + i * 1_000 }));
}
