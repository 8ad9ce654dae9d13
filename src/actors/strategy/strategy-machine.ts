/**
 * The strategy actor: wraps one pure strategy (src/strategies), keeps its state per instrument,
 * turns its intents into a TradingSignal per target broker, tracks what it holds from its fills
 * and refusals, and tells the strategy of them (its onFill and onRejected).
 */
import { enqueueActions, setup } from 'xstate';
import type {
  BrokerName,
  InstrumentToken,
  OrderCanceled,
  OrderFilled,
  OrderRejected,
  SignalRejected,
  StrategyConfigured,
  StrategyId,
  TicksReceived,
  TradingSignal,
} from '../../model/index.js';
import { paise, quantity, settledPart, signedQuantity } from '../../model/index.js';
import { MessageFailed, type Clock } from '../../runtime/index.js';
import {
  NO_FILES,
  type AnyStrategyDefinition,
  type StrategyEnv,
  type StrategyFill,
  type StrategyInstrument,
  type StrategyRejection,
} from '../../strategies/index.js';

export interface StrategyInput {
  readonly strategyId: StrategyId;
  readonly type: string;
  /** Parsed parameters (already validated by the definition's schema). */
  readonly params: unknown;
  readonly instruments: readonly InstrumentToken[];
  readonly brokers: readonly BrokerName[];
  /** False starts the strategy disabled: it follows its fills but emits nothing. Default true. */
  readonly enabled?: boolean;
  /** On restart: the last good context. */
  readonly restore?: StrategyContext;
}

export interface StrategyContext {
  readonly strategyId: StrategyId;
  readonly type: string;
  readonly params: unknown;
  readonly instruments: readonly InstrumentToken[];
  readonly brokers: readonly BrokerName[];
  /** Per-instrument strategy state. */
  readonly states: Readonly<Record<number, unknown>>;
  /** Signed quantity held or asked for, per broker and instrument (`broker:token`). */
  readonly positions: Readonly<Record<string, number>>;
  /** Of `positions`, what was asked for and is not yet filled or refused, signed. */
  readonly pending: Readonly<Record<string, number>>;
  readonly signals: number;
  readonly ticks: number;
  /**
   * Whether ticks are acted on. Context rather than a machine state, so a restart from the last
   * good context keeps it.
   */
  readonly enabled: boolean;
}

export type StrategyEvent =
  TicksReceived | OrderFilled | OrderRejected | OrderCanceled | SignalRejected | StrategyConfigured;

type Book = Pick<StrategyContext, 'positions' | 'pending'>;

/**
 * A fill of `q` on `k`: what settles an ask was counted when asked; the rest (a square-off or a
 * bracket exit the broker placed) changes the position now.
 */
function filled(c: Book, k: string, q: number): Book {
  const part = settledPart(c.pending[k] ?? 0, q);
  return {
    positions: { ...c.positions, [k]: (c.positions[k] ?? 0) + q - part },
    pending: { ...c.pending, [k]: (c.pending[k] ?? 0) - part },
  };
}

/** A refusal (or cancel) of `q` on `k`: the asked-for quantity is given back. */
function refused(c: Book, k: string, q: number): Book {
  return {
    positions: { ...c.positions, [k]: (c.positions[k] ?? 0) - q },
    pending: { ...c.pending, [k]: (c.pending[k] ?? 0) - settledPart(c.pending[k] ?? 0, q) },
  };
}

/** What onRejected is told of a refused or canceled order. */
function rejectionOf(e: OrderRejected | OrderCanceled, reason: string): StrategyRejection {
  return { broker: e.broker, token: e.token, side: e.side, quantity: e.quantity, reason };
}

/**
 * Builds the strategy machine over the given definitions (type name to definition). `clock` is
 * the input clock (the time of the input being handled): a fill's `ts` as onFill sees it; without
 * one it is 0. `instruments`: the run's, by token, which a new instrument's state starts from.
 */
