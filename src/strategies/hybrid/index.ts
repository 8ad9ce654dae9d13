/** The hybrid strategies: a rules strategy and a model strategy combined by a policy. */
export {
  hybridMomentum,
  hybridMeanReversion,
  HybridMomentumParams,
  HybridMeanReversionParams,
  type HybridParams,
  type HybridState,
} from './hybrid.js';
export { majorityVote, conservative, POLICY_TYPES, type PolicyType } from './policies.js';
