import { describe, expect, it } from 'vitest';
import type {
  ActorOutput,
  DeadLettered,
  JournalRecord,
  OrderEvent,
  SubmitOrder,
} from '../model/index.js';
import type { React } from '../../test/helpers/probe-actor.js';
import {
  A,
  B,
  HeldTransport,
  PF,
  RG,
  S,
  T0,
  TR,
  pipeline,
  repliesTo,
  rig,
  simulated,
  until,
} from '../../test/helpers/switchboard-rig.js';
import { makeTick } from '../../test/helpers/ticks.js';
import { MessageFailed } from './errors.js';
import { Fingerprint, fingerprintLine } from './fingerprint.js';
import { childOf } from './supervisor.js';

const row = (r: JournalRecord) => [r.seq, r.type, r.source, r.correlationSeq, r.causationSeq];
const dead = (r: JournalRecord) => r.data as DeadLettered;
const seqRange = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
const halt = { type: 'SetTradingState', broker: 'paper', state: 'HALTED', reason: 'test' } as const;
const changed = (reason: string): ActorOutput => ({
  type: 'TradingStateChanged',
  broker: 'paper',
  from: 'ACTIVE',
  to: 'HALTED',
  reason,
});
const ticksABA = () => [makeTick(A, 100_000), makeTick(B, 200_000), makeTick(A, 100_500)];

describe('Switchboard: seqs, causes and delivery order', () => {
  it('numbers inputs and derived records contiguously after the journal, in hand-over order', () => {
    const r = rig(pipeline, { lastSeq: 41 });
    r.sb.connectBroker('paper', simulated());
    r.sb.subscribeTicks(S, [A]);
    r.sb.ingestTicks([makeTick(A, 100_000), makeTick(B, 200_000)]);
    r.clock.advance(5);
    const cmd = r.sb.ingest(halt, 'control.commands', RG, 'paper', 'operator');
    const h = r.bridge.handed;
    expect(h.map((x) => x.seq)).toEqual(seqRange(42, 49));
    expect(h.map((x) => x.type).join(' ')).toBe(
      'MarketTick MarketTick TradingSignal SignalValidated SubmitOrder OrderAccepted OrderFilled SetTradingState',
    );
    expect(cmd).toBe(49);
    expect([r.sb.lastSeq, r.bridge.lastSeq]).toEqual([49, 49]);
    expect(h.slice(0, 2).map((x) => [x.topic, x.key, x.broker, x.ts, x.batch])).toEqual([
      ['market.ticks', String(A), 'shared', T0, 2],
      ['market.ticks', String(B), 'shared', T0, undefined],
    ]);
    expect(h[7]).toMatchObject({ ts: T0 + 5, target: RG, topic: 'control.commands' });
    expect(r.sb.stats()).toMatchObject({ records: 8, inputs: 3, derived: 5 });
  });

  it('starts a chain at each input; a derived message names its cause, and its tick by tickSeq', () => {
    const r = rig(pipeline);
    r.sb.connectBroker('paper', simulated());
    r.sb.subscribeTicks(S, [A]);
    r.sb.ingestTicks(ticksABA());
    expect(r.bridge.handed.map(row)).toEqual([
      [1, 'MarketTick', 'feed', 1, 0],
      [2, 'MarketTick', 'feed', 2, 0],
      [3, 'MarketTick', 'feed', 3, 0],
      [4, 'TradingSignal', S, 1, 1],
      [5, 'TradingSignal', S, 3, 3],
      [6, 'SignalValidated', RG, 1, 4],
      [7, 'SignalValidated', RG, 3, 5],
      [8, 'SubmitOrder', TR, 1, 6],
      [9, 'SubmitOrder', TR, 3, 7],
      [10, 'OrderAccepted', TR, 1, 8],
      [11, 'OrderFilled', TR, 1, 8],
      [12, 'OrderAccepted', TR, 3, 9],
      [13, 'OrderFilled', TR, 3, 9],
    ]);
    const rg: React = (e) => (e.type === 'SetTradingState' ? [changed(e.reason)] : []);
    const q = rig({ [RG]: rg }, { lastSeq: 20 });
    q.sb.ingest(halt, 'control.commands', RG, 'paper', 'operator');
    q.sb.ingest(halt, 'control.commands', RG, 'paper', 'operator');
    expect(q.bridge.handed.map(row)).toEqual([
      [21, 'SetTradingState', 'operator', 21, 0],
      [22, 'TradingStateChanged', RG, 21, 21],
      [23, 'SetTradingState', 'operator', 23, 0],
      [24, 'TradingStateChanged', RG, 23, 23],
    ]);
  });

  it('delivers in one FIFO queue, each delivery run to completion before the next', () => {
    const r = rig(pipeline);
    r.sb.connectBroker('paper', simulated());
    r.sb.subscribeTicks(S, [A]);
    r.sb.ingestTicks(ticksABA());
    const fills = [RG, PF, S].map((id) => `${id} OrderFilled`);
    expect(r.log).toEqual([
      `${S} TicksReceived`,
      ...Array<string>(2).fill(`${RG} TradingSignal`),
      ...Array<string>(2).fill(`${TR} SignalValidated`),
      // Each order: the gate counts it, the broker's replies go to the trader.
      `${RG} SubmitOrder`,
      ...Array<string>(2).fill(`${TR} BrokerReplied`),
      `${RG} SubmitOrder`,
      ...Array<string>(2).fill(`${TR} BrokerReplied`),
      ...fills,
      ...fills,
    ]);
  });

  it('fans a tick batch out by token: one TicksReceived per subscriber, in subscription order', () => {
    const none: React = () => [];
    const r = rig({ a: none, all: none, b: none, other: none });
    r.sb.subscribeTicks('a', [A]);
    r.sb.subscribeTicks('all', null);
    r.sb.subscribeTicks('b', [B]);
    r.sb.subscribeTicks('other', [999]);
    const t = ticksABA();
    r.sb.ingestTicks(t);
    expect(r.log).toEqual(['a TicksReceived', 'all TicksReceived', 'b TicksReceived']);
    expect(r.got('a')).toEqual([{ type: 'TicksReceived', ticks: [t[0], t[2]], seqs: [1, 3] }]);
    expect(r.got('all')).toEqual([{ type: 'TicksReceived', ticks: t, seqs: [1, 2, 3] }]);
    expect(r.got('b')).toEqual([{ type: 'TicksReceived', ticks: [t[1]], seqs: [2] }]);
    expect(r.got('other')).toEqual([]);
    r.sb.subscribeTicks('a', [B]); // replaces the earlier subscription
    r.sb.ingestTicks([makeTick(A, 100_000)]);
    expect(r.got('a')).toHaveLength(1);
  });
});

