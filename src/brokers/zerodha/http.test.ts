import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { kiteFixtureText } from '../../../test/helpers/fixtures.js';
import { paise } from '../../model/index.js';
import { KiteError } from './errors.js';
import { KiteRest, type KitePlaceOrder } from './http.js';

/** One request the fake Kite server received. */
interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}

type Handler = (res: ServerResponse) => void;

const json =
  (status: number, body: string): Handler =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  };
const fixture = (name: string): Handler => json(200, kiteFixtureText(name));
const csv =
  (name: string): Handler =>
  (res) => {
    res.writeHead(200, { 'content-type': 'text/csv' }).end(kiteFixtureText(name));
  };
const kiteError = (status: number, errorType: string, message: string): Handler =>
  json(status, JSON.stringify({ status: 'error', message, data: null, error_type: errorType }));

/** Kite's answers by "METHOD /path" (order ids replaced by :id). */
const ROUTES: Record<string, Handler> = {
  'POST /session/token': fixture('generate_session.json'),
  'GET /user/profile': fixture('profile.json'),
  'POST /orders/regular': fixture('order_response.json'),
  'PUT /orders/regular/:id': fixture('order_modify.json'),
  'DELETE /orders/regular/:id': fixture('order_cancel.json'),
  'GET /orders': fixture('orders.json'),
  'GET /orders/:id': fixture('order_info.json'),
  'GET /orders/:id/trades': fixture('order_trades.json'),
  'GET /trades': fixture('trades.json'),
  'GET /portfolio/positions': fixture('positions.json'),
  'GET /portfolio/holdings': fixture('holdings.json'),
  'GET /instruments': csv('instruments_all.csv'),
  'GET /instruments/NSE': csv('instruments_nse.csv'),
};

let server: Server;
let root = '';
const seen: Seen[] = [];
/** When set, answers every request instead of ROUTES. */
let override: Handler | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      });
      if (override) return override(res);
      const key = `${req.method} ${url.pathname.replace(/\/\d+(?=\/|$)/, '/:id')}`;
      const route = ROUTES[key];
      if (route) route(res);
      else kiteError(404, 'GeneralException', `no route ${key}`)(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  override = null;
});

const LOGIN = 'https://kite.zerodha.com/connect/login';
function client(timeoutMs = 2_000): KiteRest {
  const kite = new KiteRest({ apiKey: 'key1', root, loginUrl: LOGIN, timeoutMs });
  kite.setAccessToken('tok1');
  return kite;
}

/** Awaits a call that must fail, and returns its KiteError. */
async function failure(p: Promise<unknown>): Promise<KiteError> {
  const e = await p.then(
    () => new Error('expected the call to fail'),
    (err: unknown) => err,
  );
  if (!(e instanceof KiteError)) throw e;
  return e;
}

const ORDER: KitePlaceOrder = {
  exchange: 'NSE',
  tradingsymbol: 'SBIN',
  transactionType: 'BUY',
  quantity: 3,
  product: 'MIS',
  orderType: 'SL',
  validity: 'DAY',
  price: paise(100005),
  triggerPrice: paise(99_990),
  marketProtection: 2,
  tag: 'AP0000000000000001',
};

