import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { z } from 'zod';
import {
  clientOrderIdOf,
  paise,
  quantity,
  strategyId,
  type MarketTick,
  type OrderFilled,
  type OrderRejected,
  type Side,
  type SignalRejected,
  type StrategyConfigured,
  type TradingSignal,
} from '../../model/index.js';
import { MessageFailed, SimulatedClock } from '../../runtime/index.js';
import { MomentumParams, momentum, type StrategyDefinition } from '../../strategies/index.js';
import { makeTick } from '../../../test/helpers/ticks.js';
import {
  createStrategyMachine,
  type StrategyContext,
  type StrategyInput,
} from './strategy-machine.js';

const SID = strategyId('s1');
const A = 738561;
const B = 2953217;

const CounterParams = z.object({
  /** Emits on every `every`-th tick of an instrument. */
  every: z.number().int().min(1),
  quantity: z.number().int().min(1).default(5),
  /** Throws on a tick at this price, paise. */
  poison: z.number().int().optional(),
});
type CounterParams = z.infer<typeof CounterParams>;

/**
 * A tiny strategy: counts the ticks of each instrument (changing its state in place, as the
 * contract allows) and buys, or sells what it holds, on every `every`-th one.
 */
const counter: StrategyDefinition<CounterParams, { seen: number }> = {
  type: 'counter',
  params: CounterParams,
  init: () => ({ seen: 0 }),
  clone: (s) => ({ ...s }),
  onTick(s, tick, p, position) {
    s.seen++;
    if (tick.lastPrice === p.poison) throw new Error(`poison at ${tick.lastPrice}`);
    if (s.seen % p.every !== 0) return null;
    return {
      side: position > 0 ? 'SELL' : 'BUY',
      quantity: position > 0 ? position : p.quantity,
      confidence: 1.5,
      reasoning: `tick ${s.seen} at position ${position}`,
    };
  },
};

const machine = createStrategyMachine((type) => (type === 'counter' ? counter : momentum));

function strategy(over: Partial<StrategyInput> = {}) {
  const actor = createActor(machine, {
    input: {
      strategyId: SID,
      type: 'counter',
      params: CounterParams.parse({ every: 2 }),
      instruments: [A, B],
      brokers: ['paper', 'zerodha'],
      ...over,
    },
  });
  const emitted: TradingSignal[] = [];
  actor.on('TradingSignal', (e) => emitted.push(e));
  const errors: unknown[] = [];
  actor.subscribe({ error: (err) => errors.push(err) });
  actor.start();
  let seq = 0;
  /** Sends one batch of ticks, each `[token, price]`, with the next seqs. */
  const ticks = (...ts: Array<[number, number]>) => {
    const batch: MarketTick[] = ts.map(([token, price]) => makeTick(token, price));
    actor.send({ type: 'TicksReceived', ticks: batch, seqs: batch.map(() => ++seq) });
  };
  const ctx = () => actor.getSnapshot().context;
  const configure = (enabled: boolean, params: unknown) => {
    const e: StrategyConfigured = { type: 'StrategyConfigured', strategyId: SID, enabled, params };
    actor.send(e);
  };
  return { actor, emitted, errors, ticks, ctx, configure };
}

/** The broker's answers to a signal: its refusal, a fill, or an order refusal of `q` units. */
const refused = (s: TradingSignal): SignalRejected => ({
  type: 'SignalRejected',
  broker: s.broker,
  signal: s,
  code: 'QUANTITY_ABOVE_MAX',
  detail: '',
  checks: [],
});
const order = (s: TradingSignal) => ({
  broker: s.broker,
  clientOrderId: clientOrderIdOf(s.broker, { nonce: 1, epoch: 0 }, s.tickSeq),
  strategyId: SID,
  token: s.token,
});
const filled = (s: TradingSignal): OrderFilled => ({
  type: 'OrderFilled',
  ...order(s),
  side: s.side,
  quantity: s.quantity,
  price: s.price,
  fees: paise(0),
  slippage: paise(0),
  tickSeq: s.tickSeq,
  product: 'CNC',
});
const orderRejected = (s: TradingSignal, q: number): OrderRejected => ({
  type: 'OrderRejected',
  ...order(s),
  side: s.side,
  quantity: quantity(q),
  code: 'NO_LIQUIDITY',
  detail: '',
});

