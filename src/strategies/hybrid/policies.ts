/**
 * How a hybrid combines its rules strategy's signal with its model strategy's (the original's
 * policies, inventory §4.3 item 7).
 */
import type { SignalIntent } from '../strategy.js';

export const POLICY_TYPES = ['majority_vote', 'conservative'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

const agree = (a: SignalIntent | null, b: SignalIntent | null): boolean =>
  a !== null && b !== null && a.side === b.side;

/**
 * majority_vote: both agree, the larger quantity at min(1, mean confidence + 0.1); else the
 * model's signal when its confidence is at least `minMl`; else the rules' signal; else the
 * model's low-confidence signal at 0.8 of its confidence.
 */
export function majorityVote(
  rules: SignalIntent | null,
  ml: SignalIntent | null,
  minMl: number,
): SignalIntent | null {
  if (agree(rules, ml)) {
    return {
      side: rules!.side,
      quantity: Math.max(rules!.quantity, ml!.quantity),
      confidence: Math.min(1, (rules!.confidence + ml!.confidence) / 2 + 0.1),
      reasoning: `rules and model agree: ${rules!.reasoning} | ${ml!.reasoning}`,
    };
  }
  if (ml !== null && ml.confidence >= minMl) {
    return { ...ml, reasoning: `model (confidence ≥ ${minMl}): ${ml.reasoning}` };
  }
  if (rules !== null) return { ...rules, reasoning: `rules: ${rules.reasoning}` };
  if (ml !== null) {
    return {
      ...ml,
      confidence: ml.confidence * 0.8,
      reasoning: `model (confidence < ${minMl}, × 0.8): ${ml.reasoning}`,
    };
  }
  return null;
}

/** conservative: only when both agree, the smaller quantity at min(1, mean confidence + 0.2). */
export function conservative(
  rules: SignalIntent | null,
  ml: SignalIntent | null,
): SignalIntent | null {
  if (!agree(rules, ml)) return null;
  return {
    side: rules!.side,
    quantity: Math.min(rules!.quantity, ml!.quantity),
    confidence: Math.min(1, (rules!.confidence + ml!.confidence) / 2 + 0.2),
    reasoning: `rules and model agree: ${rules!.reasoning} | ${ml!.reasoning}`,
  };
}
