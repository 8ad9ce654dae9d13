import { describe, expect, it } from 'vitest';
import { paise, quantity, type SubmitOrder } from '../../model/index.js';
import { RELIANCE, S1, gateRig, orderId, signalOf } from '../../../test/helpers/risk-gate.js';

const openCount = (g: ReturnType<typeof gateRig>, sid = 's1') =>
  Object.keys(g.ctx().openOrders[sid] ?? {}).length + (g.ctx().unplaced[sid] ?? 0);

describe('risk gate: open orders', () => {
  it('counts validated orders before their SubmitOrder arrives, and placed ones after', () => {
    const g = gateRig({ limits: { maxOpenOrders: 2 } });
    g.tick();
    const a = g.decide(signalOf('BUY', 10));
    expect(g.ctx().unplaced).toEqual({ s1: 1 });
    const [id] = g.submit(a);
    expect(g.ctx().unplaced).toEqual({});
    expect(g.ctx().openOrders.s1).toEqual({
      [id!]: { token: 738561, side: 'BUY', quantity: 10, filled: 0 },
    });
    g.decide(signalOf('BUY', 10)); // validated, not yet placed
    expect(openCount(g)).toBe(2);
    expect(g.outcome('BUY', 1)).toBe('MAX_OPEN_ORDERS');
    expect(g.outcome('BUY', 1, { strategy: 's2' })).toBe('VALIDATED');
  });

  it('closes an order on its full fill, not on a partial one', () => {
    const g = gateRig({ limits: { maxOpenOrders: 1 } });
    g.tick();
    const [id] = g.submit(g.decide(signalOf('BUY', 10)));
    g.fill({ id: id!, side: 'BUY', quantity: 4 });
    expect(g.ctx().openOrders.s1?.[id!]).toMatchObject({ filled: 4 });
    expect(g.outcome('BUY', 1)).toBe('MAX_OPEN_ORDERS');
    g.fill({ id: id!, side: 'BUY', quantity: 6 });
    expect(g.ctx().openOrders).toEqual({});
    expect(g.ctx().pending).toEqual({});
    expect(g.outcome('BUY', 1)).toBe('VALIDATED');
  });

  it('closes an order the broker rejects', () => {
    const g = gateRig({ limits: { maxOpenOrders: 1 } });
    g.tick();
    const [id] = g.submit(g.decide(signalOf('SELL', 10)));
    g.reject({ id: id!, side: 'SELL', quantity: 10 });
    expect(g.ctx()).toMatchObject({ openOrders: {}, pending: {} });
    expect(g.outcome('SELL', 1)).toBe('VALIDATED');
  });

  it('closes a canceled order and settles pending with the canceled quantity only', () => {
    const g = gateRig({ limits: { maxOpenOrders: 1, maxPositionPerInstrument: 10 } });
    g.tick();
    const [id] = g.submit(g.decide(signalOf('BUY', 10)));
    g.fill({ id: id!, side: 'BUY', quantity: 3 });
    g.cancel({ id: id!, side: 'BUY', quantity: 7 });
    expect(g.ctx()).toMatchObject({
      openOrders: {},
      pending: {},
      positions: { s1: { 738561: 3 } },
    });
    expect(g.outcome('BUY', 8)).toBe('POSITION_EXCEEDS_MAX_PER_INSTRUMENT');
    expect(g.outcome('BUY', 7)).toBe('VALIDATED');
  });

  it('counts each slice of a sliced order as an order', () => {
    const g = gateRig({ limits: { maxOpenOrders: 4, freezeQuantity: 100 } });
    g.tick(10_000);
    const d = g.decide(signalOf('BUY', 300, { price: 10_000 }));
    expect(openCount(g)).toBe(3);
    expect(g.outcome('BUY', 200, { price: 10_000 })).toBe('MAX_OPEN_ORDERS');
    const ids = g.submit(d);
    expect(openCount(g)).toBe(3);
    g.fill({ id: ids[0]!, side: 'BUY', quantity: 100, price: 10_000 });
    expect(openCount(g)).toBe(2);
    expect(g.outcome('BUY', 200, { price: 10_000 })).toBe('VALIDATED');
  });

  it('ignores a repeated SubmitOrder, and replies for orders it never saw', () => {
    const g = gateRig();
    g.tick();
    g.decide(signalOf('BUY', 10));
    const order: SubmitOrder = {
      type: 'SubmitOrder',
      broker: 'paper',
      clientOrderId: orderId(1),
      strategyId: S1,
      token: RELIANCE,
      side: 'BUY',
      quantity: quantity(10),
      orderType: 'MARKET',
      validity: 'DAY',
      product: 'CNC',
      price: paise(100_000),
    };
    g.actor.send(order);
    g.actor.send(order);
    expect(openCount(g)).toBe(1);
    g.cancel({ id: orderId(2), side: 'BUY', quantity: 10 });
    expect(Object.keys(g.ctx().openOrders.s1 ?? {})).toEqual([orderId(1)]);
  });
});
