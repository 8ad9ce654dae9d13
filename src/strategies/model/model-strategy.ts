/**
 * The model strategies (SPEC §3): features of one instrument's last prices, a logistic model read
 * from a file under STRATEGIES_DIR, and a signal only when the predicted class's probability is
 * strictly above `confidence_threshold` (label 1 BUY, 0 SELL; the probability is the confidence).
 * A model whose feature count differs from the strategy's is refused when the strategy starts.
 */
import { z } from 'zod';
import type { MarketTick } from '../../model/index.js';
import {
  POSITION_PARAMS,
  positionQuantity,
  ring,
  ringClone,
  ringFull,
  ringPush,
  ringValues,
  type Ring,
} from '../indicators/index.js';
import type { SignalIntent, StrategyDefinition } from '../strategy.js';
import {
  BREAKOUT_FEATURES,
  MEAN_REVERSION_FEATURES,
  MOMENTUM_FEATURES,
  type FeatureSet,
} from './features.js';
import { loadModel } from './load-model.js';
import { predict, type Model } from './model-file.js';

/** The parameters' schema of a model strategy with these defaults. */
function modelParams(model: string, lookback: number, threshold: number, minWindow: number) {
  return z.object({
    model_path: z
      .string()
      .min(1)
      .default(model)
      .describe(
        'Model file (alpha-panda.logistic/1 or alpha-panda.trees/1 JSON), relative to STRATEGIES_DIR',
      ),
    lookback_periods: z
      .number()
      .int()
      .min(minWindow)
      .default(lookback)
      .describe('Window of prices (ticks) the features are computed over'),
    confidence_threshold: z
      .number()
      .min(0)
      .lt(1)
      .default(threshold)
      .describe('A signal needs the predicted label’s probability (0-1) strictly above this'),
    ...POSITION_PARAMS,
  });
}

export const MlMomentumParams = modelParams('models/momentum_v1.json', 20, 0.6, 6);
export const MlMeanReversionParams = modelParams('models/mean_reversion_v1.json', 20, 0.6, 2);
export const MlBreakoutParams = modelParams('models/breakout_v1.json', 30, 0.65, 2);
export type ModelParams = z.infer<typeof MlMomentumParams>;

export interface ModelState {
  /** The last lookback_periods prices of this instrument, paise. */
  prices: Ring<number>;
  /** The model, read once when the strategy starts; never changed. */
  model: Model;
}

function modelStrategy(
  type: string,
  params: z.ZodType<ModelParams>,
  features: FeatureSet,
  summary: string,
): StrategyDefinition<ModelParams, ModelState> {
  return {
    type,
    summary,
    params,
    files: (p) => [p.model_path],
    init: (p, env) => ({
      prices: ring(p.lookback_periods),
      model: loadModel(env, p.model_path, type, features.names),
    }),
    clone: (s) => ({ prices: ringClone(s.prices), model: s.model }),
    onTick(s: ModelState, tick: MarketTick, p: ModelParams, position: number): SignalIntent | null {
      ringPush(s.prices, tick.lastPrice);
      if (!ringFull(s.prices)) return null;
      const x = features.compute(ringValues(s.prices));
      const { label, probability } = predict(s.model, x);
      if (!(probability > p.confidence_threshold)) return null;
      const side = label === 1 ? 'BUY' : 'SELL';
      const quantity = positionQuantity(side, p, position);
      if (quantity === null) return null;
      const shown = x.map((v, i) => `${features.names[i]}=${+v.toPrecision(6)}`).join(' ');
      return {
        side,
        quantity,
        confidence: probability,
        reasoning: `${p.model_path} predicts ${label} (${side}) with p=${probability.toFixed(3)} > ${p.confidence_threshold}; ${shown}`,
      };
    },
  };
}

export const mlMomentum = modelStrategy(
  'ml_momentum',
  MlMomentumParams,
  MOMENTUM_FEATURES,
  'A model over 5 momentum features of the last lookback_periods prices: the return over the ' +
    'window, the return over the last 5 ticks, the standard deviation of tick returns, the price ' +
    '(paise) and the window length. BUY on label 1, SELL what it holds on label 0, when the ' +
    'probability is above confidence_threshold; the probability is the confidence.',
);

export const mlMeanReversion = modelStrategy(
  'ml_mean_reversion',
  MlMeanReversionParams,
  MEAN_REVERSION_FEATURES,
  'A model over 4 mean-reversion features of the last lookback_periods prices: the price’s ' +
    'z-score in the window, the price (paise), the standard deviation of tick returns and the ' +
    'window length. Signals as ml_momentum.',
);

export const mlBreakout = modelStrategy(
  'ml_breakout',
  MlBreakoutParams,
  BREAKOUT_FEATURES,
  'A model over 4 breakout features of the last lookback_periods prices: the distance from the ' +
    'window’s high and from its low, the mean absolute tick return and the price (paise). ' +
    'Signals as ml_momentum.',
);
