/**
 * Trading states kept per authority: a scope (the broker, or one strategy on it) trades on the
 * strictest state any authority has set for it, so no authority can lift another's restriction.
 */
import type { TradingState } from '../../model/index.js';

/**
 * Who restricts a scope: an operator (commands, the kill switch), the journal (backlog), the
 * broker (a remote broker's session, IP refusal, reconciliation after a restart), and the
 * loss-limit authority with its two rules, the daily loss (released on the next trading day) and
 * the drawdown (released only by ResumeTrading).
 */
export type Authority = 'operator' | 'journal' | 'broker' | 'dailyLoss' | 'drawdown';

/** One scope's trading state. */
export interface ScopeState {
  /** The strictest of `by`: what the scope trades on. */
  readonly state: TradingState;
  /** Each authority's state, for those that are not ACTIVE. */
  readonly by: Readonly<Partial<Record<Authority, TradingState>>>;
  /** Why the scope is in `state`: the reason given with its last change, or restatement. */
  readonly reason: string;
}

export const ACTIVE_SCOPE: ScopeState = { state: 'ACTIVE', by: {}, reason: 'start' };

const RANK: Readonly<Record<TradingState, number>> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/** Returns the stricter of two states (HALTED over REDUCING over ACTIVE). */
export function strictest(a: TradingState, b: TradingState): TradingState {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Sets the states of some authorities of a scope (ACTIVE clears them) and recomputes its state.
 * Returns the new scope, and the change of its state when there is one.
 */
export function setAuthorities(
  scope: ScopeState,
  set: Readonly<Partial<Record<Authority, TradingState>>>,
  reason: string,
): { scope: ScopeState; changed?: { from: TradingState; to: TradingState } } {
  const by: Partial<Record<Authority, TradingState>> = { ...scope.by };
  for (const [a, s] of Object.entries(set) as [Authority, TradingState][]) {
    if (s === 'ACTIVE') delete by[a];
    else by[a] = s;
  }
  let state: TradingState = 'ACTIVE';
  for (const s of Object.values(by)) state = strictest(state, s);
  if (state === scope.state) {
    // An authority setting the state the scope is in gives the reason now (a broker halted for
    // a refused IP, then for its instruments, says so), without a change of state.
    const restated = Object.values(set).some((s) => s === state && s !== 'ACTIVE');
    return { scope: { state, by, reason: restated ? reason : scope.reason } };
  }
  return { scope: { state, by, reason }, changed: { from: scope.state, to: state } };
}

/** Describes a scope's restriction for a denial: "HALTED for strategy s1 (operator: review)". */
export function describeScope(name: string, scope: ScopeState): string {
  const who = (Object.keys(scope.by) as Authority[]).filter((a) => scope.by[a] === scope.state);
  return `${scope.state} for ${name} (${who.join(', ')}: ${scope.reason})`;
}
