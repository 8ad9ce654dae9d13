import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { kiteFixture } from '../../../test/helpers/fixtures.js';
import {
  kiteTimeMs,
  KiteParseError,
  parseHoldings,
  parseOrder,
  parseOrderId,
  parseOrders,
  parseOrderUpdate,
  parsePositions,
  parseProfile,
  parseSession,
  parseTrades,
  toPaise,
  verifyPostback,
} from './parse.js';

/** The `data` of a recorded success envelope. */
const data = (name: string): unknown => kiteFixture<{ data: unknown }>(name).data;
const clone = <T>(x: T): T => structuredClone(x);
type Raw = Record<string, unknown>;

/** Throws and returns the KiteParseError. */
function parseErrorOf(f: () => unknown): KiteParseError {
  try {
    f();
  } catch (e) {
    if (e instanceof KiteParseError) return e;
    throw e;
  }
  throw new Error('expected a KiteParseError');
}

describe('toPaise', () => {
  it('rounds, never truncates, and never gives -0', () => {
    expect(toPaise(156.7)).toBe(15670); // 156.7 * 100 is 15669.999999999998
    expect(toPaise(72.755)).toBe(7276);
    expect(toPaise(-629.2999999999993)).toBe(-62930);
    expect(Object.is(toPaise(-0.001), 0)).toBe(true);
  });

  it('throws outside the range of safe integers', () => {
    expect(() => toPaise(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => toPaise(1e20)).toThrow(RangeError);
  });
});

describe('kiteTimeMs', () => {
  it('reads a naive timestamp as IST', () => {
    expect(kiteTimeMs('2021-05-31 09:18:57')).toBe(Date.UTC(2021, 4, 31, 3, 48, 57));
    expect(kiteTimeMs('2021-01-01 00:00:00')).toBe(Date.UTC(2020, 11, 31, 18, 30, 0));
  });

  it.each(['2021-02-30 10:00:00', '16:00:36', '2021-05-31T09:18:57', '2021-05-31 24:00:00', ''])(
    'refuses %j',
    (s) => {
      expect(() => kiteTimeMs(s)).toThrow(KiteParseError);
    },
  );
});

describe('parseOrders (orders.json)', () => {
  const orders = parseOrders(data('orders.json'), 'GET /orders');

  it('reads every order', () => {
    expect(orders).toHaveLength(10);
    expect(orders[0]).toEqual({
      orderId: '100000000000000',
      status: 'CANCELLED',
      tag: null,
      exchange: 'CDS',
      tradingsymbol: 'USDINR21JUNFUT',
      token: 412675,
      side: 'BUY',
      orderType: 'LIMIT',
      product: 'NRML',
      validity: 'DAY',
      quantity: 1,
      filledQuantity: 0,
      pendingQuantity: 1,
      cancelledQuantity: 1,
      price: 7200,
      triggerPrice: 0,
      averagePrice: 0,
      marketProtection: 0,
      statusMessage: null,
      orderTimestamp: '2021-05-31 09:18:57',
      updatedAt: '2021-05-31 09:18:58',
    });
  });

  it('converts rupees to paise by rounding', () => {
    const tata = orders.find((o) => o.tradingsymbol === 'TATASTEEL');
    expect(tata).toMatchObject({ price: 15982, averagePrice: 15670, filledQuantity: 1 });
    expect(orders.find((o) => o.tradingsymbol === 'IOC')).toMatchObject({ price: 10940 });
  });

  it('keeps tags, rejection messages and a missing exchange update time', () => {
    const rejected = orders.find((o) => o.status === 'REJECTED');
    expect(rejected).toMatchObject({
      tag: 'icebergord',
      validity: 'TTL',
      updatedAt: null,
      statusMessage: expect.stringContaining('Insufficient funds') as unknown,
    });
    expect(orders[4]?.tag).toBe('connect test order1');
  });
});

describe('parseOrders (order_info.json: one order history)', () => {
  const history = parseOrders(data('order_info.json'), 'GET /orders/171229000724687');

  it('reads every state, with defaults for the fields history elements lack', () => {
    expect(history.map((o) => o.status)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'MODIFY VALIDATION PENDING',
      'MODIFY PENDING',
      'MODIFIED',
      'OPEN',
    ]);
    for (const o of history) expect(o).toMatchObject({ updatedAt: null, marketProtection: 0 });
    expect(history.at(-1)).toMatchObject({ price: 30010, orderTimestamp: '2017-12-29 11:08:16' });
  });
});