describe('Switchboard: the hop to a broker adapter', () => {
  it('hands a SubmitOrder to its own broker’s simulated adapter, whose replies reach the trader', () => {
    const r = rig(pipeline);
    const paper = simulated();
    const zerodha = simulated();
    r.sb.connectBroker('paper', paper);
    r.sb.connectBroker('zerodha', zerodha);
    r.sb.subscribeTicks(S, [A]);
    r.sb.ingestTicks(ticksABA());
    const orders = r.derived().filter((x) => x.type === 'SubmitOrder');
    expect(paper.orders).toEqual(orders.map((o) => o.data));
    expect(orders.map((o) => o.topic)).toEqual([
      'paper.orders.submitted',
      'paper.orders.submitted',
    ]);
    expect(zerodha.orders).toEqual([]);
    // Each simulated adapter sees every tick, in journal order.
    expect(paper.ticks).toEqual([1, 2, 3]);
    expect(zerodha.ticks).toEqual([1, 2, 3]);
    const replied = r.got(TR).filter((e) => e.type === 'BrokerReplied');
    expect(replied).toEqual(
      orders.flatMap((o) =>
        repliesTo(o.data as SubmitOrder).map((reply) => ({ type: 'BrokerReplied', reply })),
      ),
    );
  });

  it('calls a remote adapter only once the order’s record is durable', async () => {
    const transport = new HeldTransport();
    const r = rig(pipeline, { transport });
    const calls: SubmitOrder[] = [];
    let answer: (rs: OrderEvent[]) => void = () => {};
    r.sb.connectBroker('paper', {
      execution: 'remote',
      broker: 'paper',
      send: (o) => {
        if (o.type === 'SubmitOrder') calls.push(o);
        return new Promise((resolve) => (answer = resolve));
      },
    });
    const replies: Array<[string, OrderEvent[]]> = [];
    r.sb.onRemote(
      (b, rs) => replies.push([b, rs]),
      () => {},
    );
    r.sb.subscribeTicks(S, [A]);
    r.sb.ingestTicks([makeTick(A, 100_000)]);
    const order = r.derived().find((x) => x.type === 'SubmitOrder')!;
    const flushed = r.bridge.flush();
    await until(() => false);
    expect(calls).toEqual([]);
    expect(r.bridge.durableSeq).toBe(0);
    transport.release();
    await flushed;
    await until(() => calls.length > 0);
    expect(calls).toEqual([order.data]);
    expect(r.bridge.durableSeq).toBeGreaterThanOrEqual(order.seq);
    answer(repliesTo(order.data as SubmitOrder));
    await until(() => replies.length > 0);
    // Remote replies go back through ingress, not straight to the trader.
    expect(replies).toEqual([['paper', repliesTo(order.data as SubmitOrder)]]);
    expect(r.got(TR).map((e) => e.type)).toEqual(['SignalValidated']);
  });

  it('never sends a command the remote adapter refused as it was derived, even once it admits again', async () => {
    const transport = new HeldTransport();
    const r = rig(pipeline, { transport });
    const calls: SubmitOrder[] = [];
    let admitting = false;
    r.sb.connectBroker('paper', {
      execution: 'remote',
      broker: 'paper',
      admit: () => admitting,
      send: (o) => {
        if (o.type === 'SubmitOrder') calls.push(o);
        return Promise.resolve([]);
      },
    });
    r.sb.subscribeTicks(S, [A]);
    // Derived while the adapter refuses (recovery), durable only after it admits again (live).
    const durable = async () => {
      const flushed = r.bridge.flush();
      await until(() => false);
      transport.release();
      await flushed;
    };
    r.sb.ingestTicks([makeTick(A, 100_000)]);
    admitting = true;
    await durable();
    r.sb.ingestTicks([makeTick(A, 100_500)]);
    await durable();
    const orders = r.derived().filter((x) => x.type === 'SubmitOrder');
    expect(orders.length).toBeGreaterThan(1);
    await until(() => calls.length > 0);
    expect(calls).toEqual(orders.slice(1).map((o) => o.data));
  });

  it('dead-letters an order when no adapter is connected for its broker', () => {
    const r = rig(pipeline);
    const zerodha = simulated();
    r.sb.connectBroker('zerodha', zerodha);
    r.sb.subscribeTicks(S, [A]);
    r.sb.ingestTicks([makeTick(A, 100_000)]);
    const order = r.derived().find((x) => x.type === 'SubmitOrder')!;
    const dl = r.derived().filter((x) => x.type === 'DeadLettered');
    expect(dl.map((x) => [x.topic, x.broker, x.key, x.causationSeq])).toEqual([
      ['paper.orders.submitted.dlq', 'system', order.key, order.seq],
    ]);
    expect(dead(dl[0]!)).toMatchObject({ originalSeq: order.seq, originalType: 'SubmitOrder' });
    expect(dead(dl[0]!).error.message).toContain('no broker adapter is connected for paper');
    expect(zerodha.orders).toEqual([]);
    expect(r.sb.stats().deadLettered).toBe(1);
  });
});

