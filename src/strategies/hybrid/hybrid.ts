/**
 * hybrid_momentum and hybrid_mean_reversion (SPEC §3): a rules strategy and a model strategy on
 * the same ticks, combined by a policy. Unlike the original, whose hybrid never loaded its model
 * (so majority_vote was rules-only and conservative never signalled), the model is read when the
 * strategy starts, and a missing or mismatched model refuses the strategy.
 */
import { z } from 'zod';
import type { MarketTick } from '../../model/index.js';
import {
  mlMeanReversion,
  mlMomentum,
  MlMeanReversionParams,
  MlMomentumParams,
  type ModelState,
} from '../model/index.js';
import { meanReversion, MeanReversionParams } from '../mean-reversion/mean-reversion.js';
import { momentum, MomentumParams } from '../momentum/momentum.js';
import type { SignalIntent, StrategyDefinition } from '../strategy.js';
import { conservative, majorityVote, POLICY_TYPES } from './policies.js';

/** The hybrid's parameters over the rules' and the model's parameter schemas. */
function hybridParams<R extends z.ZodObject, M extends z.ZodObject>(
  rules: R,
  ml: M,
  rulesType: string,
  mlType: string,
) {
  return z.object({
    rules_config: rules
      .strict()
      .prefault({})
      .describe(`Parameters of the rules strategy (${rulesType}); unknown names are refused`),
    ml_config: ml
      .strict()
      .prefault({})
      .describe(`Parameters of the model strategy (${mlType}); unknown names are refused`),
    policy_type: z
      .enum(POLICY_TYPES)
      .default('majority_vote')
      .describe(
        'majority_vote: agreement, else a confident model, else the rules, else the model at 0.8; ' +
          'conservative: only when both agree',
      ),
    min_ml_confidence: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .describe(
        'Least model confidence (0-1) for majority_vote to follow the model over the rules',
      ),
  });
}

export const HybridMomentumParams = hybridParams(
  MomentumParams,
  MlMomentumParams,
  'momentum',
  'ml_momentum',
);
export const HybridMeanReversionParams = hybridParams(
  MeanReversionParams,
  MlMeanReversionParams,
  'mean_reversion',
  'ml_mean_reversion',
);

export interface HybridParams<R, M> {
  readonly rules_config: R;
  readonly ml_config: M;
  readonly policy_type: (typeof POLICY_TYPES)[number];
  readonly min_ml_confidence: number;
}

export interface HybridState<S> {
  rules: S;
  ml: ModelState;
}

function hybrid<R, S, M>(
  type: string,
  params: z.ZodType<HybridParams<R, M>>,
  rules: StrategyDefinition<R, S>,
  ml: StrategyDefinition<M, ModelState>,
  summary: string,
): StrategyDefinition<HybridParams<R, M>, HybridState<S>> {
  return {
    type,
    summary,
    params,
    files: (p) => ml.files!(p.ml_config),
    init: (p, env) => ({ rules: rules.init(p.rules_config, env), ml: ml.init(p.ml_config, env) }),
    clone: (s) => ({ rules: rules.clone(s.rules), ml: ml.clone(s.ml) }),
    onTick(
      s: HybridState<S>,
      tick: MarketTick,
      p: HybridParams<R, M>,
      position: number,
    ): SignalIntent | null {
      // both see every tick, so each keeps its own history whatever the other says
      const r = rules.onTick(s.rules, tick, p.rules_config, position);
      const m = ml.onTick(s.ml, tick, p.ml_config, position);
      return p.policy_type === 'conservative'
        ? conservative(r, m)
        : majorityVote(r, m, p.min_ml_confidence);
    },
  };
}

const POLICIES =
  'policy_type majority_vote: when both signal the same side, the larger quantity at ' +
  'min(1, mean confidence + 0.1); else the model’s signal if its confidence ≥ ' +
  'min_ml_confidence; else the rules’ signal; else the model’s at 0.8 of its confidence. ' +
  'conservative: only when both agree, the smaller quantity at min(1, mean confidence + 0.2).';

export const hybridMomentum = hybrid(
  'hybrid_momentum',
  HybridMomentumParams,
  momentum,
  mlMomentum,
  `momentum (rules_config) and ml_momentum (ml_config) on the same ticks. ${POLICIES}`,
);

export const hybridMeanReversion = hybrid(
  'hybrid_mean_reversion',
  HybridMeanReversionParams,
  meanReversion,
  mlMeanReversion,
  `mean_reversion (rules_config) and ml_mean_reversion (ml_config) on the same ticks. ${POLICIES}`,
);
