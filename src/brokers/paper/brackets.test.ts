import { describe, expect, it } from 'vitest';
import { bookTick, cancelOf, orderIdOf, submitOf } from '../../../test/helpers/orders.js';
import { fillsOf, paperRig, typesOf } from '../../../test/helpers/paper-rig.js';
import { paise } from '../../model/index.js';

const TOKEN = 738561;
const ENTRY = orderIdOf(1);

function entryOf(qty = 100, over: Parameters<typeof submitOf>[4] = {}) {
  return submitOf(ENTRY, TOKEN, 'BUY', qty, {
    product: 'MIS',
    price: paise(10_000),
    protectionPrice: paise(10_200),
    bracket: { takeProfit: paise(10_300), stopLoss: paise(9_800) },
    ...over,
  });
}

/** The same entry as a DAY LIMIT at 100.00 (no market protection). */
function limitEntry() {
  const { protectionPrice: _, ...rest } = entryOf(100, {
    orderType: 'LIMIT',
    limitPrice: paise(10_000),
  });
  return rest;
}

describe('bracket exits', () => {
  it('are placed for the filled quantity when the entry fills: a LIMIT and an SL-M opposite', () => {
    const rig = paperRig({ slippageBps: 0 });
    rig.tick(bookTick(TOKEN, { lastPrice: 10_000, asks: [[10_000, 500]], bids: [[9_995, 500]] }));
    const events = rig.send(entryOf());
    expect(typesOf(events)).toEqual([
      'OrderAccepted',
      'OrderFilled',
      'OrderAccepted',
      'OrderAccepted',
    ]);
    expect(events[2]).toMatchObject({
      clientOrderId: `${ENTRY}T`,
      brokerOrderId: 'PAPER0000000002',
    });
    expect(events[3]).toMatchObject({
      clientOrderId: `${ENTRY}S`,
      brokerOrderId: 'PAPER0000000003',
    });
    // The entry's protection was 2% above its price, so the stop's is 2% below 98.00: 96.04.
    expect(rig.broker.snapshot().orders).toMatchObject([
      {
        clientOrderId: `${ENTRY}T`,
        side: 'SELL',
        orderType: 'LIMIT',
        limitPrice: 10_300,
        quantity: 100,
        product: 'MIS',
      },
      {
        clientOrderId: `${ENTRY}S`,
        side: 'SELL',
        orderType: 'SL-M',
        triggerPrice: 9_800,
        protectionPrice: 9_604,
        quantity: 100,
      },
    ]);
  });

  it('close the position with one exit and cancel its sibling (one cancels other)', () => {
    const rig = paperRig({ slippageBps: 0 });
    rig.tick(bookTick(TOKEN, { lastPrice: 10_000, asks: [[10_000, 500]], bids: [[9_995, 500]] }));
    rig.send(entryOf());
    const events = rig.tick(
      bookTick(TOKEN, { lastPrice: 10_305, bids: [[10_305, 500]], asks: [[10_310, 500]] }),
    );
    expect(events).toMatchObject([
      {
        type: 'OrderFilled',
        clientOrderId: `${ENTRY}T`,
        side: 'SELL',
        quantity: 100,
        price: 10_305,
      },
      {
        type: 'OrderCanceled',
        clientOrderId: `${ENTRY}S`,
        quantity: 100,
        reason: 'one-cancels-other',
      },
    ]);
    const snap = rig.broker.snapshot();
    expect(snap.orders).toEqual([]);
    expect(snap.brackets).toEqual([]);
    expect(snap.accounts).toEqual([]);
  });

  it('stop out through the SL-M within its protection and cancel the take-profit', () => {
    const rig = paperRig({ slippageBps: 0 });
    rig.tick(bookTick(TOKEN, { lastPrice: 10_000, asks: [[10_000, 500]], bids: [[9_995, 500]] }));
    rig.send(
      entryOf(100, {
        bracket: { takeProfit: paise(10_300), stopLoss: paise(9_800) },
        protectionPrice: paise(10_100),
      }),
    );
    // Protection 1% → the stop's is 97.02; the book below it is not taken.
    const events = rig.tick(
      bookTick(TOKEN, {
        lastPrice: 9_790,
        bids: [
          [9_790, 60],
          [9_700, 500],
        ],
      }),
    );
    expect(events).toMatchObject([
      { type: 'OrderFilled', clientOrderId: `${ENTRY}S`, quantity: 60, price: 9_790 },
      { type: 'OrderModified', clientOrderId: `${ENTRY}T`, quantity: 40 },
      { type: 'OrderCanceled', clientOrderId: `${ENTRY}S`, quantity: 40 },
    ]);
    // 40 still long, still protected by the take-profit alone.
    expect(rig.broker.snapshot().accounts).toMatchObject([{ mis: 40 }]);
  });

  it('grow with each fill of a resting entry', () => {
    const rig = paperRig();
    rig.tick(bookTick(TOKEN, { lastPrice: 10_000, asks: [[10_000, 30]], bids: [[9_995, 500]] }));
    const events = rig.send(limitEntry());
    expect(fillsOf(events)).toMatchObject([{ quantity: 30 }]);
    const more = rig.tick(bookTick(TOKEN, { lastPrice: 9_990, asks: [[9_990, 50]] }));
    expect(more).toMatchObject([
      { type: 'OrderFilled', clientOrderId: ENTRY, quantity: 50, price: 9_990 },
      { type: 'OrderModified', clientOrderId: `${ENTRY}T`, quantity: 80, modifications: 1 },
      { type: 'OrderModified', clientOrderId: `${ENTRY}S`, quantity: 80, modifications: 1 },
    ]);
    // No market protection on a LIMIT entry: the stop gets bracketProtectionBps (1%) of 98.00.
    expect(rig.broker.snapshot().orders.find((o) => o.clientOrderId === `${ENTRY}S`)).toMatchObject(
      { protectionPrice: 9_702 },
    );
  });

  it("cancel what is left of the entry once an exit has closed the bracket's whole position", () => {
    const rig = paperRig();
    rig.tick(bookTick(TOKEN, { lastPrice: 10_000, asks: [[10_000, 30]], bids: [[9_995, 500]] }));
    rig.send(limitEntry());
    const events = rig.tick(
      bookTick(TOKEN, { lastPrice: 10_300, bids: [[10_305, 500]], asks: [[10_310, 5]] }),
    );
    expect(events).toMatchObject([
      { type: 'OrderFilled', clientOrderId: `${ENTRY}T`, quantity: 30 },
      {
        type: 'OrderCanceled',
        clientOrderId: `${ENTRY}S`,
        quantity: 30,
        reason: 'one-cancels-other',
      },
      { type: 'OrderCanceled', clientOrderId: ENTRY, quantity: 70 },
    ]);
    expect(rig.broker.snapshot()).toMatchObject({ orders: [], brackets: [] });
  });

  it('leave the sibling alone when the trader cancels one exit', () => {
    const rig = paperRig({ slippageBps: 0 });
    rig.tick(bookTick(TOKEN, { lastPrice: 10_000, asks: [[10_000, 500]], bids: [[9_995, 500]] }));
    const entry = entryOf();
    rig.send(entry);
    const canceled = rig.send(cancelOf({ ...entry, clientOrderId: `${ENTRY}T` as typeof ENTRY }));
    expect(canceled).toMatchObject([
      { type: 'OrderCanceled', clientOrderId: `${ENTRY}T`, quantity: 100 },
    ]);
    expect(rig.broker.snapshot().orders).toMatchObject([{ clientOrderId: `${ENTRY}S` }]);
  });

  it('are refused when the entry id leaves no room for the exit suffix, or the prices contradict', () => {
    const rig = paperRig();
    rig.tick(bookTick(TOKEN, { lastPrice: 10_000, asks: [[10_000, 500]] }));
    const long = rig.send(entryOf(10, { clientOrderId: 'A1234567890123456789' as typeof ENTRY }));
    expect(long).toMatchObject([{ type: 'OrderRejected', code: 'INVALID_ORDER' }]);
    expect(long[0]).toHaveProperty('detail', expect.stringContaining('at most 19'));
    const upside = rig.send(
      entryOf(10, { bracket: { takeProfit: paise(9_800), stopLoss: paise(10_300) } }),
    );
    expect(upside).toMatchObject([{ type: 'OrderRejected', code: 'INVALID_ORDER' }]);
    const offTick = rig.send(entryOf(10, { bracket: { takeProfit: paise(10_301) } }));
    expect(offTick[0]).toHaveProperty('detail', expect.stringContaining('bracket.takeProfit'));
  });
});
