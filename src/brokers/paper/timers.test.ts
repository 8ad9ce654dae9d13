import { describe, expect, it } from 'vitest';
import { bookTick, istMs, orderIdOf, submitOf, timerAt } from '../../../test/helpers/orders.js';
import { paperRig, typesOf } from '../../../test/helpers/paper-rig.js';
import { paise, strategyId } from '../../model/index.js';

const TOKEN = 738561;
const OTHER = 256265;
const id = (n: number) => orderIdOf(n);
const book = (token: number) =>
  bookTick(token, { lastPrice: 10_000, bids: [[9_995, 1_000]], asks: [[10_000, 1_000]] });
const resting = { orderType: 'LIMIT', limitPrice: paise(9_000) } as const;

describe('the MIS square-off timer', () => {
  it('cancels open MIS orders and flattens every MIS position at the book', () => {
    const rig = paperRig({ slippageBps: 0 });
    rig.tick(book(TOKEN));
    rig.tick(book(OTHER));
    rig.send(submitOf(id(1), TOKEN, 'BUY', 100, { product: 'MIS' }));
    rig.send(
      submitOf(id(2), OTHER, 'SELL', 40, { product: 'MIS', strategyId: strategyId('alpha') }),
    );
    rig.send(submitOf(id(3), TOKEN, 'BUY', 5, { ...resting, product: 'MIS' }));
    rig.send(submitOf(id(4), TOKEN, 'BUY', 7, resting));
    rig.send(submitOf(id(5), TOKEN, 'BUY', 9)); // CNC: not squared off
    const events = rig.timer(timerAt('MIS_SQUARE_OFF', istMs('2026-01-05', 15, 20)));
    expect(events).toMatchObject([
      {
        type: 'OrderCanceled',
        clientOrderId: id(3),
        quantity: 5,
        reason: expect.stringContaining('square-off'),
      },
      // alpha sorts before momentum.
      { type: 'OrderAccepted', clientOrderId: 'SQ0000000001', strategyId: 'alpha', token: OTHER },
      {
        type: 'OrderFilled',
        clientOrderId: 'SQ0000000001',
        side: 'BUY',
        quantity: 40,
        price: 10_000,
        product: 'MIS',
      },
      {
        type: 'OrderAccepted',
        clientOrderId: 'SQ0000000002',
        strategyId: 'momentum',
        token: TOKEN,
      },
      {
        type: 'OrderFilled',
        clientOrderId: 'SQ0000000002',
        side: 'SELL',
        quantity: 100,
        price: 9_995,
        product: 'MIS',
      },
    ]);
    const snap = rig.broker.snapshot();
    expect(snap.accounts).toEqual([{ strategyId: 'momentum', token: TOKEN, cnc: 9, mis: 0 }]);
    expect(snap.orders.map((o) => o.clientOrderId)).toEqual([id(4)]);
    expect(rig.timer(timerAt('MIS_SQUARE_OFF', istMs('2026-01-05', 15, 21)))).toEqual([]);
  });
});

describe('DAY expiry', () => {
  it('expires every open order at the close, and changes nothing on other timers', () => {
    const rig = paperRig();
    rig.tick(book(TOKEN));
    rig.send(submitOf(id(1), TOKEN, 'BUY', 3, resting));
    expect(rig.timer(timerAt('SESSION_OPEN', istMs('2026-01-05', 11)))).toEqual([]);
    expect(rig.timer(timerAt('PNL_INTERVAL', istMs('2026-01-05', 12)))).toEqual([]);
    expect(rig.timer(timerAt('SESSION_CLOSE', istMs('2026-01-05', 15, 30)))).toMatchObject([
      { type: 'OrderCanceled', clientOrderId: id(1), quantity: 3, reason: 'expired at the close' },
    ]);
  });

  it('expires at IST midnight the orders of an earlier IST day only (24×7 runs)', () => {
    const rig = paperRig({}, istMs('2026-01-05', 23, 59));
    rig.tick(book(TOKEN));
    rig.send(submitOf(id(1), TOKEN, 'BUY', 3, resting));
    rig.clock.set(istMs('2026-01-06', 0, 0, 30));
    rig.send(submitOf(id(2), TOKEN, 'BUY', 4, resting));
    const events = rig.timer(timerAt('IST_MIDNIGHT', istMs('2026-01-06', 0)));
    expect(events).toMatchObject([
      {
        type: 'OrderCanceled',
        clientOrderId: id(1),
        reason: 'expired at IST midnight: a DAY order of 2026-01-05',
      },
    ]);
    expect(typesOf(events)).toEqual(['OrderCanceled']);
    expect(rig.broker.snapshot().orders).toMatchObject([
      { clientOrderId: id(2), tradingDay: '2026-01-06' },
    ]);
  });
});
