/** The strategy library beyond momentum and ema_cross: rules, model and hybrid strategies. */
import { hybridMeanReversion, hybridMomentum } from './hybrid/index.js';
import { lowFrequencyDemo } from './low-frequency/low-frequency.js';
import { meanReversion } from './mean-reversion/mean-reversion.js';
import { mlBreakout, mlMeanReversion, mlMomentum } from './model/index.js';
import { rsi } from './rsi/rsi.js';
import type { AnyStrategyDefinition } from './strategy.js';

export const LIBRARY_STRATEGIES: readonly AnyStrategyDefinition[] = [
  meanReversion,
  rsi,
  lowFrequencyDemo,
  mlMomentum,
  mlMeanReversion,
  mlBreakout,
  hybridMomentum,
  hybridMeanReversion,
];
