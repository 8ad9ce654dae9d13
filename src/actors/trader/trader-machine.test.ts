import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  SubmitOrderSchema,
  clientOrderIdOf,
  type OrderIdScope,
  paise,
  quantity,
  strategyId,
  type BrokerName,
  type ClientOrderId,
  type OrderEvent,
  type Side,
  type SignalValidated,
} from '../../model/index.js';
import {
  traderMachine,
  type OrderIdSource,
  type TraderContext,
  type TraderInput,
} from './trader-machine.js';

const SID = strategyId('ema_cross_reliance');
const TOKEN = 738561;
const SCOPE: OrderIdScope = { nonce: 0x2_3456_789a, epoch: 3 };
/** The id of the order answering the validated signal journaled at `seq`. */
const idAt = (seq: number, broker: BrokerName = 'paper') => clientOrderIdOf(broker, SCOPE, seq);

/** An id source as the system gives one: ids from the seq of the signal being delivered. */
function source(scope: OrderIdScope = SCOPE): OrderIdSource & { seq: number } {
  const s = {
    seq: 0,
    next: (broker: BrokerName) => clientOrderIdOf(broker, scope, s.seq),
    toJSON: () => undefined,
  };
  return s;
}

let nextSeq = 100;

/** A validated signal, with the journal seq the switchboard would deliver it at. */
function validated(
  side: Side,
  q: number,
  broker: BrokerName = 'paper',
  price = 141_000,
): SignalValidated & { seq: number } {
  return {
    seq: ++nextSeq,
    type: 'SignalValidated',
    broker,
    signal: {
      type: 'TradingSignal',
      broker,
      strategyId: SID,
      token: TOKEN,
      side,
      quantity: quantity(q),
      price: paise(price),
      confidence: 0.9,
      reasoning: 'test',
      tickSeq: 3,
    },
    checks: [],
    order: { orderType: 'MARKET', validity: 'DAY', product: 'CNC', slices: [quantity(q)] },
  };
}

function trader(input: Partial<TraderInput> = {}) {
  const ids = source();
  const actor = createActor(traderMachine, {
    input: { broker: 'paper', orderIds: ids, ...input },
  });
  const emitted: Array<{ type: string } & Record<string, unknown>> = [];
  actor.on('*', (e) => emitted.push(e as unknown as { type: string } & Record<string, unknown>));
  actor.start();
  const reply = (r: OrderEvent) => actor.send({ type: 'BrokerReplied', reply: r });
  /** Delivers a validated signal as the switchboard does: its seq is what ids derive from. */
  const send = (v: SignalValidated & { seq: number }) => {
    const { seq, ...signal } = v;
    ids.seq = seq;
    actor.send(signal);
  };
  return { actor, emitted, reply, send };
}

const base = (id: ClientOrderId) => ({
  broker: 'paper' as const,
  clientOrderId: id,
  strategyId: SID,
  token: TOKEN,
});
const fill = (id: ClientOrderId, side: Side, q: number): OrderEvent => ({
  type: 'OrderFilled',
  ...base(id),
  side,
  quantity: quantity(q),
  price: paise(141_005),
  fees: paise(141),
  slippage: paise(5),
  tickSeq: 3,
  product: 'CNC',
});

describe('trader machine: orders', () => {
  it('turns each validated signal into a SubmitOrder whose id derives from its seq', () => {
    const t = trader();
    const signals = [validated('BUY', 10), validated('SELL', 4, 'paper', 141_500)];
    signals.push(validated('BUY', 1));
    for (const v of signals) t.send(v);
    const ids = t.emitted.map((e) => e.clientOrderId);
    expect(ids).toEqual(signals.map((v) => idAt(v.seq)));
    // P + nonce (7 base-36 digits) + epoch (2) + seq (8): 18 characters, Kite's tag fits 20.
    expect(ids[0]).toBe(`P4CL0GII03${signals[0]!.seq.toString(36).toUpperCase().padStart(8, '0')}`);
    expect(t.emitted[1]).toEqual({
      type: 'SubmitOrder',
      broker: 'paper',
      clientOrderId: idAt(signals[1]!.seq),
      strategyId: SID,
      token: TOKEN,
      side: 'SELL',
      quantity: 4,
      orderType: 'MARKET',
      validity: 'DAY',
      product: 'CNC',
      price: 141_500,
    });
    for (const e of t.emitted) SubmitOrderSchema.parse(e);
    const ctx = t.actor.getSnapshot().context;
    expect(ctx.placed).toBe(3);
    expect(Object.values(ctx.open).map((o) => [o.clientOrderId, o.status, o.filled])).toEqual(
      signals.map((v) => [idAt(v.seq), 'IN_FLIGHT', 0]),
    );
  });

  it('uses the broker’s own id space', () => {
    const t = trader({ broker: 'zerodha' });
    const v = validated('BUY', 1, 'zerodha');
    t.send(v);
    expect(t.emitted[0]!.clientOrderId).toBe(idAt(v.seq, 'zerodha'));
    expect(t.emitted[0]!.clientOrderId).not.toBe(idAt(v.seq, 'paper'));
  });

  it('takes its id source from the input, also when restored from a snapshot', () => {
    const t1 = trader();
    for (let i = 0; i < 41; i++) t1.send(validated('BUY', 1));
    // A snapshot is JSON: the id source does not survive it, the restore's input provides it.
    const json = JSON.parse(JSON.stringify(t1.actor.getSnapshot().context)) as TraderContext;
    expect(json.orderIds).toBeUndefined();
    const t2 = trader({ restore: json });
    const v = validated('BUY', 1);
    t2.send(v);
    expect(t2.emitted[0]!.clientOrderId).toBe(idAt(v.seq));
    expect(t2.actor.getSnapshot().context.placed).toBe(42);
    expect(new Set([...t1.emitted, ...t2.emitted].map((e) => e.clientOrderId)).size).toBe(42);
  });
});

