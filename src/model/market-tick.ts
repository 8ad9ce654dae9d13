/** MarketTick: one quote of one instrument, with 5-level depth; prices in paise. */
import { z } from 'zod';
import type { InstrumentToken } from './ids.js';
import type { Paise } from './money.js';

export interface DepthLevel {
  readonly price: Paise;
  readonly quantity: number;
  readonly orders: number;
}

export interface MarketTick {
  readonly token: InstrumentToken;
  /** Exchange time of the tick, epoch ms. */
  readonly ts: number;
  readonly lastPrice: Paise;
  readonly lastQuantity: number;
  readonly averagePrice: Paise;
  /** Shares traded today. */
  readonly volume: number;
  readonly buyQuantity: number;
  readonly sellQuantity: number;
  readonly open: Paise;
  readonly high: Paise;
  readonly low: Paise;
  /** Previous day's close. */
  readonly close: Paise;
  readonly oi: number;
  /** Best bid first; best ask first. Up to 5 levels each; empty when the source has no depth. */
  readonly bids: readonly DepthLevel[];
  readonly asks: readonly DepthLevel[];
}

const int = z.number().int();
const price = int.nonnegative();
const level = z.object({ price, quantity: int.nonnegative(), orders: int.nonnegative() });

export const MarketTickSchema = z.object({
  token: int.positive(),
  ts: int.nonnegative(),
  lastPrice: price,
  lastQuantity: int.nonnegative(),
  averagePrice: price,
  volume: int.nonnegative(),
  buyQuantity: int.nonnegative(),
  sellQuantity: int.nonnegative(),
  open: price,
  high: price,
  low: price,
  close: price,
  oi: int.nonnegative(),
  bids: z.array(level).max(5),
  asks: z.array(level).max(5),
});
