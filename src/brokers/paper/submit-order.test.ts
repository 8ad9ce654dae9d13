import { describe, expect, it } from 'vitest';
import { bookTick, orderIdOf, submitOf } from '../../../test/helpers/orders.js';
import { paperRig, typesOf } from '../../../test/helpers/paper-rig.js';
import { paise, quantity, type SubmitOrder } from '../../model/index.js';
import { derivedBelow } from './derived-random.js';

const TOKEN = 738561;
const id = (n: number) => orderIdOf(n);
const BOOK = bookTick(TOKEN, { lastPrice: 10_000, bids: [[9_995, 500]], asks: [[10_000, 500]] });

describe('SubmitOrder checks', () => {
  const cases: [string, SubmitOrder, RegExp][] = [
    [
      'a LIMIT without a limit price',
      submitOf(id(1), TOKEN, 'BUY', 1, { orderType: 'LIMIT' }),
      /needs a limitPrice/,
    ],
    [
      'an SL without a limit price',
      submitOf(id(1), TOKEN, 'BUY', 1, { orderType: 'SL', triggerPrice: paise(10_100) }),
      /both/,
    ],
    [
      'an SL-M without a trigger',
      submitOf(id(1), TOKEN, 'BUY', 1, { orderType: 'SL-M' }),
      /needs a triggerPrice/,
    ],
    [
      'a limit price off the tick',
      submitOf(id(1), TOKEN, 'BUY', 1, { orderType: 'LIMIT', limitPrice: paise(10_001) }),
      /not a multiple of the tick size 5/,
    ],
    [
      'a trigger price off the tick',
      submitOf(id(1), TOKEN, 'SELL', 1, {
        orderType: 'SL-M',
        triggerPrice: paise(9_999),
        product: 'MIS',
      }),
      /triggerPrice 9999/,
    ],
    [
      'an SL BUY triggering above its limit',
      submitOf(id(1), TOKEN, 'BUY', 1, {
        orderType: 'SL',
        triggerPrice: paise(10_110),
        limitPrice: paise(10_100),
      }),
      /at or below/,
    ],
    [
      'a MARKET with a limit price',
      submitOf(id(1), TOKEN, 'BUY', 1, { limitPrice: paise(10_000) }),
      /takes no limitPrice/,
    ],
    [
      'a zero quantity',
      { ...submitOf(id(1), TOKEN, 'BUY', 1), quantity: quantity(0) },
      /positive integer/,
    ],
  ];
  for (const [what, order, detail] of cases) {
    it(`rejects ${what} with INVALID_ORDER`, () => {
      const rig = paperRig();
      rig.tick(BOOK);
      const events = rig.send(order);
      expect(events).toMatchObject([{ type: 'OrderRejected', code: 'INVALID_ORDER' }]);
      expect(events[0]).toHaveProperty('detail', expect.stringMatching(detail));
    });
  }

  it('rejects an order for another broker with BROKER_ERROR, and one before any tick with NO_MARKET_DATA', () => {
    const rig = paperRig();
    expect(rig.send(submitOf(id(1), TOKEN, 'BUY', 1))).toMatchObject([{ code: 'NO_MARKET_DATA' }]);
    rig.tick(BOOK);
    expect(rig.send(submitOf(id(2), TOKEN, 'BUY', 1, { broker: 'zerodha' }))).toMatchObject([
      { code: 'BROKER_ERROR' },
    ]);
  });

  it('rejects a client order id that is already open', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const o = submitOf(id(1), TOKEN, 'BUY', 1, { orderType: 'LIMIT', limitPrice: paise(9_000) });
    rig.send(o);
    expect(rig.send(o)).toMatchObject([
      { code: 'INVALID_ORDER', detail: expect.stringContaining('already in use') },
    ]);
  });
});

describe('latency', () => {
  it('accepts at once and matches on the first tick at or after the latency has passed', () => {
    const rig = paperRig({ latencyMs: 500, slippageBps: 0 });
    rig.tick(BOOK);
    const start = rig.clock.now();
    expect(typesOf(rig.send(submitOf(id(1), TOKEN, 'BUY', 10)))).toEqual(['OrderAccepted']);
    expect(rig.tick(BOOK, start + 499)).toEqual([]);
    const later = bookTick(TOKEN, { lastPrice: 10_050, asks: [[10_050, 500]] });
    expect(rig.tick(later, start + 500)).toMatchObject([
      { type: 'OrderFilled', quantity: 10, price: 10_050, tickSeq: 3 },
    ]);
  });

  it('adds a jitter derived from the seed and the client order id', () => {
    const rig = paperRig({ latencyMs: 100, latencyJitterMs: 1_000, seed: 9 });
    rig.tick(BOOK);
    const start = rig.clock.now();
    rig.send(submitOf(id(1), TOKEN, 'BUY', 10));
    const due = start + 100 + derivedBelow(9, `${id(1)}:latency`, 1_001);
    expect(rig.broker.snapshot().orders).toMatchObject([{ matchableAt: due, arrived: false }]);
    expect(rig.tick(BOOK, due - 1)).toEqual([]);
    expect(typesOf(rig.tick(BOOK, due))).toEqual(['OrderFilled']);
  });
});