describe('parseTrades', () => {
  it('reads order_trades.json', () => {
    expect(parseTrades(data('order_trades.json'), 'GET /orders/x/trades')).toEqual([
      {
        tradeId: '10000000',
        orderId: '200000000000000',
        token: 58424839,
        exchange: 'MCX',
        tradingsymbol: 'GOLDPETAL21JUNFUT',
        product: 'NRML',
        side: 'BUY',
        quantity: 1,
        price: 485200,
        filledAt: '2021-05-31 16:00:36',
      },
    ]);
  });

  it('reads trades.json', () => {
    const trades = parseTrades(data('trades.json'), 'GET /trades');
    expect(trades.map((t) => [t.tradeId, t.price])).toEqual([
      ['10000000', 42065],
      ['40000000', 7276],
      ['70000000', 485200],
      ['90000000', 485200],
    ]);
  });
});

describe('parsePositions (positions.json)', () => {
  it('reads net and day positions, short quantities and losses', () => {
    const { net, day } = parsePositions(data('positions.json'), 'GET /portfolio/positions');
    expect(net).toHaveLength(3);
    expect(day).toHaveLength(3);
    expect(net[0]).toEqual({
      token: 53496327,
      exchange: 'MCX',
      tradingsymbol: 'LEADMINI17DECFUT',
      product: 'NRML',
      quantity: 1,
      averagePrice: 16105,
      lastPrice: 16105,
      pnl: 0,
    });
    expect(day[0]).toMatchObject({ quantity: -3, averagePrice: 2334000, pnl: -9300 });
  });
});

describe('parseHoldings (holdings.json)', () => {
  it('reads holdings', () => {
    expect(parseHoldings(data('holdings.json'), 'GET /portfolio/holdings')).toEqual([
      {
        token: 263681,
        exchange: 'NSE',
        tradingsymbol: 'AARON',
        quantity: 1,
        t1Quantity: 0,
        averagePrice: 16100,
        lastPrice: 35295,
      },
      {
        token: 128028676,
        exchange: 'BSE',
        tradingsymbol: 'SBIN',
        quantity: 16,
        t1Quantity: 0,
        averagePrice: 80178,
        lastPrice: 76245,
      },
    ]);
  });
});

describe('parseSession and parseProfile', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('reads generate_session.json', () => {
    expect(parseSession(data('generate_session.json'), 'POST /session/token')).toEqual({
      userId: 'XX0000',
      accessToken: 'XXXXXX',
      publicToken: 'XXXXXXXX',
      loginTime: '2021-01-01 16:15:14',
      apiKey: 'XXXXXX',
    });
  });

  it.each([
    ['Asia/Kolkata', '2021-01-01T10:45:14.000Z'],
    ['UTC', '2021-01-01T16:15:14.000Z'],
    ['America/New_York', '2021-01-01T21:15:14.000Z'],
  ])("restores Kite's string from kiteconnect's Date on a host in %s", (zone, instant) => {
    process.env.TZ = zone;
    const raw = clone(data('generate_session.json')) as Raw;
    // What kiteconnect's formatGenerateSession does to login_time: a host-local reading.
    raw.login_time = new Date(raw.login_time as string);
    expect((raw.login_time as Date).toISOString()).toBe(instant);
    expect(parseSession(raw, 'POST /session/token').loginTime).toBe('2021-01-01 16:15:14');
    const order = clone((data('orders.json') as Raw[])[0]) as Raw;
    order.order_timestamp = new Date(order.order_timestamp as string);
    expect(parseOrder(order, 'GET /orders').orderTimestamp).toBe('2021-05-31 09:18:57');
  });

  it('refuses an invalid Date', () => {
    const raw = clone(data('generate_session.json')) as Raw;
    raw.login_time = new Date(Number.NaN);
    expect(parseErrorOf(() => parseSession(raw, 'POST /session/token')).field).toBe('login_time');
  });

  it('reads profile.json', () => {
    expect(parseProfile(data('profile.json'), 'GET /user/profile')).toEqual({
      userId: 'AB1234',
      userName: 'AxAx Bxx',
    });
  });

  it('reads an order id answer', () => {
    expect(parseOrderId(data('order_response.json'), 'POST /orders/regular')).toBe(
      '151220000000000',
    );
  });
});