describe('Switchboard: failures', () => {
  it('dead-letters the message a handler threw on, on <topic>.dlq, and goes on with the restarted actor', () => {
    const r = rig({
      ...pipeline,
      [RG]: (e) => {
        if (e.type === 'TradingSignal' && e.token === B) throw new Error('bad signal');
        return pipeline[RG]!(e);
      },
    });
    r.sb.connectBroker('paper', simulated());
    r.sb.subscribeTicks(S, null);
    const before = childOf(r.sup, RG);
    r.sb.ingestTicks(ticksABA());
    const signals = r.derived().filter((x) => x.type === 'TradingSignal');
    const bad = signals[1]!;
    const dl = r.derived().filter((x) => x.type === 'DeadLettered');
    expect(dl.map((x) => [x.topic, x.source, x.broker, x.key])).toEqual([
      ['paper.signals.raw.dlq', RG, 'system', bad.key],
    ]);
    expect(dl[0]).toMatchObject({ correlationSeq: bad.seq, causationSeq: bad.seq });
    expect(dead(dl[0]!)).toMatchObject({
      actorId: RG,
      originalTopic: 'paper.signals.raw',
      originalSeq: bad.seq,
      originalType: 'TradingSignal',
      originalKey: `s1:${B}`,
      error: { name: 'Error', message: 'bad signal' },
      original: bad.data,
    });
    const restarted = r.derived().filter((x) => x.type === 'ActorRestarted');
    expect(restarted.map((x) => [x.source, x.causationSeq])).toEqual([
      ['supervisor:test', bad.seq],
    ]);
    expect(childOf(r.sup, RG)).not.toBe(before);
    // The restarted actor kept what it had before the failure and took the next signal.
    const got = r.got(RG).flatMap((e) => (e.type === 'TradingSignal' ? [e.tickSeq] : []));
    expect(got).toEqual([1, 3]);
    expect(r.derived().filter((x) => x.type === 'SignalValidated')).toHaveLength(2);
    expect(r.sb.stats().deadLettered).toBe(1);
  });

  it('dead-letters the tick of a batch named by MessageFailed and redelivers the rest', () => {
    const r = rig({
      ...pipeline,
      [S]: (e) => {
        if (e.type === 'TicksReceived') {
          const i = e.ticks.findIndex((t) => t.token === B);
          if (i >= 0) throw new MessageFailed(e.seqs[i]!, new Error('poison'));
        }
        return pipeline[S]!(e);
      },
    });
    r.sb.connectBroker('paper', simulated());
    r.sb.subscribeTicks(S, null);
    const t = ticksABA();
    r.sb.ingestTicks(t);
    const dl = r.derived().filter((x) => x.type === 'DeadLettered');
    expect(dl.map((x) => [x.topic, x.key, x.causationSeq])).toEqual([
      ['market.ticks.dlq', String(B), 2],
    ]);
    expect(dead(dl[0]!)).toMatchObject({
      actorId: S,
      originalType: 'MarketTick',
      originalSeq: 2,
      original: t[1],
      error: { message: 'poison' },
    });
    expect(r.log.filter((l) => l === `${S} TicksReceived`)).toHaveLength(2);
    expect(r.got(S)[0]).toEqual({ type: 'TicksReceived', ticks: [t[0], t[2]], seqs: [1, 3] });
    const signals = r.derived().filter((x) => x.type === 'TradingSignal');
    expect(signals.map((x) => [x.correlationSeq, x.causationSeq])).toEqual([
      [1, 1],
      [3, 3],
    ]);
  });

  it('counts the rest of a batch as undelivered once the actor has faulted', () => {
    const r = rig(
      {
        [S]: () => {
          throw new Error('always');
        },
      },
      { maxRestarts: 1 },
    );
    r.sb.subscribeTicks(S, null);
    r.sb.ingestTicks(ticksABA());
    const dl = r.derived().filter((x) => x.type === 'DeadLettered');
    expect(dl.map((x) => dead(x).originalSeq)).toEqual([1, 2]);
    expect(r.derived().map((x) => x.type)).toEqual([
      'ActorRestarted',
      'DeadLettered',
      'ActorFaulted',
      'DeadLettered',
    ]);
    expect(r.sb.stats().byType['TicksUndelivered']).toBe(1);
  });

  it('dead-letters a message for a stopped actor and counts ticks for it as undelivered', () => {
    const r = rig({ [RG]: () => [] });
    r.sb.subscribeTicks(RG, null);
    r.sup.send({ type: 'StopChild', id: RG });
    const seq = r.sb.ingest(halt, 'control.commands', RG, 'paper', 'operator');
    r.sb.ingestTicks(ticksABA());
    const dl = r.derived().filter((x) => x.type === 'DeadLettered');
    expect(dl.map((x) => [x.topic, dead(x).originalSeq])).toEqual([['control.commands.dlq', seq]]);
    expect(dead(dl[0]!).error.message).toBe(`actor ${RG} is not running`);
    expect(r.sb.stats().byType['TicksUndelivered']).toBe(3);
    expect(r.log).toEqual([]);
  });

  it('dead-letters an unroutable message on system.events.dlq rather than throwing', () => {
    const r = rig({});
    expect(() => r.sb.emitFrom('x', { type: 'Bogus' } as unknown as ActorOutput)).not.toThrow();
    const dl = r.derived();
    expect(dl.map((x) => [x.type, x.topic, x.source])).toEqual([
      ['DeadLettered', 'system.events.dlq', 'x'],
    ]);
    expect(dead(dl[0]!).error.message).toContain('src/runtime/routes.ts');
  });
});

