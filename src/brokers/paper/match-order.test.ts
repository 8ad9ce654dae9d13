import { describe, expect, it } from 'vitest';
import { bookTick, orderIdOf, submitOf } from '../../../test/helpers/orders.js';
import { fillsOf, paperRig, typesOf } from '../../../test/helpers/paper-rig.js';
import { paise } from '../../model/index.js';
import { derivedBelow } from './derived-random.js';

const TOKEN = 738561;
const id = (n: number) => orderIdOf(n);

// Asks 100 @ 100.00 · 50 @ 100.05 · 200 @ 100.10; bids 100 @ 99.95 · 300 @ 99.90.
const BOOK = bookTick(TOKEN, {
  lastPrice: 10_000,
  bids: [
    [9_995, 100],
    [9_990, 300],
  ],
  asks: [
    [10_000, 100],
    [10_005, 50],
    [10_010, 200],
  ],
});

describe('MARKET orders', () => {
  it('walk the book across levels at their prices and stop at the protection price', () => {
    const rig = paperRig({ slippageBps: 0 });
    rig.tick(BOOK);
    const events = rig.send(
      submitOf(id(1), TOKEN, 'BUY', 300, { price: paise(10_000), protectionPrice: paise(10_005) }),
    );
    expect(typesOf(events)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderCanceled']);
    // 100 × 10,000 + 50 × 10,005 = 1,500,250 / 150 = 10,001.67 → 10,002; 10,010 is beyond protection.
    expect(events[1]).toMatchObject({ quantity: 150, price: 10_002, slippage: 2, tickSeq: 1 });
    expect(events[2]).toMatchObject({ side: 'BUY', quantity: 150 });
    expect(events[2]).toHaveProperty('reason', expect.stringContaining('10005 paise'));
  });

  it('slip by slippageBps but never beyond the protection price', () => {
    const rig = paperRig({ slippageBps: 50 });
    rig.tick(BOOK);
    // 50 bps of 10,000 = 50: 10,050 is past the protection price 10,020, so 10,020.
    const capped = rig.send(
      submitOf(id(1), TOKEN, 'BUY', 10, { price: paise(10_000), protectionPrice: paise(10_020) }),
    );
    expect(capped[1]).toMatchObject({ type: 'OrderFilled', price: 10_020 });
    const free = rig.send(submitOf(id(2), TOKEN, 'BUY', 10, { price: paise(10_000) }));
    expect(free[1]).toMatchObject({ type: 'OrderFilled', price: 10_050, slippage: 50 });
  });

  it('with FOK fill all or nothing', () => {
    const rig = paperRig({ slippageBps: 0 });
    rig.tick(BOOK);
    const none = rig.send(submitOf(id(1), TOKEN, 'BUY', 400, { validity: 'FOK' }));
    expect(typesOf(none)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(none[1]).toMatchObject({ quantity: 400 });
    expect(none[1]).toHaveProperty('reason', expect.stringMatching(/^FOK: only 350 of 400/));
  });
});

describe('LIMIT orders', () => {
  it('FOK that cannot fill in full fills nothing; one that can fills at once', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const limit = { orderType: 'LIMIT', validity: 'FOK', limitPrice: paise(10_005) } as const;
    const none = rig.send(submitOf(id(1), TOKEN, 'BUY', 151, limit));
    expect(typesOf(none)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(none[1]).toMatchObject({ quantity: 151 });
    const all = rig.send(submitOf(id(2), TOKEN, 'BUY', 150, limit));
    expect(typesOf(all)).toEqual(['OrderAccepted', 'OrderFilled']);
    // No slippage on a limit: 10,002 is the levels' own VWAP.
    expect(all[1]).toMatchObject({ quantity: 150, price: 10_002 });
  });

  it('IOC fills what it can at or better than the limit and cancels the rest', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const events = rig.send(
      submitOf(id(1), TOKEN, 'SELL', 250, {
        orderType: 'LIMIT',
        validity: 'IOC',
        limitPrice: paise(9_990),
        product: 'MIS',
      }),
    );
    expect(typesOf(events)).toEqual(['OrderAccepted', 'OrderFilled']);
    // 100 @ 9,995 + 150 @ 9,990 = 2,498,000 / 250 = 9,992: both levels within the limit.
    expect(events[1]).toMatchObject({ quantity: 250, price: 9_992 });
    const short = rig.send(
      submitOf(id(2), TOKEN, 'SELL', 500, {
        orderType: 'LIMIT',
        validity: 'IOC',
        limitPrice: paise(9_995),
        product: 'MIS',
      }),
    );
    expect(fillsOf(short)).toMatchObject([{ quantity: 100, price: 9_995 }]);
    expect(short[2]).toMatchObject({ type: 'OrderCanceled', quantity: 400 });
    expect(short[2]).toHaveProperty('reason', expect.stringContaining('IOC'));
  });

  it('DAY rests, fills on a later tick that crosses it at the crossing levels, and expires at the close', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const day = { orderType: 'LIMIT', limitPrice: paise(9_990) } as const;
    expect(typesOf(rig.send(submitOf(id(1), TOKEN, 'BUY', 100, day)))).toEqual(['OrderAccepted']);
    expect(
      typesOf(rig.send(submitOf(id(2), TOKEN, 'BUY', 10, { ...day, limitPrice: paise(9_900) }))),
    ).toEqual(['OrderAccepted']);
    // A tick that only comes down to 99.95 changes nothing.
    expect(
      rig.tick(bookTick(TOKEN, { lastPrice: 9_995, asks: [[9_995, 500]], bids: [[9_985, 9]] })),
    ).toEqual([]);
    const crossing = bookTick(TOKEN, {
      lastPrice: 9_985,
      asks: [
        [9_985, 60],
        [9_990, 100],
        [9_995, 100],
      ],
    });
    const events = rig.tick(crossing);
    // 60 @ 99.85 + 40 @ 99.90 = 998,700 / 100 = 9,987.
    expect(events).toMatchObject([
      { type: 'OrderFilled', clientOrderId: id(1), quantity: 100, price: 9_987, tickSeq: 3 },
    ]);
    const close = rig.timer({
      type: 'MarketTimerFired',
      kind: 'SESSION_CLOSE',
      at: rig.clock.now() + 1,
      tradingDay: '2026-01-05',
    });
    expect(close).toEqual([
      expect.objectContaining({
        type: 'OrderCanceled',
        clientOrderId: id(2),
        quantity: 10,
        reason: 'expired at the close',
      }),
    ]);
  });

  it('without depth, fills a resting limit once LTP reaches it, never above the limit', () => {
    const rig = paperRig();
    rig.tick(bookTick(TOKEN, { lastPrice: 10_100 }));
    rig.send(submitOf(id(1), TOKEN, 'BUY', 40, { orderType: 'LIMIT', limitPrice: paise(10_000) }));
    expect(rig.tick(bookTick(TOKEN, { lastPrice: 10_005 }))).toEqual([]);
    // LTP 10,000 + half spread 10 = 10,010, capped at the limit.
    expect(rig.tick(bookTick(TOKEN, { lastPrice: 10_000 }))).toMatchObject([
      { type: 'OrderFilled', quantity: 40, price: 10_000 },
    ]);
  });
});

