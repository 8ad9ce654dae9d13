import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  SubmitOrderSchema,
  clientOrderIdFor,
  paise,
  quantity,
  strategyId,
  type BrokerName,
  type ClientOrderId,
  type OrderEvent,
  type Side,
  type SignalValidated,
} from '../../model/index.js';
import { traderMachine, type TraderInput } from './trader-machine.js';

const SID = strategyId('ema_cross_reliance');
const TOKEN = 738561;

function validated(
  side: Side,
  q: number,
  broker: BrokerName = 'paper',
  price = 141_000,
): SignalValidated {
  return {
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
  };
}

function trader(input: TraderInput = { broker: 'paper' }) {
  const actor = createActor(traderMachine, { input });
  const emitted: Array<{ type: string } & Record<string, unknown>> = [];
  actor.on('*', (e) => emitted.push(e as unknown as { type: string } & Record<string, unknown>));
  actor.start();
  const reply = (r: OrderEvent) => actor.send({ type: 'BrokerReplied', reply: r });
  return { actor, emitted, reply };
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
});

describe('trader machine: orders', () => {
  it('turns each validated signal into a SubmitOrder with the next client order id', () => {
    const t = trader();
    t.actor.send(validated('BUY', 10));
    t.actor.send(validated('SELL', 4, 'paper', 141_500));
    t.actor.send(validated('BUY', 1));
    const ids = t.emitted.map((e) => e.clientOrderId);
    expect(ids).toEqual([1, 2, 3].map((n) => clientOrderIdFor('paper', n)));
    expect(ids).toEqual(['P00000001', 'P00000002', 'P00000003']);
    expect(t.emitted[1]).toEqual({
      type: 'SubmitOrder',
      broker: 'paper',
      clientOrderId: 'P00000002',
      strategyId: SID,
      token: TOKEN,
      side: 'SELL',
      quantity: 4,
      orderType: 'MARKET',
      price: 141_500,
    });
    for (const e of t.emitted) SubmitOrderSchema.parse(e);
    const ctx = t.actor.getSnapshot().context;
    expect(ctx.placed).toBe(3);
    expect(Object.values(ctx.open).map((o) => [o.clientOrderId, o.status, o.filled])).toEqual([
      ['P00000001', 'IN_FLIGHT', 0],
      ['P00000002', 'IN_FLIGHT', 0],
      ['P00000003', 'IN_FLIGHT', 0],
    ]);
  });

  it('uses the broker’s own id space', () => {
    const t = trader({ broker: 'zerodha' });
    t.actor.send(validated('BUY', 1, 'zerodha'));
    expect(t.emitted[0]!.clientOrderId).toBe(clientOrderIdFor('zerodha', 1));
    expect(t.emitted[0]!.clientOrderId).not.toBe(clientOrderIdFor('paper', 1));
  });

  it('continues the numbering from a restored context', () => {
    const t1 = trader();
    for (let i = 0; i < 41; i++) t1.actor.send(validated('BUY', 1));
    const t2 = trader({ broker: 'paper', restore: t1.actor.getSnapshot().context });
    t2.actor.send(validated('BUY', 1));
    expect(t2.emitted[0]!.clientOrderId).toBe(clientOrderIdFor('paper', 42));
    expect(new Set([...t1.emitted, ...t2.emitted].map((e) => e.clientOrderId)).size).toBe(42);
  });
});

describe('trader machine: broker replies', () => {
  it('re-emits each reply as is and tracks the order to its end', () => {
    const t = trader();
    t.actor.send(validated('BUY', 10));
    const id = clientOrderIdFor('paper', 1);
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
    t.actor.send(validated('BUY', 10));
    t.actor.send(validated('SELL', 5));
    const [a, b] = [1, 2].map((n) => clientOrderIdFor('paper', n)) as [
      ClientOrderId,
      ClientOrderId,
    ];
    const rejected: OrderEvent = {
      type: 'OrderRejected',
      ...base(a),
      side: 'BUY',
      quantity: quantity(10),
      code: 'INSUFFICIENT_CASH',
      detail: 'needs ₹14,100.00, has ₹100.00',
    };
    const canceled: OrderEvent = { type: 'OrderCanceled', ...base(b), reason: 'operator' };
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
    t.actor.send(validated('BUY', 10));
    const before = t.actor.getSnapshot().context.open;
    const stray = fill(clientOrderIdFor('paper', 99), 'SELL', 3);
    t.reply(stray);
    expect(t.emitted[1]).toEqual(stray);
    expect(t.actor.getSnapshot().context.open).toEqual(before);
  });
});
