/**
 * The Zerodha adapter's order path against a fake Kite server, under the faults Kite really
 * shows: updates out of order and twice, a timeout on placement, 429s, refused IPs and tokens,
 * and live placement switched off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  clientOrderIdOf,
  paise,
  quantity,
  strategyId,
  type OrderEvent,
  type SubmitOrder,
} from '../../src/model/index.js';
import { parseOrderUpdate } from '../../src/brokers/index.js';
import { ADANI, tickAt } from '../fake-kite/test-kit.js';
import { TOO_MANY_REQUESTS as busy } from '../fake-kite/index.js';
import { zerodhaRig, type ZerodhaRig } from '../helpers/zerodha-rig.js';

let rig: ZerodhaRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

let n = 0;
function order(over: Partial<SubmitOrder> = {}): SubmitOrder {
  n += 1;
  return {
    type: 'SubmitOrder',
    broker: 'zerodha',
    clientOrderId: clientOrderIdOf('zerodha', { nonce: 77, epoch: 0 }, n),
    strategyId: strategyId('s1'),
    token: ADANI.token,
    side: 'BUY',
    quantity: quantity(10),
    orderType: 'MARKET',
    validity: 'DAY',
    product: 'CNC',
    price: paise(100_000),
    protectionPrice: paise(102_000),
    ...over,
  };
}

const of = (events: readonly OrderEvent[], id: string) =>
  events.filter((e) => e.clientOrderId === id).map((e) => e.type);
const filled = (events: readonly OrderEvent[], id: string) =>
  events
    .filter((e) => e.clientOrderId === id && e.type === 'OrderFilled')
    .reduce((s, e) => s + (e as { quantity: number }).quantity, 0);

/** Waits (without sleeping a fixed time) until `cond` holds. */
async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Zerodha orders against a fake Kite server', () => {
  it('sends our client order id as the tag and market protection on a MARKET order', async () => {
    rig = await zerodhaRig();
    await rig.fake.tick(tickAt(1000));
    const o = order();
    await rig.broker.send(o);
    await rig.settle();
    const place = rig.fake.requests.find(
      (r) => r.method === 'POST' && r.path === '/orders/regular',
    );
    expect(place?.body).toMatchObject({ tag: o.clientOrderId, market_protection: '2' });
    expect(of(rig.events, o.clientOrderId)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(filled(rig.events, o.clientOrderId)).toBe(10);
  });

  it('a partial-fill update after the complete one, and duplicated updates, change nothing', async () => {
    rig = await zerodhaRig();
    rig.fake.updates.duplicate = true;
    rig.fake.updates.staleAfterComplete = true;
    await rig.fake.tick(tickAt(1000, 4));
    const { protectionPrice: _, ...market } = order();
    const o: SubmitOrder = { ...market, orderType: 'LIMIT', limitPrice: paise(100_010) };
    await rig.broker.send(o);
    await rig.settle();
    // The book had 4 shares: partly filled; then the rest on a later tick.
    await rig.fake.tick(tickAt(1000, 1000));
    await rig.settle();
    expect(filled(rig.events, o.clientOrderId)).toBe(10);
    const before = [...rig.events];
    // Every update the fake sent (duplicates, the stale partial one) replayed as hints.
    for (const book of rig.fake.orderBook()) rig.broker.hint(parseOrderUpdate(book));
    const stale = { ...rig.fake.orderBook()[0]!, status: 'OPEN', filled_quantity: 4 };
    rig.broker.hint(parseOrderUpdate(stale));
    rig.broker.hint(parseOrderUpdate(stale));
    await rig.settle();
    expect(rig.events).toEqual(before);
    expect(of(rig.events, o.clientOrderId).filter((t) => t === 'OrderAccepted')).toHaveLength(1);
  });

  it('a timeout on placement leaves the order IN_FLIGHT until the order book shows it: one order at Kite', async () => {
    rig = await zerodhaRig();
    await rig.fake.tick(tickAt(1000));
    rig.fake.script.place.push({ kind: 'timeout', placeAnyway: true });
    const o = order();
    await rig.broker.send(o);
    expect(rig.problems.map((p) => p.disposition)).toContain('ambiguous');
    await until(() => filled(rig!.events, o.clientOrderId) === 10, 'the order resolved by its tag');
    expect(of(rig.events, o.clientOrderId)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(rig.fake.orderBook().filter((k) => k.tag === o.clientOrderId)).toHaveLength(1);
    expect(rig.fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a timeout of an order that never reached Kite ends refused, never placed twice', async () => {
    rig = await zerodhaRig({ resolveForMs: 200 });
    rig.fake.script.place.push({ kind: 'timeout', placeAnyway: false });
    const o = order();
    await rig.broker.send(o);
    await until(() => of(rig!.events, o.clientOrderId).length > 0, 'the lookup to give up');
    expect(rig.events).toMatchObject([{ type: 'OrderRejected', code: 'BROKER_ERROR' }]);
    expect(rig.fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a 429 is retried after the window, and reported each time', async () => {
    rig = await zerodhaRig();
    await rig.fake.tick(tickAt(1000));
    rig.fake.script.place.push(busy, busy);
    const o = order();
    await rig.broker.send(o);
    await rig.settle();
    expect(rig.problems.filter((p) => p.disposition === 'rate-limited')).toHaveLength(2);
    expect(filled(rig.events, o.clientOrderId)).toBe(10);
    expect(rig.fake.orderBook()).toHaveLength(1);
  });

  it('an IP Kite refuses is reported as such and the order is refused', async () => {
    rig = await zerodhaRig();
    rig.fake.script.refuseIp = true;
    const o = order();
    await rig.broker.send(o);
    expect(rig.problems).toMatchObject([{ disposition: 'ip-not-allowed' }]);
    expect(rig.events).toMatchObject([{ type: 'OrderRejected', code: 'BROKER_ERROR' }]);
  });

  it('a token Kite refuses is reported as expired', async () => {
    rig = await zerodhaRig();
    rig.fake.expireTokens();
    await rig.broker.send(order());
    expect(rig.problems).toMatchObject([{ disposition: 'token-expired' }]);
  });

  it('with live placement off, no order request reaches Kite', async () => {
    rig = await zerodhaRig({ placementEnabled: false });
    for (let i = 0; i < 5; i++) await rig.broker.send(order());
    await rig.settle();
    expect(rig.fake.orderWrites()).toBe(0);
    expect(rig.events.map((e) => e.type)).toEqual(Array(5).fill('OrderRejected'));
  });

  it('while recovering (not live) nothing is sent', async () => {
    rig = await zerodhaRig();
    rig.broker.live = false;
    const o = order();
    expect(rig.broker.admit()).toBe(false);
    await rig.broker.send(o);
    await rig.settle();
    expect(rig.fake.orderWrites()).toBe(0);
    expect(rig.events).toEqual([]);
  });
});

describe("Zerodha's own MIS square-off", () => {
  const squareOff = {
    type: 'MarketTimerFired',
    kind: 'MIS_SQUARE_OFF',
    at: 0,
    tradingDay: '2026-01-05',
  } as const;

  it("gives each strategy its part of Kite's square-off order, once", async () => {
    rig = await zerodhaRig();
    await rig.fake.tick(tickAt(1000));
    const a = order({ product: 'MIS', quantity: quantity(6) });
    const b = order({ product: 'MIS', quantity: quantity(4), strategyId: strategyId('s2') });
    await rig.broker.send(a);
    await rig.broker.send(b);
    await rig.settle();
    const from = rig.events.length;
    await rig.fake.timer({ ...squareOff, at: Date.now() });
    await rig.settle();
    const closing = rig.events.slice(from);
    expect(closing.map((e) => [e.type, e.strategyId, 'quantity' in e ? e.quantity : null])).toEqual(
      [
        ['OrderAccepted', 's1', null],
        ['OrderFilled', 's1', 6],
        ['OrderAccepted', 's2', null],
        ['OrderFilled', 's2', 4],
      ],
    );
    for (const e of closing) expect(e.clientOrderId).toMatch(/^X[0-9A-Z]{17}$/);
    // Seen again (a hint, the next reconciliation, a restart seeded with flat positions): nothing.
    await rig.settle();
    for (const k of rig.fake.orderBook()) rig.broker.hint(parseOrderUpdate(k));
    await rig.settle();
    expect(rig.events.slice(from)).toEqual(closing);
  });

  it('leaves an MIS order that opens a position, or exceeds ours, to reconciliation', async () => {
    rig = await zerodhaRig();
    await rig.fake.tick(tickAt(1000));
    await rig.broker.send(order({ product: 'MIS', quantity: quantity(3) }));
    await rig.settle();
    rig.broker.seedMis({ s1: { [ADANI.token]: 1 } }); // the journal says 1 share is left
    const from = rig.events.length;
    await rig.fake.timer({ ...squareOff, at: Date.now() });
    await rig.settle();
    expect(rig.events.slice(from)).toMatchObject([
      { type: 'OrderAccepted', strategyId: 's1' },
      { type: 'OrderFilled', strategyId: 's1', quantity: 1 },
    ]);
  });
});