describe('the queue of a limit resting at the touch', () => {
  /** A BUY limit joins 500 displayed at 99.95; then each tick trades 120 at 99.95. */
  function run(seed: number): { ahead: number; fills: { seq: number; qty: number }[] } {
    const rig = paperRig({ seed });
    rig.tick(
      bookTick(TOKEN, { lastPrice: 10_000, bids: [[9_995, 500]], asks: [[10_000, 50]], volume: 0 }),
    );
    const o = submitOf(id(7), TOKEN, 'BUY', 200, { orderType: 'LIMIT', limitPrice: paise(9_995) });
    rig.send(o);
    const fills: { seq: number; qty: number }[] = [];
    for (let i = 1; i <= 8; i++) {
      const t = bookTick(TOKEN, {
        lastPrice: 9_995,
        bids: [[9_995, 400]],
        asks: [[10_000, 50]],
        volume: 120 * i,
      });
      for (const f of fillsOf(rig.tick(t))) {
        fills.push({ seq: f.tickSeq, qty: f.quantity });
        expect(f.price).toBe(9_995);
      }
    }
    return { ahead: derivedBelow(seed, `${o.clientOrderId}:0`, 501), fills };
  }

  it('starts behind a derived share of the displayed quantity and fills by the volume traded past it', () => {
    const { ahead, fills } = run(1);
    expect(ahead).toBeGreaterThanOrEqual(0);
    expect(ahead).toBeLessThanOrEqual(500);
    // Cumulative traded volume after tick k (seq k + 1) is 120k; the order fills with what passes it.
    const expected: { seq: number; qty: number }[] = [];
    let filled = 0;
    for (let k = 1; k <= 8 && filled < 200; k++) {
      const past = Math.max(0, 120 * k - ahead) - filled;
      const qty = Math.min(past, 200 - filled);
      if (qty > 0) {
        expected.push({ seq: k + 1, qty });
        filled += qty;
      }
    }
    expect(fills).toEqual(expected);
    expect(filled).toBe(200);
  });

  it('is the same for the same seed and may differ for another', () => {
    expect(run(3)).toEqual(run(3));
    const firsts = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => run(s).fills[0]!.seq));
    expect(firsts.size).toBeGreaterThan(1);
  });

  it('is not worked by volume traded away from its price', () => {
    const rig = paperRig();
    rig.tick(bookTick(TOKEN, { lastPrice: 10_000, bids: [[9_995, 500]], asks: [[10_000, 50]] }));
    rig.send(submitOf(id(1), TOKEN, 'BUY', 10, { orderType: 'LIMIT', limitPrice: paise(9_990) }));
    for (let i = 1; i <= 5; i++) {
      const t = bookTick(TOKEN, {
        lastPrice: 9_995,
        bids: [[9_995, 500]],
        asks: [[10_000, 50]],
        volume: 1_000 + 10_000 * i,
      });
      expect(rig.tick(t)).toEqual([]);
    }
  });
});

