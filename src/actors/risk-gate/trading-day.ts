/**
 * The IST trading day: when it changes, the daily counters start again, the daily-loss
 * restrictions are released and each strategy's day starts at its equity now.
 */
import type { RiskGateContext, RiskGateEmitted } from './gate-context.js';
import { setScope } from './scope-change.js';

/**
 * Moves the gate to trading day `day` (YYYY-MM-DD); nothing when it is already there or later, so
 * a late timer never starts a day again.
 */
export function rollDay(c: RiskGateContext, day: string, out: RiskGateEmitted[]): RiskGateContext {
  if (day <= c.day) return c;
  const equity: Record<string, RiskGateContext['equity'][string]> = {};
  for (const [sid, r] of Object.entries(c.equity))
    equity[sid] = { ...r, day, dayStart: r.equity, forgiven: 0 };
  let next: RiskGateContext = {
    ...c,
    day,
    tradesToday: {},
    rate: { ...c.rate, inDay: 0 },
    equity,
    brokerLossForgiven: 0,
  };
  const reason = `trading day ${day} began: the daily loss limit is released`;
  if (next.brokerState.by.dailyLoss !== undefined)
    next = setScope(next, undefined, { dailyLoss: 'ACTIVE' }, reason, out);
  for (const [sid, s] of Object.entries(c.strategyStates))
    if (s.by.dailyLoss !== undefined)
      next = setScope(next, sid, { dailyLoss: 'ACTIVE' }, reason, out);
  return next;
}
