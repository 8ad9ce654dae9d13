/** The view one signal is judged on, built from the gate's context at the time of the signal. */
import { istMinuteOfDay, type TradingSignal } from '../../model/index.js';
import type { GateView } from './checks/index.js';
import type { RiskGateContext } from './gate-context.js';
import { resolveOrder } from './resolve-order.js';
import { ACTIVE_SCOPE, describeScope, strictest } from './trading-state.js';

/** Cash after fills less the possible cost of validated, unfilled buys at the last price plus the buffer. */
export function availableCash(c: RiskGateContext, strategyId: string): number {
  let reserved = 0;
  for (const [token, q] of Object.entries(c.pending[strategyId] ?? {})) {
    if (q <= 0) continue;
    const last = c.lastPrice[Number(token)] ?? 0;
    reserved += Math.ceil((q * last * (10_000 + c.limits.cashBufferBps)) / 10_000);
  }
  return (c.cash[strategyId] ?? c.limits.startingCash) - reserved;
}

/** What the checks see of signal `s` at `now` (the gate's day already rolled to `now`'s). */
export function viewOf(c: RiskGateContext, s: TradingSignal, now: number): GateView {
  const sid = s.strategyId;
  const own = c.strategyStates[sid] ?? ACTIVE_SCOPE;
  const state = strictest(c.brokerState.state, own.state);
  const stateOf =
    state === 'ACTIVE'
      ? 'ACTIVE'
      : state === c.brokerState.state
        ? describeScope(`broker ${c.broker}`, c.brokerState)
        : describeScope(`strategy ${sid} on ${c.broker}`, own);
  const lastPrice = c.lastPrice[s.token];
  const instrument = c.env.instruments[s.token];
  const second = Math.floor(now / 1000);
  const minute = Math.floor(now / 60_000);
  return {
    state,
    stateOf,
    lastPrice,
    exposure: (c.positions[sid]?.[s.token] ?? 0) + (c.pending[sid]?.[s.token] ?? 0),
    availableCash: availableCash(c, sid),
    instrument,
    now,
    marketOpen: c.env.hours.isOpen(now),
    minuteOfDay: istMinuteOfDay(now),
    tradingDay: c.day,
    order: resolveOrder(s, lastPrice, instrument, c.limits),
    openOrders: Object.keys(c.openOrders[sid] ?? {}).length + (c.unplaced[sid] ?? 0),
    tradesToday: c.tradesToday[sid] ?? 0,
    ordersThisSecond: c.rate.second === second ? c.rate.inSecond : 0,
    ordersThisMinute: c.rate.minute === minute ? c.rate.inMinute : 0,
    ordersToday: c.rate.inDay,
    throttledUntil: c.rate.throttledUntil ?? 0,
  };
}
