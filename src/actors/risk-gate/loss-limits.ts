/**
 * Loss limits that act on their own: each strategy's equity (cash after fills and fees plus its
 * positions at their last prices) against its day's start (daily loss) and its peak (drawdown),
 * and the broker's daily loss, the sum over its strategies. A breach moves the strategy or the
 * broker to `lossLimitAction`.
 */
import type { TradingState } from '../../model/index.js';
import type { EquityRecord, RiskGateContext, RiskGateEmitted } from './gate-context.js';
import type { RiskLimits } from './risk-limits.js';
import { setScope } from './scope-change.js';
import type { Authority } from './trading-state.js';

/** A strategy's equity now: cash plus each position at its instrument's last price, paise. */
export function equityOf(c: RiskGateContext, sid: string): number {
  let e = c.cash[sid] ?? c.limits.startingCash;
  for (const [token, q] of Object.entries(c.positions[sid] ?? {}))
    e += q * (c.lastPrice[Number(token)] ?? 0);
  return e;
}

/** The broker's daily loss: its strategies' losses since their day's start, less what was forgiven. */
export function brokerDailyLoss(c: RiskGateContext): number {
  let loss = 0;
  for (const r of Object.values(c.equity)) if (r.day === c.day) loss += r.dayStart - r.equity;
  return loss - c.brokerLossForgiven;
}

/** The strategy's record at equity `e` in the gate's day (a record of an earlier day starts the day). */
function recordAt(c: RiskGateContext, sid: string, e: number): EquityRecord {
  // No record yet means no fill yet: before this event the strategy held its starting cash.
  const start = c.limits.startingCash;
  const prev = c.equity[sid] ?? {
    day: c.day,
    dayStart: start,
    forgiven: 0,
    peak: start,
    equity: start,
  };
  const day =
    prev.day === c.day ? prev : { ...prev, day: c.day, dayStart: prev.equity, forgiven: 0 };
  return { ...day, equity: e, peak: Math.max(day.peak, e) };
}

/**
 * Re-values strategies `sids` (their fills or their instruments' ticks moved them), then checks
 * their limits and the broker's; each breach that changes a state emits into `out`.
 */
export function evaluateLosses(
  c: RiskGateContext,
  sids: Iterable<string>,
  out: RiskGateEmitted[],
): RiskGateContext {
  const l = c.limits;
  const action: TradingState = l.lossLimitAction;
  const equity = { ...c.equity };
  const breaches: [string, Partial<Record<Authority, TradingState>>, string][] = [];
  for (const sid of sids) {
    const r = recordAt(c, sid, equityOf(c, sid));
    equity[sid] = r;
    const by = c.strategyStates[sid]?.by ?? {};
    const set: Partial<Record<Authority, TradingState>> = {};
    const why: string[] = [];
    const daily = r.dayStart - r.equity - r.forgiven;
    if (
      l.dailyLossLimitPerStrategy > 0 &&
      daily >= l.dailyLossLimitPerStrategy &&
      by.dailyLoss !== action
    ) {
      set.dailyLoss = action;
      why.push(
        `loss limit dailyLossLimitPerStrategy: strategy ${sid} lost ${daily} paise since the start of ${r.day} (equity ${r.dayStart} → ${r.equity} paise), limit ${l.dailyLossLimitPerStrategy} paise`,
      );
    }
    const drawdown = r.peak - r.equity;
    if (
      l.maxDrawdownPerStrategy > 0 &&
      drawdown >= l.maxDrawdownPerStrategy &&
      by.drawdown !== action
    ) {
      set.drawdown = action;
      why.push(
        `loss limit maxDrawdownPerStrategy: strategy ${sid} is ${drawdown} paise below its peak (equity ${r.peak} → ${r.equity} paise), limit ${l.maxDrawdownPerStrategy} paise`,
      );
    }
    if (why.length > 0) breaches.push([sid, set, `${why.join('; ')}: ${action}`]);
  }
  let next: RiskGateContext = { ...c, equity };
  for (const [sid, set, reason] of breaches) next = setScope(next, sid, set, reason, out);
  if (l.dailyLossLimitPerBroker === 0 || next.brokerState.by.dailyLoss === action) return next;
  const loss = brokerDailyLoss(next);
  if (loss >= l.dailyLossLimitPerBroker)
    next = setScope(
      next,
      undefined,
      { dailyLoss: action },
      `loss limit dailyLossLimitPerBroker: the strategies of broker ${c.broker} lost ${loss} paise together since the start of ${c.day}, limit ${l.dailyLossLimitPerBroker} paise: ${action}`,
      out,
    );
  return next;
}

/**
 * Measures the loss limits of a scope from now on (after a ResumeTrading): the daily loss so far
 * is forgiven (a strategy's alone, or the broker's sum, each without touching the other), and a
 * strategy's peak becomes its equity now.
 */
export function rebaseLosses(c: RiskGateContext, sid: string | undefined): RiskGateContext {
  if (sid === undefined)
    return { ...c, brokerLossForgiven: c.brokerLossForgiven + brokerDailyLoss(c) };
  const r = c.equity[sid];
  if (r === undefined) return c;
  const rolled = recordAt(c, sid, r.equity);
  const rebased = { ...rolled, forgiven: rolled.dayStart - rolled.equity, peak: rolled.equity };
  return { ...c, equity: { ...c.equity, [sid]: rebased } };
}

/** Whether any loss limit is on: without one, ticks need not re-value anybody. */
export function lossLimitsOn(l: RiskLimits): boolean {
  return (
    l.dailyLossLimitPerStrategy > 0 || l.dailyLossLimitPerBroker > 0 || l.maxDrawdownPerStrategy > 0
  );
}