describe('stop orders', () => {
  it('SL-M triggers when LTP crosses the trigger and fills as a market order within protection', () => {
    const rig = paperRig({ slippageBps: 0 });
    rig.tick(bookTick(TOKEN, { lastPrice: 10_000, bids: [[9_995, 100]] }));
    const events = rig.send(
      submitOf(id(1), TOKEN, 'SELL', 50, {
        orderType: 'SL-M',
        triggerPrice: paise(9_900),
        protectionPrice: paise(9_800),
        price: paise(9_900),
        product: 'MIS',
      }),
    );
    expect(typesOf(events)).toEqual(['OrderAccepted']);
    expect(rig.tick(bookTick(TOKEN, { lastPrice: 9_905, bids: [[9_900, 100]] }))).toEqual([]);
    const hit = rig.tick(
      bookTick(TOKEN, {
        lastPrice: 9_900,
        bids: [
          [9_895, 30],
          [9_890, 100],
        ],
      }),
    );
    // 30 @ 98.95 + 20 @ 98.90 = 494,650 / 50 = 9,893.
    expect(hit).toMatchObject([{ type: 'OrderFilled', quantity: 50, price: 9_893, slippage: 7 }]);
  });

  it('SL triggers, then rests as a limit at its limit price until the book crosses it', () => {
    const rig = paperRig();
    rig.tick(bookTick(TOKEN, { lastPrice: 10_000, asks: [[10_005, 500]] }));
    rig.send(
      submitOf(id(1), TOKEN, 'BUY', 100, {
        orderType: 'SL',
        triggerPrice: paise(10_100),
        limitPrice: paise(10_110),
      }),
    );
    // Asks at 101.05 are within the limit, but the stop has not triggered.
    expect(rig.tick(bookTick(TOKEN, { lastPrice: 10_095, asks: [[10_105, 500]] }))).toEqual([]);
    // Triggered; the book (101.15) is above the limit: it rests.
    expect(rig.tick(bookTick(TOKEN, { lastPrice: 10_100, asks: [[10_115, 500]] }))).toEqual([]);
    expect(rig.broker.snapshot().orders).toMatchObject([{ triggered: true, queueAhead: 0 }]);
    expect(rig.tick(bookTick(TOKEN, { lastPrice: 10_100, asks: [[10_105, 500]] }))).toMatchObject([
      { type: 'OrderFilled', quantity: 100, price: 10_105 },
    ]);
  });

  it('a tick without a trade (LTP 0) triggers no stop', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    rig.send(
      submitOf(id(1), TOKEN, 'SELL', 5, {
        orderType: 'SL-M',
        triggerPrice: paise(9_900),
        product: 'MIS',
      }),
    );
    expect(rig.tick(bookTick(TOKEN, { lastPrice: 0, bids: [[9_800, 100]] }))).toEqual([]);
    expect(rig.broker.snapshot().orders).toMatchObject([{ triggered: false }]);
  });

  it('an IOC stop not triggered on arrival is canceled', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const events = rig.send(
      submitOf(id(1), TOKEN, 'BUY', 5, {
        orderType: 'SL-M',
        validity: 'IOC',
        triggerPrice: paise(10_500),
      }),
    );
    expect(typesOf(events)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(events[1]).toHaveProperty('reason', expect.stringContaining('not triggered'));
  });
});
