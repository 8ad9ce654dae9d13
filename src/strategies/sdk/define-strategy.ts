/**
 * defineStrategy: a strategy written as callbacks over a context (the tick, the instrument's
 * history and indicators, its parameters, state and position) becomes a StrategyDefinition the
 * strategy actor runs like a built-in one. Its per-instrument state is the user's state plus the
 * SDK's history, both plain data.
 */
import type { z } from 'zod';
import type { SignalIntent, StrategyDefinition, StrategyInstrument } from '../strategy.js';
import type { BarContext, FillContext, RejectionContext, TickContext } from './context.js';
import { historyView } from './context.js';
import { cloneHistory, emptyHistory, pushTick, type History } from './history.js';

/** Ticks and bars kept per instrument unless `history` says otherwise. */
export const DEFAULT_HISTORY = 200;
const MAX_HISTORY = 100_000;
export const STRATEGY_NAME = /^[a-z][a-z0-9_]*$/;

/** What defineStrategy takes. P: the parsed parameters; S: the per-instrument state. */
export interface StrategySpec<P, S> {
  /** The strategy type, snake_case; a file's strategy is named after the file (x.ts: `x`). */
  readonly name: string;
  /** One paragraph: what it does (the strategy reference prints it). */
  readonly summary?: string;
  /** Validates and defaults the `parameters` of its configurations; `.describe()` documents them. */
  readonly params: z.ZodType<P>;
  /** A new instrument's state (plain JSON data: it goes into snapshots). Default `{}`. */
  readonly init?: (params: P) => S;
  /** Every tick of its instruments: an order intent or null. */
  readonly onTick?: (ctx: TickContext<P, S>) => SignalIntent | null;
  /** Each completed bar (needs `bars`): an order intent or null. When it returns one, onTick is not called for that tick. */
  readonly onBar?: (ctx: BarContext<P, S>) => SignalIntent | null;
  /** A fill of one of its orders on this instrument. */
  readonly onFill?: (ctx: FillContext<P, S>) => void;
  /** A refusal (risk gate or broker) or cancel of one of its signals or orders on this instrument. */
  readonly onRejected?: (ctx: RejectionContext<P, S>) => void;
  /**
   * Time bars of this many seconds, aligned to IST midnight, built from the ticks' times; or a
   * function of the parameters giving them (so a configuration can choose the bar length).
   */
  readonly bars?: BarsSpec | ((params: P) => BarsSpec);
  /** Ticks and bars kept per instrument (default 200). */
  readonly history?: number;
}

export interface BarsSpec {
  readonly seconds: number;
}

/** The per-instrument state of an SDK strategy. */
export interface SdkState<S> {
  readonly user: S;
  readonly history: History;
  readonly instrument: StrategyInstrument;
}

export type SdkStrategy<P, S> = StrategyDefinition<P, SdkState<S>>;

const DEFINED = new WeakSet<object>();

/** Whether `x` was made by defineStrategy (a file's default export must be). */
export function isDefinedStrategy(x: unknown): x is SdkStrategy<unknown, unknown> {
  return typeof x === 'object' && x !== null && DEFINED.has(x);
}

function check(spec: StrategySpec<unknown, unknown>): void {
  const fix = (what: string) => {
    throw new TypeError(`defineStrategy(${JSON.stringify(spec?.name)}): ${what}`);
  };
  if (typeof spec !== 'object' || spec === null) fix('expects an object { name, params, ... }');
  if (typeof spec.name !== 'string' || !STRATEGY_NAME.test(spec.name))
    fix('name must be snake_case: a lowercase letter, then lowercase letters, digits or _');
  if (typeof (spec.params as { safeParse?: unknown })?.safeParse !== 'function')
    fix('params must be a zod schema, e.g. z.object({ quantity: z.number().int().default(1) })');
  if (spec.onTick === undefined && spec.onBar === undefined) fix('give onTick, onBar or both');
  if (spec.onBar !== undefined && spec.bars === undefined) fix('onBar needs bars: { seconds: N }');
  if (spec.bars !== undefined && typeof spec.bars !== 'function') barMsOf(spec.name, spec.bars);
  const h = spec.history;
  if (h !== undefined && (!Number.isSafeInteger(h) || h < 1 || h > MAX_HISTORY))
    fix(`history: received ${h}; use a whole number from 1 to ${MAX_HISTORY}`);
}

/** `bars` in ms, refusing what is not a whole number of seconds, 1 or more. */
function barMsOf(name: string, bars: BarsSpec): number {
  const s = bars?.seconds;
  if (!Number.isSafeInteger(s) || s < 1)
    throw new TypeError(
      `defineStrategy(${JSON.stringify(name)}): bars.seconds: received ${s}; use a whole number of seconds, 1 or more`,
    );
  return s * 1000;
}

/** A strategy from callbacks; see docs/sdk.md. */
export function defineStrategy<P, S = Record<string, never>>(
  spec: StrategySpec<P, S>,
): SdkStrategy<P, S> {
  check(spec as StrategySpec<unknown, unknown>);
  const size = spec.history ?? DEFAULT_HISTORY;
  const bars = spec.bars;
  const withBars = bars !== undefined;
  const fixedMs =
    bars === undefined || typeof bars === 'function' ? null : barMsOf(spec.name, bars);
  const barMs = (params: P): number | null =>
    bars === undefined
      ? null
      : typeof bars === 'function'
        ? barMsOf(spec.name, bars(params))
        : fixedMs;
  const init = spec.init ?? (() => ({}) as S);
  const { onTick, onBar, onFill, onRejected } = spec;
  const def: SdkStrategy<P, S> = {
    type: spec.name,
    ...(spec.summary !== undefined ? { summary: spec.summary } : {}),
    params: spec.params,
    init: (params, _env, instrument) => {
      if (instrument === undefined)
        throw new TypeError(
          `${spec.name}: a state starts for one instrument of the run; none was given`,
        );
      return { user: init(params), history: emptyHistory(size), instrument };
    },
    clone: (st) => ({
      user: structuredClone(st.user),
      history: cloneHistory(st.history),
      instrument: st.instrument,
    }),
    onTick(st, tick, params, position) {
      const closed = pushTick(st.history, tick, barMs(params));
      const view = historyView(st.history, withBars);
      const ctx: TickContext<P, S> = {
        ...view,
        tick,
        instrument: st.instrument,
        params,
        state: st.user,
        position,
      };
      if (closed !== null && onBar !== undefined) {
        const i = onBar({ ...ctx, bar: closed });
        if (i !== null && i !== undefined) return i;
      }
      return onTick === undefined ? null : (onTick(ctx) ?? null);
    },
    ...(onFill !== undefined
      ? { onFill: (st, fill, params) => onFill({ fill, params, state: st.user }) }
      : {}),
    ...(onRejected !== undefined
      ? {
          onRejected: (st, rejection, params) => onRejected({ rejection, params, state: st.user }),
        }
      : {}),
  };
  Object.freeze(def);
  DEFINED.add(def);
  return def;
}
