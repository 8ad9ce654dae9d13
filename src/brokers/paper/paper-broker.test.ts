import { zerodhaCharges } from '../../../test/helpers/charges.js';
import { kiteFixture } from '../../../test/helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import {
  clientOrderIdOf,
  OrderFilledSchema,
  OrderRejectedSchema,
  paise,
  quantity,
  strategyId,
  type DepthLevel,
  type MarketTick,
  type OrderEvent,
  type Side,
  type SubmitOrder,
} from '../../model/index.js';
import { SeededRandom, SimulatedClock } from '../../runtime/index.js';
import { PaperBroker } from './paper-broker.js';
import type { ChargesModel } from './charges.js';
import { PAPER_DEFAULTS, type PaperBrokerConfig } from './paper-config.js';

interface KiteLevel {
  price: number;
  quantity: number;
  orders: number;
}
const kite = kiteFixture<{
  instrument_token: number;
  last_price: number;
  last_quantity: number;
  average_price: number;
  volume: number;
  buy_quantity: number;
  sell_quantity: number;
  ohlc: { open: number; high: number; low: number; close: number };
  oi: number;
  depth: { buy: KiteLevel[]; sell: KiteLevel[] };
}>('ticker_full.json');
const rupees = (x: number): number => Math.round(x * 100);
const level = (l: KiteLevel): DepthLevel => ({
  price: paise(rupees(l.price)),
  quantity: l.quantity,
  orders: l.orders,
});

/** The captured Kite full-mode tick (token 408065, LTP ₹1573.70) with prices in paise. */
const TICK: MarketTick = {
  token: kite.instrument_token,
  ts: 1_625_461_887_000, // 2021-07-05T10:41:27+05:30
  lastPrice: paise(rupees(kite.last_price)),
  lastQuantity: kite.last_quantity,
  averagePrice: paise(rupees(kite.average_price)),
  volume: kite.volume,
  buyQuantity: kite.buy_quantity,
  sellQuantity: kite.sell_quantity,
  open: paise(rupees(kite.ohlc.open)),
  high: paise(rupees(kite.ohlc.high)),
  low: paise(rupees(kite.ohlc.low)),
  close: paise(rupees(kite.ohlc.close)),
  oi: kite.oi,
  bids: kite.depth.buy.map(level),
  asks: kite.depth.sell.map(level),
};
// asks: 172 @ 157,370 · 44 @ 157,375 · 302 @ 157,385 · 141 @ 157,390 · 724 @ 157,395 (1,383 shares)
// bids:   5 @ 157,340 · 140 @ 157,300 ·   2 @ 157,295 · 219 @ 157,290 ·  50 @ 157,285
const TOKEN = TICK.token;
const MOMENTUM = strategyId('momentum');

let orderNo = 0;
function order(side: Side, qty: number, over: Partial<SubmitOrder> = {}): SubmitOrder {
  orderNo += 1;
  return {
    type: 'SubmitOrder',
    broker: 'paper',
    clientOrderId: clientOrderIdOf('paper', { nonce: 1, epoch: 0 }, orderNo),
    strategyId: MOMENTUM,
    token: TOKEN,
    side,
    quantity: quantity(qty),
    orderType: 'MARKET',
    validity: 'DAY',
    product: 'CNC',
    price: TICK.lastPrice,
    ...over,
  };
}

const broker = (config: Partial<PaperBrokerConfig> = {}): PaperBroker =>
  new PaperBroker({ charges: zerodhaCharges(), ...config }, new SimulatedClock(TICK.ts));

/** MIS orders, so SELLs need no holdings: these tests are about prices, not accounts. */
const mis = { product: 'MIS' } as const;

