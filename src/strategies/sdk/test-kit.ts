/**
 * The SDK's test kit: runs a strategy over ticks without the runtime (no actors, no risk gate)
 * and returns what it asked for, so a strategy file's own test pins when it signals.
 */
import type { InstrumentToken, MarketTick, Paise } from '../../model/index.js';
import { paise, signedQuantity } from '../../model/index.js';
import {
  NO_FILES,
  type AnyStrategyDefinition,
  type SignalIntent,
  type StrategyInstrument,
} from '../strategy.js';

/** A tick of `price` paise; the other fields are plain defaults a test may override. */
export function makeTick(
  price: number,
  ts: number,
  fields: Partial<Omit<MarketTick, 'lastPrice' | 'ts'>> = {},
): MarketTick {
  const p = paise(price);
  return {
    token: 1 as InstrumentToken,
    ts,
    lastPrice: p,
    lastQuantity: 1,
    averagePrice: p,
    volume: 0,
    buyQuantity: 0,
    sellQuantity: 0,
    open: p,
    high: p,
    low: p,
    close: p,
    oi: 0,
    bids: [],
    asks: [],
    ...fields,
  };
}

/**
 * One tick per price (paise), `stepMs` apart from `startTs` (default 2026-01-05 09:15 IST, every
 * 10 s), all of instrument `token` (default 1).
 */
export function priceTicks(
  prices: readonly number[],
  opts: { startTs?: number; stepMs?: number; token?: number } = {},
): MarketTick[] {
  const start = opts.startTs ?? Date.UTC(2026, 0, 5, 3, 45, 0);
  const step = opts.stepMs ?? 10_000;
  const token = (opts.token ?? 1) as InstrumentToken;
  return prices.map((p, i) => makeTick(p, start + i * step, { token }));
}

export interface RunOptions {
  /**
   * Fill each intent at once, in full (default true): at its limit price, else its trigger
   * price, else the tick's last price. The position and onFill follow. False: nothing fills.
   */
  readonly fill?: boolean;
  /** The instruments' definitions, by token; absent: tick size 5 paise, lot 1, symbol `T<token>`. */
  readonly instruments?: Readonly<Record<number, Partial<StrategyInstrument>>>;
}

export interface IntentAt {
  /** Index of the tick in the ticks given. */
  readonly index: number;
  readonly tick: MarketTick;
  readonly intent: SignalIntent;
}

export interface RunResult {
  readonly intents: readonly IntentAt[];
  /** The strategy's state per instrument token at the end. */
  readonly states: Readonly<Record<number, unknown>>;
  /** Signed shares per instrument token at the end. */
  readonly positions: Readonly<Record<number, number>>;
}

/**
 * Runs `def` over `ticks` with `params` (validated and defaulted by its schema, as a
 * configuration is), per instrument as the strategy actor does; returns its intents.
 */
export function runStrategy(
  def: AnyStrategyDefinition,
  ticks: readonly MarketTick[],
  params: unknown = {},
  opts: RunOptions = {},
): RunResult {
  const parsed: unknown = def.params.parse(params);
  const states: Record<number, unknown> = {};
  const positions: Record<number, number> = {};
  const intents: IntentAt[] = [];
  ticks.forEach((tick, index) => {
    const t = tick.token;
    states[t] ??= def.init(parsed, NO_FILES, {
      token: t,
      symbol: `T${t}`,
      exchange: 'NSE',
      tickSize: 5,
      lotSize: 1,
      ...opts.instruments?.[t],
    });
    const intent = def.onTick(states[t], tick, parsed, positions[t] ?? 0);
    if (intent === null) return;
    intents.push({ index, tick, intent });
    const q = signedQuantity(intent.side, intent.quantity);
    positions[t] = (positions[t] ?? 0) + q;
    if (opts.fill === false) return;
    const o = intent.order;
    const price = (o?.limitPrice ?? o?.triggerPrice ?? tick.lastPrice) as Paise;
    def.onFill?.(
      states[t],
      {
        broker: 'paper',
        token: t,
        side: intent.side,
        quantity: intent.quantity,
        price,
        ts: tick.ts,
      },
      parsed,
    );
  });
  return { intents, states, positions };
}