export function createStrategyMachine(
  lookup: (type: string) => AnyStrategyDefinition,
  env: StrategyEnv = NO_FILES,
  clock?: Clock,
  instruments: ReadonlyMap<number, StrategyInstrument> = new Map(),
) {
  /**
   * The states after the strategy's hook ran on `token`'s state (a copy: a throw leaves the last
   * good state untouched, and the message is dead-lettered), or nothing when it has no such hook.
   */
  const hooked = (
    c: StrategyContext,
    token: number,
    hook: (def: AnyStrategyDefinition) => ((state: unknown) => void) | undefined,
  ): Partial<StrategyContext> => {
    const def = lookup(c.type);
    const run = hook(def);
    if (run === undefined) return {};
    const prev = c.states[token];
    const st =
      prev === undefined ? def.init(c.params, env, instruments.get(token)) : def.clone(prev);
    run(st);
    return { states: { ...c.states, [token]: st } };
  };
  const rejected = (c: StrategyContext, r: StrategyRejection) =>
    hooked(c, r.token, (d) => d.onRejected && ((st) => d.onRejected!(st, r, c.params)));
  return setup({
    types: {
      input: {} as StrategyInput,
      context: {} as StrategyContext,
      events: {} as StrategyEvent,
      emitted: {} as TradingSignal,
    },
  }).createMachine({
    id: 'strategy',
    context: ({ input }) =>
      input.restore ?? {
        strategyId: input.strategyId,
        type: input.type,
        params: input.params,
        instruments: input.instruments,
        brokers: input.brokers,
        states: {},
        positions: {},
        pending: {},
        signals: 0,
        ticks: 0,
        enabled: input.enabled ?? true,
      },
    initial: 'running',
    states: {
      running: {
        on: {
          StrategyConfigured: {
            actions: enqueueActions(({ context, event, enqueue }) => {
              // New parameters start every instrument's state afresh (an indicator built with
              // the old periods would mix both); what the strategy holds is kept.
              const same = JSON.stringify(event.params) === JSON.stringify(context.params);
              enqueue.assign(
                same
                  ? { enabled: event.enabled }
                  : { enabled: event.enabled, params: event.params, states: {} },
              );
            }),
          },
          TicksReceived: {
            guard: ({ context }) => context.enabled,
            actions: enqueueActions(({ context, event, enqueue }) => {
              const def = lookup(context.type);
              const states: Record<number, unknown> = { ...context.states };
              // Per instrument, once per batch: a copy of its state and its position key.
              const touched = new Map<number, { st: unknown; posKey: string }>();
              let positions = context.positions;
              let pending = context.pending;
              let posCopied = false;
              let signals = context.signals;
              const brokers = context.brokers;
              const primary = `${brokers[0]}:`;
              for (let i = 0; i < event.ticks.length; i++) {
                const tick = event.ticks[i]!;
                const token = tick.token;
                let t = touched.get(token);
                if (t === undefined) {
                  const prev = states[token];
                  t = {
                    st:
                      prev === undefined
                        ? def.init(context.params, env, instruments.get(token))
                        : def.clone(prev),
                    posKey: primary + token,
                  };
                  states[token] = t.st;
                  touched.set(token, t);
                }
                const st = t.st;
                let intent;
                try {
                  intent = def.onTick(st, tick, context.params, positions[t.posKey] ?? 0);
                } catch (err) {
                  throw new MessageFailed(event.seqs[i]!, err);
                }
                if (intent === null) continue;
                if (!posCopied) {
                  positions = { ...positions };
                  pending = { ...pending };
                  posCopied = true;
                }
                for (const broker of brokers) {
                  const k = `${broker}:${token}`;
                  const q = signedQuantity(intent.side, intent.quantity);
                  (positions as Record<string, number>)[k] = (positions[k] ?? 0) + q;
                  (pending as Record<string, number>)[k] = (pending[k] ?? 0) + q;
                  signals++;
                  enqueue.emit({
                    type: 'TradingSignal',
                    broker,
                    strategyId: context.strategyId,
                    token,
                    side: intent.side,
                    quantity: quantity(intent.quantity),
                    price: paise(tick.lastPrice),
                    confidence: Math.max(0, Math.min(1, intent.confidence)),
                    reasoning: intent.reasoning,
                    tickSeq: event.seqs[i]!,
                    ...(intent.order !== undefined ? { order: intent.order } : {}),
                  });
                }
              }
              enqueue.assign({
                states,
                positions,
                pending,
                signals,
                ticks: context.ticks + event.ticks.length,
              });
            }),
          },
          // Fills were counted when asked for; refusals and cancels give the asked-for quantity
          // back; fills of orders the broker placed itself count when they come.
          SignalRejected: {
            actions: enqueueActions(({ context, event, enqueue }) => {
              const s = event.signal;
              const q = signedQuantity(s.side, s.quantity);
              const r = { broker: s.broker, token: s.token, side: s.side, quantity: s.quantity };
              enqueue.assign({
                ...refused(context, `${s.broker}:${s.token}`, q),
                ...rejected(context, { ...r, reason: event.code }),
              });
            }),
          },
          OrderRejected: {
            actions: enqueueActions(({ context, event, enqueue }) => {
              const q = signedQuantity(event.side, event.quantity);
              enqueue.assign({
                ...refused(context, `${event.broker}:${event.token}`, q),
                ...rejected(context, rejectionOf(event, event.code)),
              });
            }),
          },
          OrderCanceled: {
            actions: enqueueActions(({ context, event, enqueue }) => {
              const q = signedQuantity(event.side, event.quantity);
              enqueue.assign({
                ...refused(context, `${event.broker}:${event.token}`, q),
                ...rejected(context, rejectionOf(event, event.reason)),
              });
            }),
          },
          OrderFilled: {
            actions: enqueueActions(({ context, event, enqueue }) => {
              const q = signedQuantity(event.side, event.quantity);
              const fill: StrategyFill = {
                broker: event.broker,
                token: event.token,
                side: event.side,
                quantity: event.quantity,
                price: event.price,
                ts: clock?.now() ?? 0,
              };
              enqueue.assign({
                ...filled(context, `${event.broker}:${event.token}`, q),
                ...hooked(
                  context,
                  event.token,
                  (d) => d.onFill && ((st) => d.onFill!(st, fill, context.params)),
                ),
              });
            }),
          },
        },
      },
    },
  });
}

export type StrategyMachine = ReturnType<typeof createStrategyMachine>;
