/** The strategy contract: plain objects with no XState import; the strategy actor wraps them. */
import type { z } from 'zod';
import type { MarketTick, OrderSpec, Side } from '../model/index.js';

/**
 * What a strategy may read besides its ticks: files under STRATEGIES_DIR (models), as they were
 * when the run started (their SHA-256 is journaled in RunStarted, so a replay with other contents
 * is a counterfactual, never a silent divergence).
 */
export interface StrategyEnv {
  /** The text of `path` (relative to STRATEGIES_DIR); throws naming the file when it is absent. */
  file(path: string): string;
}

/** An environment with no files: a strategy that asks for one fails with this message. */
export const NO_FILES: StrategyEnv = {
  file(path) {
    throw new Error(`${path}: no strategy files are available in this run`);
  },
};

/** The instrument a state is for, as the run's instruments define it. */
export interface StrategyInstrument {
  readonly token: number;
  readonly symbol: string;
  readonly exchange: string;
  /** Smallest price step, paise: a LIMIT or trigger price must be a multiple of it. */
  readonly tickSize: number;
  readonly lotSize: number;
}

/** A fill of one of the strategy's orders, as its definition's onFill sees it. */
export interface StrategyFill {
  readonly broker: string;
  readonly token: number;
  readonly side: Side;
  readonly quantity: number;
  /** Paise. */
  readonly price: number;
  /** Exchange time of the fill, epoch ms. */
  readonly ts: number;
}

/** A refusal (risk gate or broker) or a cancel of one of the strategy's orders or signals. */
export interface StrategyRejection {
  readonly broker: string;
  readonly token: number;
  readonly side: Side;
  readonly quantity: number;
  /** The denial code or the broker's reason. */
  readonly reason: string;
}

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
  /** What it does, one paragraph: the strategy reference (`strategies` command) prints it. */
  readonly summary?: string;
  /** Validates and defaults the `parameters` of a strategy configuration. */
  readonly params: z.ZodType<P>;
  /**
   * The files under STRATEGIES_DIR it reads with these parameters (a model): read once when the
   * run starts, and their SHA-256 journaled in RunStarted.
   */
  files?(params: P): readonly string[];
  /** A new instrument's state; `instrument` is that instrument (absent only outside a run). */
  init(params: P, env: StrategyEnv, instrument?: StrategyInstrument): S;
  clone(state: S): S;
  /** `position` is the signed quantity the strategy holds or has asked for on this instrument. */
  onTick(state: S, tick: MarketTick, params: P, position: number): SignalIntent | null;
  /** A fill of its order on this instrument (state of that instrument, changed in place). */
  onFill?(state: S, fill: StrategyFill, params: P): void;
  /** A refusal or cancel of its signal or order on this instrument. */
  onRejected?(state: S, rejection: StrategyRejection, params: P): void;
}

/** Any strategy definition, for registries and the actor. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStrategyDefinition = StrategyDefinition<any, any>;