describe('Switchboard: taps, prepare and the fingerprint', () => {
  it('taps every record once handed to the bridge; ticks go to tapTicks', () => {
    const r = rig(pipeline);
    r.sb.connectBroker('paper', simulated());
    r.sb.subscribeTicks(S, [A]);
    const tapped: Array<[number, boolean]> = [];
    const tickTaps: Array<[number, number, number]> = [];
    r.sb.tap((rec, derived) => {
      expect(r.bridge.lastSeq).toBeGreaterThanOrEqual(rec.seq);
      tapped.push([rec.seq, derived]);
    });
    r.sb.tapTicks((ticks, firstSeq, ts) => tickTaps.push([ticks.length, firstSeq, ts]));
    r.clock.advance(7);
    r.sb.ingestTicks(ticksABA());
    r.sb.ingest(halt, 'control.commands', null, 'paper', 'operator');
    const expected = r.derived().map((x) => [x.seq, x.type !== 'SetTradingState']);
    expect(tapped).toEqual(expected);
    expect(tapped).toHaveLength(11);
    expect(tickTaps).toEqual([[3, 1, T0 + 7]]);
  });

  it('makes an input the cause of everything its prepare step emits', () => {
    const r = rig({ [RG]: (e) => (e.type === 'TimerFired' ? [changed('a'), changed('b')] : []) });
    r.sb.attach(RG);
    const seq = r.sb.ingest(
      { type: 'TimerFired', timer: 'eod' },
      'system.events',
      null,
      'eod',
      'clock',
      () => childOf(r.sup, RG)!.send({ type: 'TimerFired', timer: 'eod' }),
    );
    const rows = r.derived().filter((x) => x.type === 'TradingStateChanged');
    expect(rows.map((x) => [x.correlationSeq, x.causationSeq])).toEqual([
      [seq, seq],
      [seq, seq],
    ]);
  });

  it('fingerprints the derived stream by type, key and data: not inputs, not time', () => {
    const run = (advanceMs: number, price: number) => {
      const r = rig(pipeline);
      r.sb.connectBroker('paper', simulated());
      r.sb.subscribeTicks(S, [A]);
      r.clock.advance(advanceMs);
      r.sb.ingestTicks([makeTick(A, price), makeTick(B, price)]);
      return r;
    };
    const a = run(0, 100_000);
    const b = run(60_000, 100_000);
    expect(a.sb.fingerprint()).toBe(b.sb.fingerprint());
    a.sb.ingest(halt, 'control.commands', null, 'paper', 'operator');
    expect(a.sb.fingerprint()).toBe(b.sb.fingerprint());
    const f = new Fingerprint();
    for (const x of b.derived()) f.add(fingerprintLine(x.type, x.key, x.data));
    expect(b.sb.fingerprint()).toBe(f.digest());
    expect(run(0, 100_005).sb.fingerprint()).not.toBe(a.sb.fingerprint());
  });
});

