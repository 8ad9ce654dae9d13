/** The strategy SDK: defineStrategy, order intents, the history context, and a test kit. */
export {
  defineStrategy,
  isDefinedStrategy,
  DEFAULT_HISTORY,
  STRATEGY_NAME,
  type StrategySpec,
  type SdkState,
  type SdkStrategy,
  type BarsSpec,
} from './define-strategy.js';
export {
  market,
  limit,
  stopLoss,
  stopLossMarket,
  roundToTick,
  type OrderOptions,
  type BracketOptions,
} from './intents.js';
export type {
  HistoryView,
  TickContext,
  BarContext,
  FillContext,
  RejectionContext,
} from './context.js';
export { barStart, type History } from './history.js';
export {
  runStrategy,
  makeTick,
  priceTicks,
  type RunOptions,
  type RunResult,
  type IntentAt,
} from './test-kit.js';
export type { Bar } from '../indicators/index.js';
