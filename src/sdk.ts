/**
 * The package's entry for strategy authors (`import { defineStrategy } from 'alpha-panda'`):
 * defineStrategy, the order-intent builders and the test kit. docs/sdk.md documents them.
 */
import { sdk } from './strategies/index.js';

export const {
  defineStrategy,
  market,
  limit,
  stopLoss,
  stopLossMarket,
  roundToTick,
  barStart,
  runStrategy,
  makeTick,
  priceTicks,
  DEFAULT_HISTORY,
} = sdk;

export type StrategySpec<P, S> = sdk.StrategySpec<P, S>;
export type SdkStrategy<P, S> = sdk.SdkStrategy<P, S>;
export type SdkState<S> = sdk.SdkState<S>;
export type BarsSpec = sdk.BarsSpec;
export type OrderOptions = sdk.OrderOptions;
export type BracketOptions = sdk.BracketOptions;
export type HistoryView = sdk.HistoryView;
export type TickContext<P, S> = sdk.TickContext<P, S>;
export type BarContext<P, S> = sdk.BarContext<P, S>;
export type FillContext<P, S> = sdk.FillContext<P, S>;
export type RejectionContext<P, S> = sdk.RejectionContext<P, S>;
export type RunOptions = sdk.RunOptions;
export type RunResult = sdk.RunResult;
export type IntentAt = sdk.IntentAt;
export type Bar = sdk.Bar;
export type {
  SignalIntent,
  StrategyFill,
  StrategyRejection,
  AnyStrategyDefinition,
} from './strategies/index.js';
export type { MarketTick, Side, OrderType, Validity, Product } from './model/index.js';