const sides = (ss: TradingSignal[]): Array<[string, number, Side, number]> =>
  ss.map((s) => [s.broker, s.token, s.side, s.quantity]);

describe('strategy machine: ticks to signals', () => {
  it('runs each instrument’s ticks through the strategy with its own state, one signal per broker', () => {
    const s = strategy();
    s.ticks([A, 100_000], [B, 200_000], [A, 100_500]);
    expect(s.emitted).toEqual(
      (['paper', 'zerodha'] as const).map((broker) => ({
        type: 'TradingSignal',
        broker,
        strategyId: SID,
        token: A,
        side: 'BUY',
        quantity: 5,
        price: 100_500,
        confidence: 1, // clamped into [0, 1]
        reasoning: 'tick 2 at position 0',
        tickSeq: 3,
      })),
    );
    s.ticks([B, 200_500]);
    expect(sides(s.emitted.slice(2))).toEqual([
      ['paper', B, 'BUY', 5],
      ['zerodha', B, 'BUY', 5],
    ]);
    expect(s.emitted[2]!.tickSeq).toBe(4);
    expect(s.ctx()).toMatchObject({
      states: { [A]: { seen: 2 }, [B]: { seen: 2 } },
      positions: { [`paper:${A}`]: 5, [`zerodha:${A}`]: 5, [`paper:${B}`]: 5, [`zerodha:${B}`]: 5 },
      signals: 4,
      ticks: 4,
    });
  });

  it('drives the real momentum strategy with the position its fills and refusals leave', () => {
    const params = MomentumParams.parse({
      lookback_periods: 3,
      threshold: 0.01,
      position_size: 10,
    });
    const s = strategy({ type: 'momentum', params, brokers: ['paper'] });
    s.ticks([A, 100_000], [A, 100_500], [A, 102_000]); // +2% over the window: buy 10
    s.ticks([A, 104_000]); // holds 10 already (max_position defaults to position_size)
    expect(sides(s.emitted)).toEqual([['paper', A, 'BUY', 10]]);
    s.actor.send(refused(s.emitted[0]!)); // the gate refused it: nothing held
    s.ticks([A, 106_000]);
    expect(sides(s.emitted.slice(1))).toEqual([['paper', A, 'BUY', 10]]);
    s.actor.send(filled(s.emitted[1]!));
    s.ticks([A, 100_000]); // -3.8%: sell what it holds
    expect(sides(s.emitted.slice(2))).toEqual([['paper', A, 'SELL', 10]]);
    s.actor.send(orderRejected(s.emitted[2]!, 4)); // 4 of the 10 were not sold
    expect(s.ctx().positions).toEqual({ [`paper:${A}`]: 4 });
  });

  it('tracks positions per broker: fills keep what was asked for, refusals give it back', () => {
    const s = strategy();
    s.ticks([A, 100_000], [A, 100_500]);
    const [paper, zerodha] = s.emitted;
    s.actor.send(filled(paper!));
    s.actor.send(refused(zerodha!));
    expect(s.ctx().positions).toEqual({ [`paper:${A}`]: 5, [`zerodha:${A}`]: 0 });
    s.actor.send(orderRejected(paper!, 2));
    expect(s.ctx().positions).toEqual({ [`paper:${A}`]: 3, [`zerodha:${A}`]: 0 });
    // The strategy sees its first broker's position.
    s.ticks([A, 101_000], [A, 101_500]);
    expect(s.emitted.slice(2).map((e) => [e.broker, e.side, e.quantity, e.reasoning])).toEqual([
      ['paper', 'SELL', 3, 'tick 4 at position 3'],
      ['zerodha', 'SELL', 3, 'tick 4 at position 3'],
    ]);
  });
});