describe('Switchboard: simulated brokers on ticks and timers, and the input clock', () => {
  const timer = {
    type: 'MarketTimerFired',
    kind: 'SESSION_CLOSE',
    at: 1_767_605_400_000,
    tradingDay: '2026-01-05',
  } as const;

  it('sends what a broker did on a tick to its trader, caused by that tick', () => {
    const r = rig(pipeline);
    const sink = simulated();
    const resting = repliesTo({
      type: 'SubmitOrder',
      broker: 'paper',
      clientOrderId: 'P000000000000000R1' as SubmitOrder['clientOrderId'],
      strategyId: 's1' as SubmitOrder['strategyId'],
      token: A,
      side: 'BUY',
      quantity: 5 as SubmitOrder['quantity'],
      orderType: 'LIMIT',
      validity: 'DAY',
      product: 'CNC',
      price: 100_000 as SubmitOrder['price'],
    }).slice(1);
    r.sb.connectBroker('paper', {
      ...sink,
      onTick: (t, seq) => (sink.ticks.push(seq), t.token === B ? resting : []),
    });
    r.sb.ingestTicks(ticksABA());
    // The B tick (seq 2) filled a resting order: the trader passes the fill on, caused by seq 2.
    const fill = r.derived().find((x) => x.type === 'OrderFilled')!;
    expect(fill.causationSeq).toBe(2);
    expect(fill.correlationSeq).toBe(2);
    expect(r.got(TR)).toEqual([{ type: 'BrokerReplied', reply: resting[0] }]);
  });

  it('journals a timer once and delivers it to every target, brokers first', () => {
    const r = rig(pipeline);
    const seen: string[] = [];
    const sink = simulated();
    r.sb.connectBroker('paper', {
      ...sink,
      onTimer: (t) => (seen.push(t.kind), []),
    });
    const seq = r.sb.ingest(timer, 'market.timers', [RG, PF], timer.kind, 'clock');
    expect(seen).toEqual(['SESSION_CLOSE']);
    expect(r.bridge.handed.filter((x) => x.type === 'MarketTimerFired').map((x) => x.seq)).toEqual([
      seq,
    ]);
    expect(r.got(RG)).toEqual([timer]);
    expect(r.got(PF)).toEqual([timer]);
    expect(r.got(S)).toEqual([]);
  });

  it('answers the input clock with the journal time of the input being handled', () => {
    const r = rig(pipeline);
    r.clock.set(T0 + 5_000);
    r.sb.ingest(timer, 'market.timers', null, timer.kind, 'clock');
    r.clock.set(T0 + 9_000);
    expect(r.sb.inputClock.now()).toBe(T0 + 5_000);
    r.sb.ingestTicks([makeTick(A, 100_000)]);
    expect(r.sb.inputClock.now()).toBe(T0 + 9_000);
  });
});