describe('trader machine: broker replies', () => {
  it('re-emits each reply as is and tracks the order to its end', () => {
    const t = trader();
    const v = validated('BUY', 10);
    t.send(v);
    const id = idAt(v.seq);
    const accepted: OrderEvent = { type: 'OrderAccepted', ...base(id), brokerOrderId: 'PAPER-1' };
    t.reply(accepted);
    expect(t.emitted[1]).toEqual(accepted);
    expect(t.actor.getSnapshot().context.open[id]!.status).toBe('ACCEPTED');

    const part = fill(id, 'BUY', 4);
    t.reply(part);
    expect(t.emitted[2]).toEqual(part);
    expect(t.actor.getSnapshot().context.open[id]).toMatchObject({
      status: 'PARTIALLY_FILLED',
      filled: 4,
    });

    t.reply(fill(id, 'BUY', 6));
    const ctx = t.actor.getSnapshot().context;
    expect(ctx.open[id]).toBeUndefined();
    expect(ctx.filled).toBe(2);
    expect(t.emitted.map((e) => e.type)).toEqual([
      'SubmitOrder',
      'OrderAccepted',
      'OrderFilled',
      'OrderFilled',
    ]);
  });

  it('closes rejected and canceled orders and counts rejections', () => {
    const t = trader();
    const vs = [validated('BUY', 10), validated('SELL', 5)];
    for (const v of vs) t.send(v);
    const [a, b] = [idAt(vs[0]!.seq), idAt(vs[1]!.seq)];
    const rejected: OrderEvent = {
      type: 'OrderRejected',
      ...base(a),
      side: 'BUY',
      quantity: quantity(10),
      code: 'INSUFFICIENT_CASH',
      detail: 'needs ₹14,100.00, has ₹100.00',
    };
    const canceled: OrderEvent = {
      type: 'OrderCanceled',
      ...base(b),
      side: 'SELL',
      quantity: quantity(5),
      reason: 'operator',
    };
    t.reply(rejected);
    t.reply(canceled);
    expect(t.emitted.slice(2)).toEqual([rejected, canceled]);
    const ctx = t.actor.getSnapshot().context;
    expect(ctx.open).toEqual({});
    expect(ctx.rejected).toBe(1);
    expect(ctx.filled).toBe(0);
  });

  it('re-emits a reply for an order it does not know without changing its open orders', () => {
    const t = trader();
    t.send(validated('BUY', 10));
    const before = t.actor.getSnapshot().context.open;
    const stray = fill(idAt(99), 'SELL', 3);
    t.reply(stray);
    expect(t.emitted[1]).toEqual(stray);
    expect(t.actor.getSnapshot().context.open).toEqual(before);
  });
});

describe('trader machine: slices and the kill switch', () => {
  it('places one SubmitOrder per slice, each id the signal id plus its slice index', () => {
    const t = trader();
    const v = validated('BUY', 25);
    const order = { ...v.order, slices: [quantity(10), quantity(10), quantity(5)] };
    t.send({ ...v, order });
    const base = idAt(v.seq);
    expect(t.emitted.map((e) => [e.clientOrderId, e.quantity])).toEqual([
      [`${base}0`, 10],
      [`${base}1`, 10],
      [`${base}2`, 5],
    ]);
    for (const e of t.emitted) {
      SubmitOrderSchema.parse(e);
      expect(String(e.clientOrderId).length).toBeLessThanOrEqual(20);
    }
    expect(Object.keys(t.actor.getSnapshot().context.open)).toHaveLength(3);
  });

  it('carries the resolved order: type, validity, product, prices and bracket', () => {
    const t = trader();
    const v = validated('SELL', 5);
    const order = {
      orderType: 'SL' as const,
      validity: 'IOC' as const,
      product: 'MIS' as const,
      limitPrice: paise(140_000),
      triggerPrice: paise(140_500),
      bracket: { takeProfit: paise(130_000) },
      slices: [quantity(5)],
    };
    t.send({ ...v, order });
    expect(t.emitted[0]).toMatchObject({
      clientOrderId: idAt(v.seq),
      orderType: 'SL',
      validity: 'IOC',
      product: 'MIS',
      limitPrice: 140_000,
      triggerPrice: 140_500,
      bracket: { takeProfit: 130_000 },
    });
  });

  it('on the kill switch asks the broker to cancel every open order, and only those', () => {
    const t = trader();
    const [a, b, c] = [validated('BUY', 10), validated('SELL', 5), validated('BUY', 3)];
    t.send(a);
    t.send(b);
    t.send(c);
    t.reply(fill(idAt(a.seq), 'BUY', 10)); // a is complete: nothing to cancel
    t.reply(fill(idAt(b.seq), 'SELL', 2)); // b is partly filled: its rest is canceled
    t.emitted.length = 0;
    t.actor.send({ type: 'KillSwitch', reason: 'operator panic' });
    expect(t.emitted).toEqual(
      [b, c].map((v) => ({
        type: 'CancelOrder',
        broker: 'paper',
        clientOrderId: idAt(v.seq),
        strategyId: SID,
        token: TOKEN,
        reason: 'kill switch: operator panic',
      })),
    );
  });
});