describe('strategy machine: configuration', () => {
  it('emits nothing while disabled but still follows what it holds', () => {
    const s = strategy();
    s.ticks([A, 100_000], [A, 100_500]);
    s.configure(false, s.ctx().params);
    s.ticks([A, 101_000], [A, 101_500], [B, 200_000], [B, 200_500]);
    expect(s.emitted).toHaveLength(2);
    expect(s.ctx()).toMatchObject({ enabled: false, ticks: 2, states: { [A]: { seen: 2 } } });
    s.actor.send(refused(s.emitted[0]!));
    s.actor.send(orderRejected(s.emitted[1]!, 5));
    expect(s.ctx().positions).toEqual({ [`paper:${A}`]: 0, [`zerodha:${A}`]: 0 });
    const off = strategy({ enabled: false });
    off.ticks([A, 100_000], [A, 100_500]);
    expect([off.emitted, off.ctx().ticks]).toEqual([[], 0]);
  });

  it('keeps per-instrument state for the same parameters and starts it afresh for new ones', () => {
    const s = strategy();
    s.ticks([A, 100_000], [A, 100_500]);
    s.ticks([A, 101_000]);
    s.configure(true, CounterParams.parse({ every: 2 })); // same parameters
    s.ticks([A, 101_500]);
    expect(s.emitted.map((e) => e.reasoning)).toEqual([
      'tick 2 at position 0',
      'tick 2 at position 0',
      'tick 4 at position 5',
      'tick 4 at position 5',
    ]);
    s.ticks([A, 102_000]);
    const next = CounterParams.parse({ every: 2, quantity: 7 });
    s.configure(true, next);
    expect(s.ctx()).toMatchObject({ params: next, states: {}, enabled: true });
    expect(s.ctx().positions).toEqual({ [`paper:${A}`]: 0, [`zerodha:${A}`]: 0 });
    s.ticks([A, 102_500]);
    expect(s.emitted).toHaveLength(4);
    s.ticks([A, 103_000]);
    expect(sides(s.emitted.slice(4))).toEqual([
      ['paper', A, 'BUY', 7],
      ['zerodha', A, 'BUY', 7],
    ]);
    s.configure(false, next);
    s.configure(true, next);
    expect(s.ctx().states).toEqual({ [A]: { seen: 2 } });
  });
});

describe('strategy machine: failures', () => {
  it('reports MessageFailed with the failing tick’s seq and keeps the last good context', () => {
    const s = strategy({ params: CounterParams.parse({ every: 1, poison: 666_600 }) });
    s.ticks([A, 100_000], [B, 200_000]);
    const good: StrategyContext = structuredClone(s.ctx());
    s.ticks([A, 100_500], [B, 666_600], [A, 101_000]); // seqs 3, 4, 5
    const snap = s.actor.getSnapshot();
    expect(snap.status).toBe('error');
    expect(snap.error).toBeInstanceOf(MessageFailed);
    expect(snap.error).toMatchObject({ seq: 4, message: 'poison at 666600' });
    expect((snap.error as MessageFailed).cause).toBeInstanceOf(Error);
    expect(s.errors).toEqual([snap.error]);
    // Nothing of the failed batch was emitted or kept, though the strategy had changed its state.
    expect(s.emitted).toHaveLength(4);
    expect(snap.context).toEqual(good);
    expect(good.states).toEqual({ [A]: { seen: 1 }, [B]: { seen: 1 } });
  });
});

describe('strategy machine: cancels and orders the broker placed', () => {
  it('gives back a canceled remainder and counts fills of orders it never asked for', () => {
    const s = strategy({ brokers: ['paper'] });
    s.ticks([A, 100_000], [A, 100_100]); // the 2nd tick buys 5
    const sig = s.emitted[0]!;
    expect(s.ctx().positions['paper:738561']).toBe(5);
    // 2 fill, the other 3 are canceled (an IOC remainder): the strategy holds 2.
    s.actor.send({ ...filled(sig), quantity: quantity(2) });
    s.actor.send({
      type: 'OrderCanceled',
      broker: 'paper',
      clientOrderId: filled(sig).clientOrderId,
      strategyId: SID,
      token: A,
      side: 'BUY',
      quantity: quantity(3),
      reason: 'IOC remainder',
    });
    expect(s.ctx().positions['paper:738561']).toBe(2);
    expect(s.ctx().pending['paper:738561']).toBe(0);
    // The broker squares the 2 off on its own: a SELL fill nobody asked for.
    s.actor.send({ ...filled(sig), side: 'SELL', quantity: quantity(2) });
    expect(s.ctx().positions['paper:738561']).toBe(0);
  });

  it('passes the order a strategy asks for on to its signals', () => {
    const withOrder: StrategyDefinition<CounterParams, { seen: number }> = {
      ...counter,
      type: 'counter_limit',
      onTick: (st, tick, p, pos) => {
        const i = counter.onTick(st, tick, p, pos);
        return i && { ...i, order: { orderType: 'LIMIT', limitPrice: paise(99_000) } };
      },
    };
    const m = createStrategyMachine(() => withOrder);
    const actor = createActor(m, {
      input: {
        strategyId: SID,
        type: 'counter_limit',
        params: CounterParams.parse({ every: 1 }),
        instruments: [A],
        brokers: ['paper'],
      },
    });
    const out: TradingSignal[] = [];
    actor.on('TradingSignal', (e) => out.push(e));
    actor.start();
    actor.send({ type: 'TicksReceived', ticks: [makeTick(A, 100_000)], seqs: [1] });
    expect(out[0]!.order).toEqual({ orderType: 'LIMIT', limitPrice: 99_000 });
  });
});