describe('parse errors', () => {
  it('name where the payload came from, the bad field and what it held', () => {
    const raw = clone(data('orders.json')) as Raw[];
    (raw[3] as Raw).transaction_type = 'HOLD';
    const e = parseErrorOf(() => parseOrders(raw, 'GET /orders'));
    expect(e.where).toBe('GET /orders');
    expect(e.field).toBe('[3].transaction_type');
    expect(e.message).toMatch(/^GET \/orders: field \[3\]\.transaction_type: .*received "HOLD"/);
  });

  it.each([
    ['instrument_token', undefined, 'nothing'],
    ['price', '100.5', '"100.5"'],
    ['quantity', 1.5, '1.5'],
    ['order_timestamp', '31/05/2021', '"31/05/2021"'],
  ])('refuses an order whose %s is %j', (field, value, shown) => {
    const raw = clone((data('orders.json') as Raw[])[1]) as Raw;
    if (value === undefined) delete raw[field];
    else raw[field] = value;
    const e = parseErrorOf(() => parseOrder(raw, 'postback'));
    expect(e.field).toBe(field);
    expect(e.message).toContain(`received ${shown}`);
  });

  it('refuses something that is not a list', () => {
    expect(parseErrorOf(() => parseTrades({ data: [] }, 'GET /trades')).field).toBe('(value)');
  });
});

describe('postbacks and ticker order updates (postback.json)', () => {
  const SECRET = 'test-api-secret';
  const signed = (secret: string): Raw => {
    const raw = clone(kiteFixture<Raw>('postback.json'));
    const input = `${raw.order_id as string}${raw.order_timestamp as string}${secret}`;
    raw.checksum = createHash('sha256').update(input).digest('hex');
    return raw;
  };

  it('accepts a postback signed with our secret, and parses its order', () => {
    const r = verifyPostback(signed(SECRET), SECRET);
    expect(r).toEqual({
      ok: true,
      order: expect.objectContaining({
        orderId: '220303000308932',
        status: 'COMPLETE',
        side: 'BUY',
        filledQuantity: 1,
        averagePrice: 47000,
        updatedAt: '2022-03-03 09:24:25',
      }) as unknown,
    });
  });

  it('accepts an upper-case hex checksum', () => {
    const raw = signed(SECRET);
    raw.checksum = (raw.checksum as string).toUpperCase();
    expect(verifyPostback(raw, SECRET).ok).toBe(true);
  });

  it('refuses the recorded postback with our secret, and one signed with another secret', () => {
    expect(verifyPostback(kiteFixture('postback.json'), SECRET).ok).toBe(false);
    const r = verifyPostback(signed('another-secret'), SECRET);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('checksum does not match') });
  });

  it.each([
    ['order_id', '220303000308933'],
    ['order_timestamp', '2022-03-03 09:24:26'],
  ])('refuses a postback whose signed field %s was altered', (field, value) => {
    const raw = signed(SECRET);
    raw[field] = value;
    expect(verifyPostback(raw, SECRET).ok).toBe(false);
  });

  it("does not protect other fields: Kite's checksum covers only order_id and order_timestamp", () => {
    const raw = signed(SECRET);
    raw.average_price = 1;
    const r = verifyPostback(raw, SECRET);
    expect(r.ok && r.order.averagePrice).toBe(100);
  });

  it.each([
    ['no checksum', (r: Raw) => delete r.checksum, 'checksum'],
    ['a short checksum', (r: Raw) => (r.checksum = 'abc'), 'does not match'],
    ['a non-hex checksum', (r: Raw) => (r.checksum = 'z'.repeat(64)), 'does not match'],
    ['no order id', (r: Raw) => delete r.order_id, 'order_id'],
    ['a bad side', (r: Raw) => (r.transaction_type = 'X'), 'transaction_type'],
  ])('refuses a postback with %s', (_name, change, reason) => {
    const raw = signed(SECRET);
    change(raw);
    const r = verifyPostback(raw, SECRET);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('refuses to verify without a secret, and refuses a non-object', () => {
    expect(verifyPostback(signed(''), '').ok).toBe(false);
    expect(verifyPostback('not json', SECRET).ok).toBe(false);
    expect(verifyPostback(null, SECRET).ok).toBe(false);
  });

  it('parses a ticker order update without a checksum', () => {
    const raw = clone(kiteFixture<Raw>('postback.json'));
    delete raw.checksum;
    expect(parseOrderUpdate(raw)).toMatchObject({ orderId: '220303000308932', token: 779521 });
    expect(() => parseOrderUpdate({ ...raw, status: 7 })).toThrow(
      /ticker order update: field status/,
    );
  });
});
