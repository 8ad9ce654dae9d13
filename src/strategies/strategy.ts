/** The strategy contract: plain objects with no XState import; the strategy actor wraps them. */
import type { z } from 'zod';
import type { MarketTick, OrderSpec, Side } from '../model/index.js';

/** What a strategy wants to do on one tick; the actor turns it into a TradingSignal per broker. */
export interface SignalIntent {
  readonly side: Side;
  readonly quantity: number;
  /** In [0, 1]. */
  readonly confidence: number;
  readonly reasoning: string;
  /** How to execute it (type, validity, product, prices, bracket); absent: MARKET DAY. */
  readonly order?: OrderSpec;
}

/**
 * A strategy type. State is kept per instrument; `onTick` may change the state it is given in
 * place, because the actor hands it a copy (`clone`) once per batch, so a throw leaves the last
 * good state untouched. Indicators may be real numbers; money stays integer paise.
 */
export interface StrategyDefinition<P = unknown, S = unknown> {
  readonly type: string;
  /** Validates and defaults the `parameters` of a strategy configuration. */
  readonly params: z.ZodType<P>;
  init(params: P): S;
  clone(state: S): S;
  /** `position` is the signed quantity the strategy holds or has asked for on this instrument. */
  onTick(state: S, tick: MarketTick, params: P, position: number): SignalIntent | null;
}

/** Any strategy definition, for registries and the actor. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStrategyDefinition = StrategyDefinition<any, any>;
