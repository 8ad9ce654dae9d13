/** Pure strategy logic and the registry. */
export type {
  StrategyDefinition,
  AnyStrategyDefinition,
  SignalIntent,
  StrategyEnv,
  StrategyFill,
  StrategyRejection,
  StrategyInstrument,
} from './strategy.js';
export { NO_FILES } from './strategy.js';
export {
  StrategyRegistry,
  BUILT_IN_STRATEGIES,
  type StrategyFiles,
  type StrategySource,
  type BrokenStrategy,
} from './registry.js';
export { emaCross, EmaCrossParams, type EmaCrossState } from './ema-cross/ema-cross.js';
export { momentum, MomentumParams, type MomentumState } from './momentum/momentum.js';
export { LIBRARY_STRATEGIES } from './library.js';
export { strategyReference, referenceStrategies, libraryReference } from './reference.js';
export { rsi, RsiParams } from './rsi/rsi.js';
export { meanReversion, MeanReversionParams } from './mean-reversion/mean-reversion.js';
export { lowFrequencyDemo, LowFrequencyParams } from './low-frequency/low-frequency.js';
export {
  mlMomentum,
  mlMeanReversion,
  mlBreakout,
  ModelSchema,
  type Model,
  parseModel,
  trainLogistic,
} from './model/index.js';
export { hybridMomentum, hybridMeanReversion } from './hybrid/index.js';
export * as sdk from './sdk/index.js';
