/**
 * The risk gate, one per broker: validates or rejects each signal with per-check results and a
 * stable denial code, from the last tick price and the real positions (fills) plus validated,
 * unfilled quantity. Trading state ACTIVE / REDUCING / HALTED is set by commands.
 */
import { enqueueActions, setup } from 'xstate';
import type {
  BrokerName,
  OrderFilled,
  OrderRejected,
  SetTradingState,
  SignalRejected,
  SignalValidated,
  TicksReceived,
  TradingSignal,
  TradingState,
  TradingStateChanged,
} from '../../model/index.js';
import { cashDelta, signedQuantity } from '../../model/index.js';
import { CHECKS, DEFAULT_LIMITS, type RiskLimits } from './checks.js';

export interface RiskGateInput {
  readonly broker: BrokerName;
  readonly limits?: Partial<RiskLimits>;
  readonly restore?: RiskGateContext;
}

export interface RiskGateContext {
  readonly broker: BrokerName;
  readonly limits: RiskLimits;
  /** The state the gate trades on: HALTED while the journal halts it, else the operator's. */
  readonly tradingState: TradingState;
  /** The last state an operator (or the session actor) set. */
  readonly operatorState: TradingState;
  /** Whether the journal's backlog has halted the gate. */
  readonly journalHalted: boolean;
  /** Last tick price per instrument, paise. */
  readonly lastPrice: Readonly<Record<number, number>>;
  /** Filled position per `strategyId:token`, signed shares. */
  readonly positions: Readonly<Record<string, number>>;
  /** Validated but not yet filled or refused, per `strategyId:token`, signed shares. */
  readonly pending: Readonly<Record<string, number>>;
  /** Each strategy's cash after its fills, paise (absent: the starting cash). */
  readonly cash: Readonly<Record<string, number>>;
  readonly validated: number;
  readonly rejected: number;
}

export type RiskGateEvent =
  TicksReceived | TradingSignal | OrderFilled | OrderRejected | SetTradingState;
type Emitted = SignalValidated | SignalRejected | TradingStateChanged;

/**
 * Settles `q` (signed) against validated, unfilled quantity `p`: only toward zero, so a fill or
 * refusal of an order this gate never validated (reconciliation, say) leaves no phantom pending.
 */
function settle(p: number, q: number): number {
  if (p === 0 || Math.sign(p) !== Math.sign(q)) return p;
  return Math.abs(p) > Math.abs(q) ? p - q : 0;
}

/** Cash after fills less the possible cost of validated, unfilled buys at the last price plus the buffer. */
function availableCash(c: RiskGateContext, strategyId: string): number {
  let reserved = 0;
  const prefix = `${strategyId}:`;
  for (const [key, q] of Object.entries(c.pending)) {
    if (q <= 0 || !key.startsWith(prefix)) continue;
    const last = c.lastPrice[Number(key.slice(prefix.length))] ?? 0;
    reserved += Math.ceil((q * last * (10_000 + c.limits.cashBufferBps)) / 10_000);
  }
  return (c.cash[strategyId] ?? c.limits.startingCash) - reserved;
}

export const riskGateMachine = setup({
  types: {
    input: {} as RiskGateInput,
    context: {} as RiskGateContext,
    events: {} as RiskGateEvent,
    emitted: {} as Emitted,
  },
}).createMachine({
  id: 'risk-gate',
  context: ({ input }) =>
    input.restore ?? {
      broker: input.broker,
      limits: { ...DEFAULT_LIMITS, ...input.limits },
      tradingState: 'ACTIVE',
      operatorState: 'ACTIVE',
      journalHalted: false,
      lastPrice: {},
      positions: {},
      pending: {},
      cash: {},
      validated: 0,
      rejected: 0,
    },
  initial: 'running',
  states: {
    running: {
      on: {
        TicksReceived: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const last: Record<number, number> = { ...context.lastPrice };
            for (const t of event.ticks) last[t.token] = t.lastPrice;
            enqueue.assign({ lastPrice: last });
          }),
        },
        TradingSignal: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const key = `${event.strategyId}:${event.token}`;
            const view = {
              state: context.tradingState,
              lastPrice: context.lastPrice[event.token],
              exposure: (context.positions[key] ?? 0) + (context.pending[key] ?? 0),
              availableCash: availableCash(context, event.strategyId),
            };
            const checks = CHECKS.map((c) => c(event, view, context.limits));
            const failed = checks.find((c) => !c.passed);
            if (failed?.code !== undefined) {
              enqueue.emit({
                type: 'SignalRejected',
                broker: context.broker,
                signal: event,
                code: failed.code,
                detail: failed.detail ?? '',
                checks,
              });
              enqueue.assign({ rejected: context.rejected + 1 });
              return;
            }
            enqueue.emit({
              type: 'SignalValidated',
              broker: context.broker,
              signal: event,
              checks,
            });
            enqueue.assign({
              validated: context.validated + 1,
              pending: {
                ...context.pending,
                [key]: (context.pending[key] ?? 0) + signedQuantity(event.side, event.quantity),
              },
            });
          }),
        },
        OrderFilled: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const key = `${event.strategyId}:${event.token}`;
            const q = signedQuantity(event.side, event.quantity);
            const before = context.cash[event.strategyId] ?? context.limits.startingCash;
            const after = before + cashDelta(event);
            enqueue.assign({
              positions: { ...context.positions, [key]: (context.positions[key] ?? 0) + q },
              pending: { ...context.pending, [key]: settle(context.pending[key] ?? 0, q) },
              cash: { ...context.cash, [event.strategyId]: after },
            });
          }),
        },
        OrderRejected: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const key = `${event.strategyId}:${event.token}`;
            enqueue.assign({
              pending: {
                ...context.pending,
                [key]: settle(
                  context.pending[key] ?? 0,
                  signedQuantity(event.side, event.quantity),
                ),
              },
            });
          }),
        },
        SetTradingState: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const journal = event.authority === 'journal';
            const operatorState = journal ? context.operatorState : event.state;
            const journalHalted = journal ? event.state === 'HALTED' : context.journalHalted;
            const next: TradingState = journalHalted ? 'HALTED' : operatorState;
            if (next !== context.tradingState) {
              enqueue.emit({
                type: 'TradingStateChanged',
                broker: context.broker,
                from: context.tradingState,
                to: next,
                reason: event.reason,
              });
            }
            enqueue.assign({ tradingState: next, operatorState, journalHalted });
          }),
        },
      },
    },
  },
});
