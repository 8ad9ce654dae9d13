/**
 * The risk gate, one per broker: validates or rejects each signal with every check's result and
 * a stable denial code, and resolves the order it validates (type, product, market protection,
 * slices). It follows last prices, positions, cash, pending quantity and open orders; governs the
 * account's order rate; keeps the broker's and each strategy's trading state per authority; and
 * restricts a strategy or the broker on its own when a loss limit is breached.
 */
import { enqueueActions, setup } from 'xstate';
import {
  signedQuantity,
  type MarketTimerFired,
  type OrderCanceled,
  type OrderFilled,
  type OrderRejected,
  type OrderThrottled,
  type SignalRejected,
  type SignalValidated,
  type SubmitOrder,
  type TradingSignal,
} from '../../model/index.js';
import { CHECKS } from './checks/index.js';
import {
  envOf,
  initialData,
  type RiskGateContext,
  type RiskGateEmitted,
  type RiskGateEvent,
  type RiskGateInput,
} from './gate-context.js';
import { viewOf } from './gate-view.js';
import { evaluateLosses, lossLimitsOn } from './loss-limits.js';
import { onClosed, onFilled, onSubmitted, onValidated } from './order-book.js';
import { riskLimits } from './risk-limits.js';
import { applyTradingCommand } from './trading-commands.js';
import { rollDay } from './trading-day.js';

/** The gate's context moved to the trading day of the input being handled. */
function today(c: RiskGateContext, out: RiskGateEmitted[]): RiskGateContext {
  return rollDay(c, c.env.hours.tradingDay(c.env.clock.now()), out);
}

/** Judges one signal: every check runs; the first failure gives the code. */
function decide(c0: RiskGateContext, s: TradingSignal, out: RiskGateEmitted[]): RiskGateContext {
  const now = c0.env.clock.now();
  const c = rollDay(c0, c0.env.hours.tradingDay(now), out);
  const view = viewOf(c, s, now);
  const checks = CHECKS.map((check) => check(s, view, c.limits));
  const failed = checks.find((r) => !r.passed);
  if (failed?.code !== undefined) {
    const rejected: SignalRejected = {
      type: 'SignalRejected',
      broker: c.broker,
      signal: s,
      code: failed.code,
      detail: failed.detail ?? '',
      checks,
    };
    out.push(rejected);
    return { ...c, rejected: c.rejected + 1 };
  }
  const validated: SignalValidated = {
    type: 'SignalValidated',
    broker: c.broker,
    signal: s,
    checks,
    order: view.order,
  };
  out.push(validated);
  const n = view.order.slices.length;
  return {
    ...c,
    ...onValidated(c, s.strategyId, s.token, signedQuantity(s.side, s.quantity), n),
    validated: c.validated + 1,
    tradesToday: { ...c.tradesToday, [s.strategyId]: view.tradesToday + 1 },
    rate: {
      second: Math.floor(now / 1000),
      inSecond: view.ordersThisSecond + n,
      minute: Math.floor(now / 60_000),
      inMinute: view.ordersThisMinute + n,
      inDay: view.ordersToday + n,
    },
  };
}

/**
 * Runs `step` on the context, then assigns what it returns and emits what it pushed, in order.
 * Every handler goes through here, so each input gives one new context and its messages.
 */
function handle<E extends RiskGateEvent>(
  step: (c: RiskGateContext, e: E, out: RiskGateEmitted[]) => RiskGateContext,
) {
  return enqueueActions<
    RiskGateContext,
    E,
    undefined,
    RiskGateEvent,
    never,
    never,
    never,
    never,
    RiskGateEmitted
  >(({ context, event, enqueue }) => {
    const out: RiskGateEmitted[] = [];
    const next = step(context, event, out);
    if (next !== context) enqueue.assign(() => next);
    for (const m of out) enqueue.emit(m);
  });
}

export const riskGateMachine = setup({
  types: {
    input: {} as RiskGateInput,
    context: {} as RiskGateContext,
    events: {} as RiskGateEvent,
    emitted: {} as RiskGateEmitted,
  },
}).createMachine({
  id: 'risk-gate',
  context: ({ input }) => ({
    ...(input.restore ?? initialData(input.broker, riskLimits(input.limits))),
    env: envOf(input),
  }),
  initial: 'running',
  states: {
    running: {
      on: {
        TicksReceived: {
          // Every tick batch of the market comes here: copy the price table once, and re-value
          // only the strategies that hold a ticked instrument.
          actions: enqueueActions(({ context: c, event, enqueue }) => {
            const lastPrice: Record<number, number> = { ...c.lastPrice };
            let moved: Set<string> | undefined;
            const limits = lossLimitsOn(c.limits);
            for (const t of event.ticks) {
              lastPrice[t.token] = t.lastPrice;
              if (!limits) continue;
              const holders = c.holders[t.token];
              if (holders !== undefined) for (const h of holders) (moved ??= new Set()).add(h);
            }
            // Without a loss limit nothing is re-valued on ticks (fills still keep the records).
            if (moved === undefined) {
              enqueue.assign({ lastPrice });
              return;
            }
            const out: RiskGateEmitted[] = [];
            const next = evaluateLosses(today({ ...c, lastPrice }, out), moved, out);
            enqueue.assign(() => next);
            for (const m of out) enqueue.emit(m);
          }),
        },
        TradingSignal: { actions: handle(decide) },
        SubmitOrder: { actions: handle((c, e: SubmitOrder) => ({ ...c, ...onSubmitted(c, e) })) },
        OrderFilled: {
          actions: handle((c, e: OrderFilled, out) => {
            const d = today(c, out);
            return evaluateLosses({ ...d, ...onFilled(d, e) }, [e.strategyId], out);
          }),
        },
        OrderRejected: { actions: handle((c, e: OrderRejected) => ({ ...c, ...onClosed(c, e) })) },
        OrderCanceled: { actions: handle((c, e: OrderCanceled) => ({ ...c, ...onClosed(c, e) })) },
        SetTradingState: { actions: handle(applyTradingCommand) },
        HaltTrading: { actions: handle(applyTradingCommand) },
        ReduceOnly: { actions: handle(applyTradingCommand) },
        ResumeTrading: { actions: handle(applyTradingCommand) },
        KillSwitch: { actions: handle(applyTradingCommand) },
        OrderThrottled: {
          actions: handle((c, e: OrderThrottled) =>
            e.broker !== c.broker || e.until <= (c.rate.throttledUntil ?? 0)
              ? c
              : { ...c, rate: { ...c.rate, throttledUntil: e.until } },
          ),
        },
        MarketTimerFired: {
          // Only IST midnight concerns the gate: the daily counters and limits start again.
          actions: handle((c, e: MarketTimerFired, out) =>
            e.kind === 'IST_MIDNIGHT' ? rollDay(c, e.tradingDay, out) : c,
          ),
        },
      },
    },
  },
});