describe('KiteRest: requests', () => {
  it('places an order with rupee prices, the tag, market protection and the auth header', async () => {
    expect(await client().placeOrder(ORDER)).toBe('151220000000000');
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/orders/regular');
    expect(req.headers.authorization).toBe('token key1:tok1');
    expect(req.headers['x-kite-version']).toBe('3');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(req.form)).toEqual({
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'BUY',
      quantity: '3',
      product: 'MIS',
      order_type: 'SL',
      validity: 'DAY',
      price: '1000.05',
      trigger_price: '999.90',
      market_protection: '2',
      tag: 'AP0000000000000001',
      variety: 'regular',
    });
  });

  it('leaves out prices a market order does not have', async () => {
    const { price: _p, triggerPrice: _t, marketProtection: _m, ...market } = ORDER;
    await client().placeOrder({ ...market, orderType: 'MARKET' });
    const form = seen[0]!.form;
    expect(form.has('price') || form.has('trigger_price') || form.has('market_protection')).toBe(
      false,
    );
  });

  it('modifies and cancels a regular order', async () => {
    const kite = client();
    expect(await kite.modifyOrder('151220000000000', { price: paise(100010), quantity: 2 })).toBe(
      '151220000000000',
    );
    expect(await kite.cancelOrder('151220000000000')).toBe('151220000000000');
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'PUT /orders/regular/151220000000000',
      'DELETE /orders/regular/151220000000000',
    ]);
    expect(seen[0]!.form.get('price')).toBe('1000.10');
    expect(seen[0]!.form.get('quantity')).toBe('2');
  });

  it('generates a session with the checksum, then sends its access token', async () => {
    const kite = new KiteRest({ apiKey: 'key1', root, loginUrl: LOGIN, timeoutMs: 2_000 });
    expect(kite.loginUrl()).toBe(`${LOGIN}?api_key=key1&v=3`);
    const session = await kite.generateSession('req1', 'secret1');
    expect(session).toEqual({
      userId: 'XX0000',
      accessToken: 'XXXXXX',
      publicToken: 'XXXXXXXX',
      loginTime: '2021-01-01 16:15:14',
      apiKey: 'XXXXXX',
    });
    const sent = seen[0]!;
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.form.get('request_token')).toBe('req1');
    expect(sent.form.get('checksum')).toBe(
      createHash('sha256').update('key1req1secret1').digest('hex'),
    );
    expect(await kite.profile()).toEqual({ userId: 'AB1234', userName: 'AxAx Bxx' });
    expect(seen[1]!.headers.authorization).toBe('token key1:XXXXXX');
  });

  it('reads orders, history, trades, positions and holdings, timestamps as Kite sent them', async () => {
    const kite = client();
    const orders = await kite.orders();
    expect(orders).toHaveLength(10);
    expect(orders[0]).toMatchObject({ orderTimestamp: '2021-05-31 09:18:57', price: 7200 });
    const history = await kite.orderHistory('171229000724687');
    expect(history.at(-1)).toMatchObject({ status: 'OPEN', price: 30010 });
    const fills = await kite.orderTrades('200000000000000');
    expect(fills).toEqual([
      expect.objectContaining({ price: 485200, filledAt: '2021-05-31 16:00:36' }),
    ]);
    expect((await kite.trades()).map((t) => t.price)).toEqual([42065, 7276, 485200, 485200]);
    const { net, day } = await kite.positions();
    expect([net.length, day[0]?.pnl]).toEqual([3, -9300]);
    expect((await kite.holdings()).map((h) => h.averagePrice)).toEqual([16100, 80178]);
    expect(seen.map((s) => s.path)).toEqual([
      '/orders',
      '/orders/171229000724687',
      '/orders/200000000000000/trades',
      '/trades',
      '/portfolio/positions',
      '/portfolio/holdings',
    ]);
  });

  it('returns the instruments CSV as text', async () => {
    const kite = client();
    expect(await kite.instruments('NSE')).toBe(kiteFixtureText('instruments_nse.csv'));
    expect(await kite.instruments()).toBe(kiteFixtureText('instruments_all.csv'));
  });
});

