/** The fake Kite server driven by the official kiteconnect REST client: login, orders, portfolio. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeKite } from './index.js';
import { ADANI, kiteClient, kiteError, limitBuy as buyAt, tickAt } from './test-kit.js';

let fake: FakeKite;
let kc: ReturnType<typeof kiteClient>;

beforeEach(async () => {
  fake = await FakeKite.start({
    holdings: [{ tradingsymbol: 'ARMANFIN', quantity: 10, averagePrice: 200 }],
  });
  kc = kiteClient(fake);
});
afterEach(() => fake.close());

const limitBuy = (price: number, extra: Record<string, unknown> = {}) => buyAt(kc, price, extra);

describe('FakeKite sessions', () => {
  it('logs in: the login page redirects with a request token the client exchanges once', async () => {
    const res = await fetch(`${fake.loginUrl}?api_key=${fake.apiKey}&v=3`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.searchParams.get('action')).toBe('login');
    expect(to.searchParams.get('status')).toBe('success');
    const requestToken = to.searchParams.get('request_token')!;
    const client = kiteClient(fake, { token: false });
    const session = await client.generateSession(requestToken, fake.apiSecret);
    expect(session.access_token).toMatch(/^[0-9a-f]{32}$/);
    expect(session.api_key).toBe(fake.apiKey);
    expect((await client.getProfile()).user_id).toBe('AB1234');
    const again = await kiteError(client.generateSession(requestToken, fake.apiSecret));
    expect(again.error_type).toBe('TokenException');
    const fresh = new URL(
      (await fetch(`${fake.loginUrl}?api_key=${fake.apiKey}`, { redirect: 'manual' })).headers.get(
        'location',
      )!,
    ).searchParams.get('request_token')!;
    expect((await kiteError(client.generateSession(fresh, 'wrong-secret'))).error_type).toBe(
      'TokenException',
    );
  });

  it('answers 403 TokenException without a token, and for every token after expireTokens()', async () => {
    const anonymous = kiteClient(fake, { token: false });
    const res = await fetch(`${fake.restUrl}/orders`, { headers: { 'X-Kite-Version': '3' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({
      status: 'error',
      message: 'Incorrect `api_key` or `access_token`.',
      error_type: 'TokenException',
      data: null,
    });
    expect((await kiteError(anonymous.getOrders())).error_type).toBe('TokenException');
    await kc.getOrders();
    fake.expireTokens();
    const expired = await kiteError(kc.getOrders());
    expect(expired).toMatchObject({
      error_type: 'TokenException',
      message: 'Incorrect `api_key` or `access_token`.',
    });
    kc.setAccessToken(fake.issueToken());
    expect(await kc.getOrders()).toEqual([]);
  });

  it('sends Kite its headers and form-encoded bodies, all of them recorded', async () => {
    await fake.tick(tickAt(100));
    await limitBuy(99.5, { tag: 'T1' });
    const post = fake.requests.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/orders/regular');
    expect(post.body).toMatchObject({
      tradingsymbol: 'ADANIPORTS',
      price: '99.5',
      tag: 'T1',
      variety: 'regular',
    });
    expect(fake.orderWrites()).toBe(1);
  });
});

describe('FakeKite orders', () => {
  it('rests a LIMIT BUY as OPEN and fills it on a tick that crosses it, keeping its history', async () => {
    await fake.tick(tickAt(100));
    const { order_id } = await limitBuy(99, { tag: 'Zabc123' });
    expect(fake.orderBook()[0]).toMatchObject({
      order_id,
      status: 'OPEN',
      tag: 'Zabc123',
      price: 99,
      pending_quantity: 10,
    });
    await fake.tick(tickAt(98.9));
    const [o] = await kc.getOrders();
    // The resting limit fills at the better ask the market moved to (the paper engine's model).
    expect(o).toMatchObject({
      status: 'COMPLETE',
      filled_quantity: 10,
      pending_quantity: 0,
      average_price: 98.95,
    });
    const history = await kc.getOrderHistory(order_id);
    expect(history.map((h) => h.status)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'COMPLETE',
    ]);
    const trades = await kc.getOrderTrades(order_id);
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({
      order_id,
      quantity: 10,
      average_price: 98.95,
      transaction_type: 'BUY',
    });
    expect(await kc.getTrades()).toHaveLength(1);
    const { net } = await kc.getPositions();
    expect(net[0]).toMatchObject({
      tradingsymbol: 'ADANIPORTS',
      product: 'CNC',
      quantity: 10,
      buy_price: 98.95,
      last_price: 98.9,
    });
  });

  it('fills a MARKET order with market protection at once, with unique trade ids', async () => {
    await fake.tick(tickAt(100, 5));
    const { order_id } = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: ADANI.symbol,
      transaction_type: 'BUY',
      quantity: 8,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: 2,
    });
    const o = fake.orderBook()[0]!;
    expect(o).toMatchObject({
      order_id,
      status: 'CANCELLED',
      filled_quantity: 5,
      cancelled_quantity: 3,
    });
    await fake.tick(tickAt(100, 5));
    await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: ADANI.symbol,
      transaction_type: 'BUY',
      quantity: 5,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: 2,
    });
    const ids = (await kc.getTrades()).map((t) => t.trade_id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it.each([
    ['a LIMIT without price', { order_type: 'LIMIT' }, /price/],
    ['a price off the 5-paise tick', { order_type: 'LIMIT', price: 100.02 }, /tick size/],
    ['quantity 0', { order_type: 'LIMIT', price: 100, quantity: 0 }, /quantity/],
    [
      'an unknown tradingsymbol',
      { order_type: 'LIMIT', price: 100, tradingsymbol: 'NOPE' },
      /tradingsymbol/,
    ],
    ['a MARKET without market_protection', { order_type: 'MARKET' }, /market_protection/],
    [
      'a MARKET with market_protection 0',
      { order_type: 'MARKET', market_protection: 0 },
      /market_protection/,
    ],
    [
      'an SL-M without market_protection',
      { order_type: 'SL-M', trigger_price: 101 },
      /market_protection/,
    ],
  ])('refuses %s with 400 InputException and creates no order', async (_, fields, message) => {
    await fake.tick(tickAt(100));
    const e = await kiteError(
      kc.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: ADANI.symbol,
        transaction_type: 'BUY',
        quantity: 1,
        product: 'CNC',
        ...fields,
      }),
    );
    expect(e.error_type).toBe('InputException');
    expect(e.message).toMatch(message);
    expect(fake.orderBook()).toEqual([]);
    const raw = await fetch(`${fake.restUrl}/orders/regular`, {
      method: 'POST',
      headers: {
        authorization: `token ${fake.apiKey}:${fake.issueToken()}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'exchange=NSE&tradingsymbol=ADANIPORTS&transaction_type=BUY&quantity=1&product=CNC&order_type=LIMIT',
    });
    expect(raw.status).toBe(400);
  });

  it('cancels an open order, then refuses to cancel or modify it again, naming its state', async () => {
    await fake.tick(tickAt(100));
    const { order_id } = await limitBuy(95);
    expect(await kc.cancelOrder('regular', order_id)).toEqual({ order_id });
    const [o] = await kc.getOrders();
    expect(o).toMatchObject({ status: 'CANCELLED', cancelled_quantity: 10, status_message: null });
    const history = (await kc.getOrderHistory(order_id)).map((h) => h.status);
    expect(history.slice(-2)).toEqual(['CANCEL PENDING', 'CANCELLED']);
    const again = await kiteError(kc.cancelOrder('regular', order_id));
    expect(again).toMatchObject({ error_type: 'InputException' });
    expect(again.message).toMatch(/CANCELLED/);
    expect((await kiteError(kc.modifyOrder('regular', order_id, { price: 96 }))).message).toMatch(
      /CANCELLED/,
    );
    expect((await kiteError(kc.cancelOrder('regular', '999'))).error_type).toBe('InputException');
    expect((await kiteError(kc.getOrderHistory('999'))).error_type).toBe('InputException');
  });

  it('modifies an open order: its price changes, and it fills at the new price', async () => {
    await fake.tick(tickAt(100));
    const { order_id } = await limitBuy(95);
    await kc.modifyOrder('regular', order_id, { price: 100.05, order_type: 'LIMIT' });
    const [o] = await kc.getOrders();
    expect(o).toMatchObject({
      status: 'COMPLETE',
      price: 100.05,
      modified: true,
      filled_quantity: 10,
    });
    const statuses = (await kc.getOrderHistory(order_id)).map((h) => h.status);
    expect(statuses.slice(4)).toEqual([
      'MODIFY VALIDATION PENDING',
      'MODIFY PENDING',
      'MODIFIED',
      'OPEN',
      'COMPLETE',
    ]);
    const done = await kiteError(kc.modifyOrder('regular', order_id, { price: 99 }));
    expect(done.message).toMatch(/COMPLETE/);
  });

  it('keeps an SL-M as TRIGGER PENDING until the last price crosses its trigger', async () => {
    await fake.tick(tickAt(100));
    const { order_id } = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: ADANI.symbol,
      transaction_type: 'BUY',
      quantity: 3,
      product: 'MIS',
      order_type: 'SL-M',
      trigger_price: 101,
      market_protection: 1,
    });
    expect(fake.orderBook()[0]).toMatchObject({
      order_id,
      status: 'TRIGGER PENDING',
      trigger_price: 101,
    });
    await fake.tick(tickAt(100.5));
    expect(fake.orderBook()[0]!['status']).toBe('TRIGGER PENDING');
    await fake.tick(tickAt(101.1));
    expect(fake.orderBook()[0]).toMatchObject({ status: 'COMPLETE', filled_quantity: 3 });
  });

  it('accepts then rejects a CNC SELL beyond the holdings, saying "holdings"; sells what is held', async () => {
    await fake.tick(tickAt(100));
    const { order_id } = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: ADANI.symbol,
      transaction_type: 'SELL',
      quantity: 1,
      product: 'CNC',
      order_type: 'LIMIT',
      price: 100,
    });
    const [o] = await kc.getOrders();
    expect(o).toMatchObject({ order_id, status: 'REJECTED', exchange_order_id: null });
    expect(o!.status_message).toMatch(/holdings/);
    await fake.tick(tickAt(250, 1000, 4419329));
    await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'ARMANFIN',
      transaction_type: 'SELL',
      quantity: 4,
      product: 'CNC',
      order_type: 'LIMIT',
      price: 249,
    });
    expect(fake.orderBook()[1]).toMatchObject({ status: 'COMPLETE', filled_quantity: 4 });
    const [h] = await kc.getHoldings();
    expect(h).toMatchObject({
      tradingsymbol: 'ARMANFIN',
      quantity: 10,
      used_quantity: 4,
      average_price: 200,
      last_price: 250,
    });
  });

  it('rejects a BUY beyond the starting cash after accepting it', async () => {
    await fake.close();
    fake = await FakeKite.start({ startingCash: 1000 });
    kc = kiteClient(fake);
    await fake.tick(tickAt(100));
    await limitBuy(99.5, { quantity: 5 });
    const { order_id } = await limitBuy(50.3);
    expect(fake.orderBook()[1]).toMatchObject({ order_id, status: 'REJECTED' });
    expect(fake.orderBook()[1]!['status_message']).toMatch(
      /Insufficient funds. Required margin is 503.00 but available margin is 502.50/,
    );
  });

  it('expires DAY orders at SESSION_CLOSE and squares off MIS positions with orders of its own', async () => {
    await fake.tick(tickAt(100));
    await limitBuy(95);
    await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: ADANI.symbol,
      transaction_type: 'BUY',
      quantity: 2,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: 1,
    });
    const at = tickAt(100).ts;
    await fake.timer({
      type: 'MarketTimerFired',
      kind: 'MIS_SQUARE_OFF',
      at,
      tradingDay: '2025-01-06',
    });
    await fake.timer({
      type: 'MarketTimerFired',
      kind: 'SESSION_CLOSE',
      at: at + 1,
      tradingDay: '2025-01-06',
    });
    const book = await kc.getOrders();
    expect(book.map((o) => [o['product'], o['transaction_type'], o['status']])).toEqual([
      ['CNC', 'BUY', 'CANCELLED'],
      ['MIS', 'BUY', 'COMPLETE'],
      ['MIS', 'SELL', 'COMPLETE'],
    ]);
    expect(book[0]!['status_message']).toBe('expired at the close');
    expect((await kc.getPositions()).net[0]).toMatchObject({ product: 'MIS', quantity: 0 });
  });

  it('serves the instrument dump as text/csv, all and by exchange', async () => {
    const all = (await kc.getInstruments()) as unknown as Record<string, unknown>[];
    const nse = (await kc.getInstruments('NSE')) as unknown as Record<string, unknown>[];
    const bse = (await kc.getInstruments('BSE')) as unknown as Record<string, unknown>[];
    expect(all.filter((i) => i['tradingsymbol'])).toHaveLength(99);
    expect(nse.find((i) => i['tradingsymbol'] === 'ADANIPORTS')).toMatchObject({ tick_size: 0.05 });
    expect(bse.filter((i) => i['tradingsymbol']).every((i) => i['exchange'] === 'BSE')).toBe(true);
    const res = await fetch(`${fake.restUrl}/instruments`, {
      headers: { authorization: `token ${fake.apiKey}:${fake.issueToken()}` },
    });
    expect(res.headers.get('content-type')).toBe('text/csv');
  });
});
