import { describe, expect, it } from 'vitest';
import { bookTick, cancelOf, modifyOf, orderIdOf, submitOf } from '../../../test/helpers/orders.js';
import { paperRig, typesOf } from '../../../test/helpers/paper-rig.js';
import { paise, quantity } from '../../model/index.js';

const TOKEN = 738561;
const id = (n: number) => orderIdOf(n);
const BOOK = bookTick(TOKEN, {
  lastPrice: 10_000,
  bids: [[9_995, 1_000]],
  asks: [
    [10_000, 30],
    [10_005, 1_000],
  ],
});
const limitAt = (price: number) => ({ orderType: 'LIMIT', limitPrice: paise(price) }) as const;

describe('CancelOrder', () => {
  it('cancels an open order with its unfilled quantity, then refuses: ORDER_NOT_OPEN', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const o = submitOf(id(1), TOKEN, 'BUY', 100, limitAt(10_000));
    expect(rig.send(o)).toMatchObject([
      { type: 'OrderAccepted' },
      { type: 'OrderFilled', quantity: 30 },
    ]);
    expect(rig.send(cancelOf(o, 'operator'))).toEqual([
      {
        type: 'OrderCanceled',
        broker: 'paper',
        clientOrderId: o.clientOrderId,
        strategyId: o.strategyId,
        token: TOKEN,
        side: 'BUY',
        quantity: 70,
        reason: 'operator',
      },
    ]);
    expect(rig.send(cancelOf(o))).toMatchObject([
      { type: 'OrderCommandRejected', command: 'CancelOrder', code: 'ORDER_NOT_OPEN' },
    ]);
    expect(rig.send(cancelOf({ ...o, clientOrderId: id(99) }))).toMatchObject([
      { code: 'ORDER_NOT_OPEN' },
    ]);
  });

  it('refuses a cancel for another broker or naming another instrument', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const o = submitOf(id(1), TOKEN, 'BUY', 10, limitAt(9_000));
    rig.send(o);
    expect(rig.send(cancelOf({ ...o, broker: 'zerodha' }))).toMatchObject([
      { code: 'BROKER_ERROR' },
    ]);
    expect(rig.send(cancelOf({ ...o, token: 1 }))).toMatchObject([{ code: 'INVALID_ORDER' }]);
    expect(rig.broker.snapshot().orders).toHaveLength(1);
  });
});

describe('ModifyOrder', () => {
  it('changes quantity and prices, counting modifications; the 26th is refused', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const o = submitOf(id(1), TOKEN, 'BUY', 100, limitAt(9_000));
    rig.send(o);
    expect(rig.send(modifyOf(o, { quantity: quantity(120) }))).toEqual([
      {
        type: 'OrderModified',
        broker: 'paper',
        clientOrderId: o.clientOrderId,
        strategyId: o.strategyId,
        token: TOKEN,
        quantity: 120,
        limitPrice: 9_000,
        modifications: 1,
      },
    ]);
    for (let i = 2; i <= 25; i++) {
      expect(rig.send(modifyOf(o, { limitPrice: paise(9_000 + 5 * i) }))).toMatchObject([
        { type: 'OrderModified', modifications: i },
      ]);
    }
    expect(rig.send(modifyOf(o, { limitPrice: paise(9_500) }))).toMatchObject([
      { type: 'OrderCommandRejected', command: 'ModifyOrder', code: 'MODIFY_LIMIT_REACHED' },
    ]);
    expect(rig.broker.snapshot().orders).toMatchObject([{ quantity: 120, limitPrice: 9_125 }]);
  });

  it('honours maxModifications', () => {
    const rig = paperRig({ maxModifications: 1 });
    rig.tick(BOOK);
    const o = submitOf(id(1), TOKEN, 'BUY', 100, limitAt(9_000));
    rig.send(o);
    expect(typesOf(rig.send(modifyOf(o, { quantity: quantity(5) })))).toEqual(['OrderModified']);
    expect(rig.send(modifyOf(o, { quantity: quantity(6) }))).toMatchObject([
      { code: 'MODIFY_LIMIT_REACHED' },
    ]);
  });

  it('refuses prices off the tick, quantities not above the filled, and fields the type lacks', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const o = submitOf(id(1), TOKEN, 'BUY', 100, limitAt(10_000));
    rig.send(o); // 30 fill at once
    const refused = (change: Parameters<typeof modifyOf>[1]) => rig.send(modifyOf(o, change))[0];
    expect(refused({ limitPrice: paise(9_992) })).toMatchObject({ code: 'INVALID_ORDER' });
    expect(refused({ limitPrice: paise(9_992) })).toHaveProperty(
      'detail',
      expect.stringContaining('tick size 5'),
    );
    expect(refused({ quantity: quantity(29) })).toMatchObject({ code: 'INVALID_ORDER' });
    expect(refused({ triggerPrice: paise(9_000) })).toMatchObject({ code: 'INVALID_ORDER' });
    expect(refused({})).toMatchObject({ code: 'INVALID_ORDER' });
    expect(rig.broker.snapshot().orders).toMatchObject([{ traderModifications: 0 }]);
  });

  it('completes an order whose quantity is cut to what has filled', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const o = submitOf(id(1), TOKEN, 'BUY', 100, limitAt(10_000));
    rig.send(o); // 30 fill at once
    expect(rig.send(modifyOf(o, { quantity: quantity(30) }))).toMatchObject([
      { type: 'OrderModified', quantity: 30 },
    ]);
    expect(rig.broker.snapshot().orders).toEqual([]);
    expect(rig.send(cancelOf(o))).toMatchObject([{ code: 'ORDER_NOT_OPEN' }]);
  });

  it('matches again at once when a new limit price crosses the book', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const o = submitOf(id(1), TOKEN, 'BUY', 50, limitAt(9_990));
    rig.send(o);
    expect(rig.send(modifyOf(o, { limitPrice: paise(10_005) }))).toMatchObject([
      { type: 'OrderModified', limitPrice: 10_005 },
      { type: 'OrderFilled', quantity: 50, price: 10_002 },
    ]);
    expect(rig.send(modifyOf(o, { quantity: quantity(60) }))).toMatchObject([
      { code: 'ORDER_NOT_OPEN' },
    ]);
  });

  it('triggers a stop at once when a new trigger price has been crossed', () => {
    const rig = paperRig({ slippageBps: 0 });
    rig.tick(BOOK);
    const o = submitOf(id(1), TOKEN, 'BUY', 10, { orderType: 'SL-M', triggerPrice: paise(10_100) });
    rig.send(o);
    expect(rig.send(modifyOf(o, { triggerPrice: paise(10_000) }))).toMatchObject([
      { type: 'OrderModified', triggerPrice: 10_000 },
      { type: 'OrderFilled', quantity: 10, price: 10_000 },
    ]);
  });
});