describe('KiteRest: failures', () => {
  it.each([
    [
      '403 TokenException',
      kiteError(403, 'TokenException', 'Incorrect `api_key` or `access_token`.'),
      403,
      'TokenException',
      'token-expired',
    ],
    [
      '403 PermissionException about the IP',
      kiteError(403, 'PermissionException', 'IP not allowed. Whitelist 203.0.113.7 for this app.'),
      403,
      'PermissionException',
      'ip-not-allowed',
    ],
    [
      '403 PermissionException',
      kiteError(403, 'PermissionException', 'Insufficient permission for that call.'),
      403,
      'PermissionException',
      'rejected',
    ],
    [
      '400 InputException',
      kiteError(400, 'InputException', 'Invalid `tradingsymbol`.'),
      400,
      'InputException',
      'rejected',
    ],
    [
      '400 MarginException',
      kiteError(400, 'MarginException', 'Insufficient funds.'),
      400,
      'MarginException',
      'rejected',
    ],
    [
      '429',
      json(429, '{"status":"error","message":"Too many requests","error_type":"NetworkException"}'),
      429,
      'NetworkException',
      'rate-limited',
    ],
    [
      '503 NetworkException',
      kiteError(503, 'NetworkException', 'OMS unreachable'),
      503,
      'NetworkException',
      'ambiguous',
    ],
    [
      '502 with an HTML body',
      (res: ServerResponse) =>
        res
          .writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' })
          .end('<html><body><h1>502 Bad Gateway</h1></body></html>'),
      502,
      'NetworkException',
      'ambiguous',
    ],
    [
      '200 with an HTML body',
      (res: ServerResponse) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>'),
      200,
      'DataException',
      'ambiguous',
    ],
    [
      '200 Kite error envelope',
      kiteError(200, 'OrderException', 'odd'),
      200,
      'OrderException',
      'ambiguous',
    ],
  ] as const)(
    '%s: a KiteError with its status',
    async (_name, handler, status, errorType, disposition) => {
      override = handler;
      const e = await failure(client().placeOrder(ORDER));
      expect({ status: e.status, errorType: e.errorType, disposition: e.disposition }).toEqual({
        status,
        errorType,
        disposition,
      });
      expect(e.message).toMatch(/^POST \/orders\/regular: /);
    },
  );

  it('keeps the HTML error page short in the message', async () => {
    override = (res) =>
      res
        .writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' })
        .end(`<html>${'x'.repeat(500)}</html>`);
    const e = await failure(client().orders());
    expect(e.kiteMessage).toMatch(/^Bad Gateway: <html>x+\.\.\.$/);
    expect(e.kiteMessage.length).toBeLessThan(150);
  });

  it('turns no answer within timeoutMs into an ambiguous failure', async () => {
    override = () => undefined; // never answers
    const e = await failure(client(200).placeOrder(ORDER));
    expect(e).toMatchObject({
      status: null,
      errorType: 'NetworkException',
      networkCode: 'ECONNABORTED',
      disposition: 'ambiguous',
    });
    expect(seen).toHaveLength(1);
  });

  it('turns a dropped connection into an ambiguous failure', async () => {
    override = (res) => res.socket?.destroy();
    const e = await failure(client().cancelOrder('151220000000000'));
    expect(e).toMatchObject({ status: null, networkCode: 'ECONNRESET', disposition: 'ambiguous' });
  });

  it('turns a success it cannot read into an ambiguous DataException', async () => {
    override = json(200, '{"status":"success","data":[{"order_id":"1"}]}');
    const e = await failure(client().orders());
    expect(e).toMatchObject({ status: 200, errorType: 'DataException', disposition: 'ambiguous' });
    expect(e.message).toContain('GET /orders: field [0].status');
    override = json(200, '{"status":"success","data":{}}');
    expect((await failure(client().placeOrder(ORDER))).disposition).toBe('ambiguous');
  });

  it('refuses malformed arguments without sending anything', async () => {
    const kite = client();
    const refusals = [
      kite.placeOrder({ ...ORDER, price: 100.5 as typeof ORDER.price & number }),
      kite.placeOrder({ ...ORDER, quantity: 0 }),
      kite.modifyOrder('1/../../user', { quantity: 1 }),
      kite.cancelOrder('12?x=1'),
      kite.orderHistory(''),
      kite.instruments('nse/../x'),
    ];
    for (const p of refusals) {
      const e = await failure(p);
      expect(e).toMatchObject({
        status: null,
        errorType: 'InputException',
        disposition: 'rejected',
      });
    }
    expect(seen).toHaveLength(0);
  });

  it('refuses a timeout that is not a positive integer', () => {
    expect(() => new KiteRest({ apiKey: 'k', root, loginUrl: LOGIN, timeoutMs: 0 })).toThrow(
      RangeError,
    );
  });
});