describe('PaperBroker market orders on the captured Kite book', () => {
  it('accepts and fills a BUY from the book with slippage and Zerodha CNC charges', () => {
    const b = broker();
    b.onTick(TICK, 7);
    const o = order('BUY', 100);
    const events = b.handle(o);
    // Book: 100 @ 157,370. Slippage 5 bps = 78.685 → 79: price 157,449.
    // Charges on 100 × 157,449 = 15,744,900: STT 15,745 + NSE 467.62 → 468 + SEBI 15.74 → 16
    // + stamp 2,361.74 → 2,362 + GST 18% × 483.37 = 87.01 → 87 = 18,678.
    expect(events).toEqual([
      {
        type: 'OrderAccepted',
        broker: 'paper',
        clientOrderId: o.clientOrderId,
        strategyId: MOMENTUM,
        token: TOKEN,
        brokerOrderId: 'PAPER0000000001',
      },
      {
        type: 'OrderFilled',
        broker: 'paper',
        clientOrderId: o.clientOrderId,
        strategyId: MOMENTUM,
        token: TOKEN,
        side: 'BUY',
        quantity: 100,
        price: 157_449,
        fees: 18_678,
        slippage: 79,
        tickSeq: 7,
        product: 'CNC',
      },
    ]);
    expect(OrderFilledSchema.safeParse(events[1]).success).toBe(true);
  });

  it('moves a SELL price down and reports slippage positive when worse than the reference', () => {
    const b = broker({ charges: { kind: 'flat', percent: 0.1 } });
    b.onTick(TICK, 1);
    // Book VWAP for 150 = 157,301; 5 bps = 78.65 → 79: price 157,222. Reference 157,370 → 148 worse.
    const [, filled] = b.handle(order('SELL', 150, mis));
    expect(filled).toMatchObject({ type: 'OrderFilled', price: 157_222, slippage: 148 });
    // A reference below the fill is a better outcome for a SELL: 157,000 − 157,222 = −222.
    const [, better] = b.handle(order('SELL', 150, { ...mis, price: paise(157_000) }));
    expect(better).toMatchObject({ price: 157_222, slippage: -222 });
  });

  it('reports BUY slippage negative when the fill beats the reference', () => {
    const b = broker({ slippageBps: 0 });
    b.onTick(TICK, 1);
    const [, filled] = b.handle(order('BUY', 100, { price: paise(157_400) }));
    expect(filled).toMatchObject({ price: 157_370, slippage: -30 });
  });

  it("uses the flat model, and charges each fill by its order's product", () => {
    const flat = broker({ slippageBps: 0, charges: { kind: 'flat', percent: 0.1 } });
    flat.onTick(TICK, 1);
    // 0.1% of 100 × 157,370 = 15,737.
    expect(flat.handle(order('BUY', 100))[1]).toMatchObject({ price: 157_370, fees: 15_737 });
    const b = broker({ slippageBps: 0, product: 'CNC' });
    b.onTick(TICK, 1);
    // MIS buy of 100 @ 157,370: 3,402 paise (worked in charges.test.ts).
    expect(b.handle(order('BUY', 100, mis))[1]).toMatchObject({ fees: 3_402, product: 'MIS' });
  });

  it('fills an order recorded without type, validity or product as MARKET DAY on the default product', () => {
    const b = broker({ slippageBps: 0, product: 'MIS' });
    b.onTick(TICK, 1);
    const { orderType: _t, validity: _v, product: _p, ...legacy } = order('SELL', 5);
    const events = b.handle(legacy as SubmitOrder);
    expect(events[1]).toMatchObject({ type: 'OrderFilled', quantity: 5, product: 'MIS' });
  });

  it('fills at LTP ± half spread when the tick has no depth', () => {
    const b = broker({ slippageBps: 0 });
    b.onTick({ ...TICK, bids: [], asks: [] }, 3);
    // half spread of 157,370 at 10 bps = 78.685 → 79.
    expect(b.handle(order('BUY', 10))[1]).toMatchObject({ price: 157_449, tickSeq: 3 });
    expect(b.handle(order('SELL', 10, mis))[1]).toMatchObject({ price: 157_291, tickSeq: 3 });
  });

  it('without partialFills, fills beyond depth at the last level', () => {
    const b = broker({ slippageBps: 0, partialFills: false });
    b.onTick(TICK, 1);
    const events = b.handle(order('BUY', 1_500));
    expect(events.map((e) => e.type)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(events[1]).toMatchObject({ quantity: 1_500, price: 157_389 });
  });

  it('by default (partialFills), fills what the book shows and cancels the rest', () => {
    const b = broker({ slippageBps: 0 });
    b.onTick(TICK, 4);
    const events = b.handle(order('BUY', 1_500));
    expect(events.map((e) => e.type)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderCanceled']);
    expect(events[1]).toMatchObject({ quantity: 1_383, price: 157_389, tickSeq: 4 });
    expect(events[2]).toMatchObject({
      type: 'OrderCanceled',
      quantity: 117,
      side: 'BUY',
      reason: expect.stringMatching(/^117 of 1500 unfilled/),
    });
  });

  it('rejects with NO_MARKET_DATA before any tick of the instrument, saying which and why', () => {
    const b = broker();
    b.onTick({ ...TICK, token: 738561 }, 1);
    const events = b.handle(order('BUY', 1));
    expect(events).toHaveLength(1);
    const [rejected] = events;
    expect(OrderRejectedSchema.safeParse(rejected).success).toBe(true);
    expect(rejected).toMatchObject({ type: 'OrderRejected', code: 'NO_MARKET_DATA', token: TOKEN });
    expect(rejected).toHaveProperty('detail', expect.stringContaining(`instrument ${TOKEN}`));
    expect(rejected).toHaveProperty('detail', expect.stringMatching(/no tick/));
  });

  it('accepts, then cancels in full, a market order whose side of the book is empty', () => {
    const b = broker();
    b.onTick({ ...TICK, asks: [] }, 9);
    const events = b.handle(order('BUY', 10));
    expect(events.map((e) => e.type)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(events[1]).toMatchObject({ quantity: 10 });
    expect(events[1]).toHaveProperty('reason', expect.stringContaining('showed only 0 (its asks)'));
  });

  it('never slips a SELL below 1 paisa', () => {
    const b = broker({ slippageBps: 9_999 });
    b.onTick({ ...TICK, bids: [{ price: paise(1), quantity: 10, orders: 1 }] }, 1);
    // 9,999 bps of 1 paisa = 0.9999 → 1: the SELL would get 0; it gets the least price, 1.
    expect(b.handle(order('SELL', 1, mis))[1]).toMatchObject({ price: 1, slippage: 157_369 });
  });

  it('keeps the newest tick by seq and ignores an older one', () => {
    const b = broker({ slippageBps: 0 });
    b.onTick(TICK, 10);
    b.onTick({ ...TICK, bids: [], asks: [], lastPrice: paise(100_000) }, 9);
    expect(b.handle(order('BUY', 1))[1]).toMatchObject({ price: 157_370, tickSeq: 10 });
    b.onTick({ ...TICK, asks: [{ price: paise(158_000), quantity: 5, orders: 1 }] }, 11);
    expect(b.handle(order('BUY', 1))[1]).toMatchObject({ price: 158_000, tickSeq: 11 });
  });

  it('trades an order answering a tick of the batch on that tick, then on the later ones', () => {
    const b = broker({ slippageBps: 0 });
    const at = (price: number, volume: number): MarketTick => ({
      ...TICK,
      volume,
      lastPrice: paise(price),
      bids: [{ price: paise(price - 5), quantity: 500, orders: 1 }],
      asks: [{ price: paise(price), quantity: 500, orders: 1 }],
    });
    // One delivery batch: seqs 20..22, asks 157,000, 158,000, 156,000.
    b.onTick(at(157_000, 1_000), 20, true);
    b.onTick(at(158_000, 2_000), 21);
    b.onTick(at(156_000, 3_000), 22);
    // A market order made from seq 20 fills on seq 20's book, not on the batch's last.
    expect(b.handle(order('BUY', 10, mis), 20)[1]).toMatchObject({ price: 157_000, tickSeq: 20 });
    // A limit at 156,500 from seq 20 rests, and fills when seq 22's ask crosses it.
    const limit = order('BUY', 10, { ...mis, orderType: 'LIMIT', limitPrice: paise(156_500) });
    const events = b.handle(limit, 20);
    expect(events.map((e) => e.type)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(events[1]).toMatchObject({ price: 156_000, tickSeq: 22 });
    // Without a tick of the batch (an operator's order), the last book.
    expect(b.handle(order('BUY', 10, mis), 30)[1]).toMatchObject({ price: 156_000, tickSeq: 22 });
    // The next batch starts afresh: seq 20 is no longer a book the broker holds.
    b.onTick(at(159_000, 4_000), 23, true);
    expect(b.handle(order('BUY', 10, mis), 20)[1]).toMatchObject({ price: 159_000, tickSeq: 23 });
  });

  it('numbers broker order ids with its prefix', () => {
    const b = broker({ brokerOrderIdPrefix: 'SIM-' });
    b.onTick(TICK, 1);
    expect(b.handle(order('BUY', 1))[0]).toMatchObject({ brokerOrderId: 'SIM-0000000001' });
    expect(b.handle(order('BUY', 1))[0]).toMatchObject({ brokerOrderId: 'SIM-0000000002' });
  });
});

/** A reproducible mixed session: ticks with and without depth, orders of both sides and sizes. */
function session(seed: number): { ticks: [MarketTick, number][]; orders: SubmitOrder[] } {
  const r = new SeededRandom(seed);
  const ticks: [MarketTick, number][] = [];
  const orders: SubmitOrder[] = [];
  let seq = 0;
  for (let i = 0; i < 200; i++) {
    const shift = (r.nextU32() % 400) * 5 - 1_000;
    const move = (l: DepthLevel): DepthLevel => ({ ...l, price: paise(l.price + shift) });
    const depth = r.next() < 0.8;
    ticks.push([
      {
        ...TICK,
        lastPrice: paise(TICK.lastPrice + shift),
        bids: depth ? TICK.bids.map(move) : [],
        asks: depth ? TICK.asks.map(move) : [],
      },
      ++seq,
    ]);
    orders.push(order(r.next() < 0.5 ? 'BUY' : 'SELL', 1 + (r.nextU32() % 2_000), mis));
  }
  return { ticks, orders };
}

function run(
  b: PaperBroker,
  s: ReturnType<typeof session>,
  from = 0,
  to = s.orders.length,
): OrderEvent[] {
  const out: OrderEvent[] = [];
  for (let i = from; i < to; i++) {
    const [tick, seq] = s.ticks[i]!;
    b.onTick(tick, seq);
    out.push(...b.handle(s.orders[i]!));
  }
  return out;
}

describe('PaperBroker determinism and recovery', () => {
  const s = session(42);
  const config: Partial<PaperBrokerConfig> = { product: 'MIS' };

  it('fills market orders the same way whatever the seed (the seed only places limits in queues)', () => {
    const a = run(broker({ ...config, seed: 1 }), s);
    const b = run(broker({ ...config, seed: 99 }), s);
    expect(a.length).toBeGreaterThanOrEqual(400);
    expect(b).toEqual(a);
  });

  it('continues identically after a JSON round trip of snapshot() into restore()', () => {
    const whole = run(broker(config), s);
    const first = broker(config);
    const head = run(first, s, 0, 120);
    const saved = JSON.parse(JSON.stringify(first.snapshot())) as ReturnType<
      PaperBroker['snapshot']
    >;
    const second = broker(config);
    second.restore(saved);
    expect(second.snapshot()).toEqual(first.snapshot());
    expect([...head, ...run(second, s, 120)]).toEqual(whole);
  });

  it('restores the order counter and last ticks', () => {
    const b = broker();
    b.onTick(TICK, 5);
    b.handle(order('BUY', 1));
    const snap = b.snapshot();
    expect(snap).toMatchObject({
      version: 2,
      ordersAccepted: 1,
      lastTicks: [{ seq: 5, tick: { token: TOKEN } }],
    });
    const c = broker();
    c.restore(snap);
    expect(c.handle(order('BUY', 1))).toMatchObject([
      { brokerOrderId: 'PAPER0000000002' },
      { tickSeq: 5 },
    ]);
  });

  it('refuses an invalid snapshot and keeps its state', () => {
    const b = broker();
    b.onTick(TICK, 5);
    const empty = { ...b.snapshot(), lastTicks: [] };
    expect(() => b.restore({ ...empty, ordersAccepted: 1.5 })).toThrow(
      /snapshot is invalid[^]*ordersAccepted/,
    );
    expect(() => b.restore({ ...empty, version: 1 })).toThrow(/snapshot is invalid[^]*version/);
    const dup = {
      ...empty,
      lastTicks: [
        { seq: 1, tick: TICK },
        { seq: 2, tick: TICK },
      ],
    };
    expect(() => b.restore(dup)).toThrow(/appears twice/);
    expect(b.snapshot().lastTicks).toHaveLength(1);
  });
});

describe('PaperBroker outputs', () => {
  it('emits only integers in every numeric field of every event', () => {
    const s = session(7);
    const events = [
      ...run(broker(), s),
      ...run(broker({ charges: { kind: 'flat', percent: 0.1 }, slippageBps: 7, spreadBps: 13 }), s),
    ];
    const numbers: number[] = [];
    const collect = (x: unknown): void => {
      if (typeof x === 'number') numbers.push(x);
      else if (x !== null && typeof x === 'object') Object.values(x).forEach(collect);
    };
    events.forEach(collect);
    expect(events.filter((e) => e.type === 'OrderFilled').length).toBeGreaterThan(300);
    expect(numbers.filter((n) => !Number.isSafeInteger(n))).toEqual([]);
    for (const e of events.filter((x) => x.type === 'OrderFilled')) {
      expect(OrderFilledSchema.safeParse(e).success).toBe(true);
    }
  });

  it('exports its defaults and refuses settings out of range', () => {
    expect(PAPER_DEFAULTS).toEqual({
      slippageBps: 5,
      product: 'CNC',
      spreadBps: 10,
      partialFills: true,
      brokerOrderIdPrefix: 'PAPER',
      tickSize: 5,
      seed: 0,
      latencyMs: 0,
      latencyJitterMs: 0,
      maxModifications: 25,
      bracketProtectionBps: 100,
    });
    expect(broker().config).toEqual({ ...PAPER_DEFAULTS, charges: zerodhaCharges() });
    expect(() => broker({ slippageBps: 2.5 })).toThrow(/slippageBps/);
    expect(() => broker({ spreadBps: -1 })).toThrow(/spreadBps/);
    expect(() => broker({ tickSize: 0 })).toThrow(/tickSize/);
    expect(() => broker({ charges: { kind: 'flat', percent: 0.123456 } })).toThrow(/percent/);
    expect(() => broker({ seed: 0.5 })).toThrow(RangeError);
    expect(() => broker({ seed: 0.5 })).toThrow(/seed/);
    expect(() => broker({ latencyMs: -1 })).toThrow(/latencyMs/);
    expect(() => broker({ latencyJitterMs: 1.5 })).toThrow(/latencyJitterMs/);
    expect(() => broker({ maxModifications: -1 })).toThrow(/maxModifications/);
    expect(() => broker({ bracketProtectionBps: 10_000 })).toThrow(/bracketProtectionBps/);
    expect(() => broker({ brokerOrderIdPrefix: 'a b' })).toThrow(/brokerOrderIdPrefix/);
    expect(() => broker({ partialFills: 'yes' as unknown as boolean })).toThrow(/partialFills/);
    expect(() => broker({ product: 'NRML' as 'MIS' })).toThrow(/product/);
    expect(() => broker({ charges: { kind: 'nse' } as unknown as ChargesModel })).toThrow(
      /paper broker charges/,
    );
  });
});