describe('strategy machine: the strategy hears of its fills and refusals', () => {
  interface Heard {
    seen: number;
    heard: string[];
  }
  /** Buys on every tick, and writes down each fill and refusal it is told of. */
  const listener: StrategyDefinition<{ poison?: string | undefined }, Heard> = {
    type: 'listener',
    params: z.object({ poison: z.string().optional() }),
    init: () => ({ seen: 0, heard: [] }),
    clone: (s) => ({ seen: s.seen, heard: [...s.heard] }),
    onTick: (s) => (s.seen++, { side: 'BUY', quantity: 2, confidence: 1, reasoning: 'buy' }),
    onFill(s, f, p) {
      if (p.poison === 'fill') throw new Error('onFill failed');
      s.heard.push(`fill ${f.broker} ${f.side} ${f.quantity}@${f.price} t${f.ts}`);
    },
    onRejected: (s, r) => void s.heard.push(`refused ${r.broker} ${r.quantity} ${r.reason}`),
  };
  const clock = new SimulatedClock(1_767_584_700_123);
  const hearing = createStrategyMachine(() => listener, undefined, clock);
  const start = (params: { poison?: string } = {}) => {
    const actor = createActor(hearing, {
      input: { strategyId: SID, type: 'listener', params, instruments: [A, B], brokers: ['paper'] },
    });
    const emitted: TradingSignal[] = [];
    actor.on('TradingSignal', (e) => emitted.push(e));
    const errors: unknown[] = [];
    actor.subscribe({ error: (err) => errors.push(err) });
    actor.start();
    actor.send({
      type: 'TicksReceived',
      ticks: [makeTick(A, 100_000), makeTick(B, 50_000)],
      seqs: [1, 2],
    });
    const heard = (token: number) => (actor.getSnapshot().context.states[token] as Heard).heard;
    return { actor, emitted, errors, heard };
  };

  it('runs onFill and onRejected on the instrument’s own state, as copies', () => {
    const s = start();
    const [a, b] = s.emitted;
    const before = s.actor.getSnapshot().context.states[A];
    s.actor.send(filled(a!));
    s.actor.send(refused(b!));
    s.actor.send(orderRejected(a!, 1));
    s.actor.send({ ...orderRejected(a!, 1), type: 'OrderCanceled', reason: 'EXPIRED' } as never);
    expect(s.heard(A)).toEqual([
      'fill paper BUY 2@100000 t1767584700123',
      'refused paper 1 NO_LIQUIDITY',
      'refused paper 1 EXPIRED',
    ]);
    expect(s.heard(B)).toEqual(['refused paper 2 QUANTITY_ABOVE_MAX']);
    // The state before the fill was not changed in place: a copy was.
    expect((before as Heard).heard).toEqual([]);
    expect(s.actor.getSnapshot().context.positions).toEqual({
      'paper:738561': 0,
      'paper:2953217': 0,
    });
  });

  it('fails the message when onFill throws, keeping the last good context', () => {
    const s = start({ poison: 'fill' });
    const good = s.actor.getSnapshot().context;
    s.actor.send(filled(s.emitted[0]!));
    expect(s.errors).toHaveLength(1);
    expect(String(s.errors[0])).toMatch(/onFill failed/);
    expect(s.actor.getSnapshot().context).toBe(good);
  });
});
