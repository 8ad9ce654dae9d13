/** Changes of a broker's or a strategy's trading state, each announced by a TradingStateChanged. */
import type { TradingState } from '../../model/index.js';
import type { RiskGateContext, RiskGateEmitted } from './gate-context.js';
import { ACTIVE_SCOPE, setAuthorities, type Authority } from './trading-state.js';

/**
 * Sets authorities' states of the broker (`strategyId` undefined) or of one strategy, and emits a
 * TradingStateChanged into `out` when the scope's state changes. Returns the new context.
 */
export function setScope(
  c: RiskGateContext,
  strategyId: string | undefined,
  set: Readonly<Partial<Record<Authority, TradingState>>>,
  reason: string,
  out: RiskGateEmitted[],
): RiskGateContext {
  const before =
    strategyId === undefined ? c.brokerState : (c.strategyStates[strategyId] ?? ACTIVE_SCOPE);
  const { scope, changed } = setAuthorities(before, set, reason);
  if (changed !== undefined)
    out.push({
      type: 'TradingStateChanged',
      broker: c.broker,
      ...(strategyId === undefined ? {} : { strategyId }),
      from: changed.from,
      to: changed.to,
      reason,
    });
  if (strategyId === undefined) return { ...c, brokerState: scope };
  const strategyStates = { ...c.strategyStates };
  if (scope.state === 'ACTIVE' && Object.keys(scope.by).length === 0)
    delete strategyStates[strategyId];
  else strategyStates[strategyId] = scope;
  return { ...c, strategyStates };
}
