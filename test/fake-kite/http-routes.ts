/**
 * The fake's REST routes, as the kiteconnect client calls them (constants/index.js ROUTES), and
 * the scripted faults of POST /orders. A route answers JSON data (wrapped in Kite's success
 * envelope), a raw body, or `hold` (never answer); it throws KiteError to answer an error.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FakeExchange } from './exchange.js';
import { inputError, KiteError } from './kite-error.js';
import { INSTRUMENTS_CSV, NSE_DUMP, TEMPLATES } from './kite-fixtures.js';
import { historicalRoute } from './historical-route.js';
import { kiteTime } from './kite-time.js';
import { orderJson, setFields } from './order-json.js';
import { holdingsJson, positionsJson } from './portfolio-json.js';
import type { Sessions } from './sessions.js';

export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly form: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
}

export type Answer =
  | { readonly kind: 'json'; readonly data: unknown }
  | {
      readonly kind: 'raw';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
    }
  | { readonly kind: 'hold' };

/** What one POST /orders does: consumed one per request, in order. */
export type PlaceScript =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; errorType: string; message: string }
  | { kind: 'timeout'; placeAnyway: boolean }
  | { kind: 'delayReply'; ms: number };

/** Kite's answer when the account's order rate is spent: 429, nothing placed. */
export const TOO_MANY_REQUESTS: PlaceScript = {
  kind: 'status',
  status: 429,
  errorType: 'NetworkException',
  message: 'Too many requests',
};

export interface Script {
  /** One per POST /orders, first in first out; an empty list places normally. */
  place: PlaceScript[];
  /** Every order write answers 403 PermissionException. */
  refuseIp: boolean;
  /** The next this many historical-candle requests answer 429 "Too many requests". */
  throttleHistorical?: number;
}

export interface RouteDeps {
  readonly sessions: Sessions;
  readonly exchange: FakeExchange;
  readonly script: Script;
  readonly redirectUrl: string;
  /** Sends the order updates the book has produced. */
  flushUpdates(): Promise<void>;
  /** Resolves after `ms` unless the fake closes first. */
  wait(ms: number): Promise<void>;
}

export interface Route {
  readonly method: string;
  /** Path segments; `:name` binds a parameter. */
  readonly pattern: readonly string[];
  /** Needs `Authorization: token api_key:access_token`. */
  readonly auth: boolean;
  handle(r: RouteRequest): Answer | Promise<Answer>;
}

const json = (data: unknown): Answer => ({ kind: 'json', data });
const route = (method: string, path: string, auth: boolean, handle: Route['handle']): Route => ({
  method,
  pattern: path.split('/').filter(Boolean),
  auth,
  handle,
});

/** The route table of the fake. */
export function routes(d: RouteDeps): Route[] {
  const x = d.exchange;
  const order = (id: string | undefined) => {
    const o = x.book.get(id ?? '');
    if (o === undefined) throw inputError(`Invalid \`order_id\`: no order ${id ?? ''}.`);
    return o;
  };
  return [
    route('GET', '/connect/login', false, (r) => {
      if (r.query.get('api_key') !== d.sessions.apiKey) throw inputError('Invalid `api_key`.');
      const to = new URL(d.redirectUrl);
      to.searchParams.set('request_token', d.sessions.newRequestToken());
      to.searchParams.set('action', 'login');
      to.searchParams.set('status', 'success');
      return { kind: 'raw', status: 302, headers: { location: to.toString() }, body: '' };
    }),
    route('POST', '/session/token', false, (r) => {
      const token = d.sessions.exchange(
        r.form['api_key'] ?? '',
        r.form['request_token'] ?? '',
        r.form['checksum'] ?? '',
      );
      const profile = TEMPLATES.profile();
      return json(
        setFields(TEMPLATES.session(), {
          user_id: profile['user_id'],
          user_name: profile['user_name'],
          user_shortname: profile['user_shortname'],
          email: profile['email'],
          api_key: d.sessions.apiKey,
          access_token: token,
          public_token: token.slice(0, 16),
          enctoken: '',
          refresh_token: '',
          login_time: kiteTime(x.clock.now()),
        }),
      );
    }),
    route('GET', '/user/profile', true, () => json(TEMPLATES.profile())),
    route('POST', '/orders/:variety', true, (r) => placeOrder(d, r)),
    route('PUT', '/orders/:variety/:order_id', true, (r) => {
      const o = x.modify(r.params['order_id']!, r.form);
      return json({ order_id: o.orderId });
    }),
    route('DELETE', '/orders/:variety/:order_id', true, (r) => {
      const o = x.cancel(r.params['order_id']!);
      return json({ order_id: o.orderId });
    }),
    route('GET', '/orders', true, () => json(x.book.all().map(orderJson))),
    route('GET', '/orders/:order_id', true, (r) => json(order(r.params['order_id']).history)),
    route('GET', '/orders/:order_id/trades', true, (r) => {
      const o = order(r.params['order_id']);
      return json(x.book.fills.filter((f) => f.order === o).map((f) => f.json));
    }),
    route('GET', '/trades', true, () => json(x.book.fills.map((f) => f.json))),
    route('GET', '/portfolio/positions', true, () => json(positionsJson(x))),
    route('GET', '/portfolio/holdings', true, () => json(holdingsJson(x))),
    route('GET', '/instruments', true, () => csv(INSTRUMENTS_CSV.all)),
    route('GET', '/instruments/:exchange', true, (r) => csv(instrumentsOf(r.params['exchange']!))),
    historicalRoute(d.script),
  ];
}

function csv(body: string): Answer {
  // Exactly text/csv: the client parses the dump only when the header is that string.
  return { kind: 'raw', status: 200, headers: { 'content-type': 'text/csv' }, body };
}

function instrumentsOf(exchange: string): string {
  if (exchange === 'NSE') return NSE_DUMP;
  const [header, ...rows] = INSTRUMENTS_CSV.all.split('\n');
  const mine = rows.filter((l) => l.trim() !== '' && l.trim().split(',').at(-1) === exchange);
  return [header, ...mine, ''].join('\n');
}

/** POST /orders/:variety under the script's next fault. */
async function placeOrder(d: RouteDeps, r: RouteRequest): Promise<Answer> {
  const s = d.script.place.shift() ?? { kind: 'ok' };
  const variety = r.params['variety']!;
  switch (s.kind) {
    case 'status':
      throw new KiteError(s.status, s.errorType, s.message);
    case 'timeout':
      if (s.placeAnyway) {
        try {
          d.exchange.place(variety, r.form);
        } catch (e) {
          if (!(e instanceof KiteError)) throw e;
        }
        await d.flushUpdates();
      }
      return { kind: 'hold' };
    case 'delayReply': {
      let answer: Answer | KiteError;
      try {
        answer = json({ order_id: d.exchange.place(variety, r.form).orderId });
      } catch (e) {
        if (!(e instanceof KiteError)) throw e;
        answer = e;
      }
      await d.flushUpdates();
      await d.wait(s.ms);
      if (answer instanceof KiteError) throw answer;
      return answer;
    }
    case 'ok':
      return json({ order_id: d.exchange.place(variety, r.form).orderId });
  }
}
