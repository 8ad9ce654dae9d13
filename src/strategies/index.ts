/** Pure strategy logic and the registry. */
export type {
  StrategyDefinition,
  AnyStrategyDefinition,
  SignalIntent,
  StrategyEnv,
  StrategyFill,
  StrategyRejection,
} from './strategy.js';
export { NO_FILES } from './strategy.js';
export { StrategyRegistry, BUILT_IN_STRATEGIES } from './registry.js';
export { emaCross, EmaCrossParams, type EmaCrossState } from './ema-cross/ema-cross.js';
export { momentum, MomentumParams, type MomentumState } from './momentum/momentum.js';
