/**
 * One case per documented operation of the operator API, keyed `METHOD /path` as in
 * /openapi.json: a request that succeeds, one the route refuses with 400 (and the field its message
 * names), one for a resource that does not exist (404), and when the request may run. The route
 * acceptance test runs every case; the secrets test sends every success request.
 */
import { fillPath, type ApiRequest } from './openapi-client.js';

/** What the cases take from the running daemon. */
export interface CaseContext {
  readonly admin: { readonly username: string; readonly password: string };
  /** A configured strategy; its parameters are changed to their own values. */
  readonly strategyId: string;
  /** Another strategy, which is disabled and enabled. */
  readonly spareStrategyId: string;
  /** A quantity parameter of `strategyId` and its current value. */
  readonly strategyParam: readonly [string, unknown];
  /** An order of the run. */
  readonly clientOrderId: string;
  readonly broker: string;
  readonly dlqTopic: string;
}

export interface CaseRequest {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

type Build = (x: CaseContext) => CaseRequest;

export interface RouteCase {
  /** A request the route answers with `okStatus` (200 unless given). */
  readonly ok: Build;
  /** Why a success request gets another status. */
  readonly okStatus?: { readonly status: number; readonly why: string };
  /**
   * A request refused with 400 whose message names `field`; required when the operation takes
   * parameters or a body, unless `none` says why no value can be refused.
   */
  readonly invalid?:
    { readonly request: Build; readonly field: string } | { readonly none: string };
  /** A request for a resource that does not exist; required when the path has a parameter. */
  readonly notFound?: Build | { readonly none: string };
  /** `read`: changes nothing; `write`: changes state and puts it back; `last`: changes it for good. */
  readonly phase: 'read' | 'write' | 'last';
  /** Set when the operation is not served yet by the daemon: where it is to come from. */
  readonly servedWhen?: string;
}

const LONG_ID = 'x'.repeat(65);
const NO_STRATEGY = 'no_such_strategy';

/** Operations left out, by name, with the reason. */
export const SKIPPED: Readonly<Record<string, string>> = {
  'GET /api/v1/auth/zerodha/login':
    'served only when Zerodha is configured; test/integration/zerodha-daemon.test.ts covers it against the fake Kite',
  'GET /api/v1/auth/zerodha':
    'served only when Zerodha is configured; test/integration/zerodha-daemon.test.ts covers it against the fake Kite',
  'GET /api/v1/auth/zerodha/callback':
    'served only when Zerodha is configured; test/integration/zerodha-daemon.test.ts covers it against the fake Kite',
  'POST /api/v1/postbacks/zerodha':
    'served only when Zerodha is configured; test/integration/zerodha-daemon.test.ts covers it against the fake Kite',
};

const command = (x: CaseContext): CaseRequest => ({
  params: { broker: x.broker },
  body: { reason: 'route acceptance test' },
});

const brokerCommand: RouteCase = {
  ok: command,
  invalid: {
    request: (x) => ({ params: { broker: x.broker }, body: { reason: 42 } }),
    field: 'reason',
  },
  notFound: () => ({ params: { broker: 'no_such_broker' }, body: { reason: 'x' } }),
  phase: 'write',
};

const strategySwitch: RouteCase = {
  ok: (x) => ({ params: { id: x.spareStrategyId } }),
  invalid: { request: () => ({ params: { id: LONG_ID } }), field: 'id' },
  notFound: () => ({ params: { id: NO_STRATEGY } }),
  phase: 'write',
};

export const ROUTE_CASES: Readonly<Record<string, RouteCase>> = {
  'GET /health': { ok: () => ({}), phase: 'read' },
  'GET /ready': {
    ok: () => ({}),
    okStatus: {
      status: 503,
      why: 'the mock feed has sent its FEED__MAX_TICKS, so the feed check fails (the test waits for that)',
    },
    phase: 'read',
  },
  'GET /metrics': { ok: () => ({}), phase: 'read' },
  'POST /api/v1/auth/login': {
    ok: (x) => ({ body: x.admin }),
    invalid: { request: (x) => ({ body: { username: x.admin.username } }), field: 'password' },
    phase: 'read',
  },
  'GET /api/v1/auth/me': { ok: () => ({}), phase: 'read' },
  'GET /api/v1/portfolios': {
    ok: (x) => ({ query: { broker: x.broker } }),
    invalid: { request: () => ({ query: { broker: 'no_such_broker' } }), field: 'broker' },
    phase: 'read',
  },
  'GET /api/v1/portfolios/{broker}/{strategyId}': {
    ok: (x) => ({ params: { broker: x.broker, strategyId: x.strategyId } }),
    invalid: {
      request: (x) => ({ params: { broker: 'no_such_broker', strategyId: x.strategyId } }),
      field: 'broker',
    },
    notFound: (x) => ({ params: { broker: x.broker, strategyId: NO_STRATEGY } }),
    phase: 'read',
  },
  'GET /api/v1/positions': {
    ok: (x) => ({ query: { broker: x.broker } }),
    invalid: { request: () => ({ query: { instrumentToken: '-5' } }), field: 'instrumentToken' },
    phase: 'read',
  },
  'GET /api/v1/accounts': { ok: () => ({}), phase: 'read' },
  'GET /api/v1/accounts/{broker}': {
    ok: (x) => ({ params: { broker: x.broker } }),
    invalid: { request: () => ({ params: { broker: 'no_such_broker' } }), field: 'broker' },
    // A broker the API knows of, with no portfolio in this process (only paper trades here).
    notFound: () => ({ params: { broker: 'zerodha' } }),
    phase: 'read',
  },
  'GET /api/v1/strategies': { ok: () => ({}), phase: 'read' },
  'GET /api/v1/strategies/{id}': {
    ok: (x) => ({ params: { id: x.strategyId } }),
    invalid: { request: () => ({ params: { id: LONG_ID } }), field: 'id' },
    notFound: () => ({ params: { id: NO_STRATEGY } }),
    phase: 'read',
  },
  'POST /api/v1/strategies/{id}/disable': strategySwitch,
  'POST /api/v1/strategies/{id}/enable': strategySwitch,
  'POST /api/v1/strategies/{id}/params': {
    ok: (x) => ({
      params: { id: x.strategyId },
      body: { params: { [x.strategyParam[0]]: x.strategyParam[1] } },
    }),
    invalid: {
      request: (x) => ({ params: { id: x.strategyId }, body: { params: ['not', 'an', 'object'] } }),
      field: 'params',
    },
    notFound: (x) => ({
      params: { id: NO_STRATEGY },
      body: { params: { [x.strategyParam[0]]: x.strategyParam[1] } },
    }),
    phase: 'write',
  },
  'GET /api/v1/brokers': { ok: () => ({}), phase: 'read' },
  'GET /api/v1/brokers/{broker}': {
    ok: (x) => ({ params: { broker: x.broker } }),
    invalid: { none: 'the path takes any broker name: one that is not a broker is a 404' },
    notFound: () => ({ params: { broker: 'no_such_broker' } }),
    phase: 'read',
  },
  'POST /api/v1/brokers/{broker}/halt': brokerCommand,
  'POST /api/v1/brokers/{broker}/reduce': brokerCommand,
  'POST /api/v1/brokers/{broker}/resume': brokerCommand,
  'POST /api/v1/kill': {
    ok: () => ({ body: { reason: 'route acceptance test: the kill switch' } }),
    invalid: { request: () => ({ body: {} }), field: 'reason' },
    phase: 'last',
  },
  'GET /api/v1/orders': {
    ok: (x) => ({ query: { broker: x.broker } }),
    invalid: { request: () => ({ query: { status: 'NOT_A_STATUS' } }), field: 'status' },
    phase: 'read',
  },
  'GET /api/v1/orders/{clientOrderId}': {
    ok: (x) => ({ params: { clientOrderId: x.clientOrderId } }),
    invalid: { request: () => ({ params: { clientOrderId: LONG_ID } }), field: 'clientOrderId' },
    notFound: () => ({ params: { clientOrderId: 'NOSUCHORDER1' } }),
    phase: 'read',
  },
  'GET /api/v1/dlq': { ok: () => ({}), phase: 'read' },
  'GET /api/v1/dlq/{topic}': {
    ok: (x) => ({ params: { topic: x.dlqTopic }, query: { limit: '10' } }),
    invalid: {
      request: (x) => ({ params: { topic: x.dlqTopic }, query: { limit: '0' } }),
      field: 'limit',
    },
    notFound: () => ({ params: { topic: 'no.such.topic' } }),
    phase: 'read',
  },
  'POST /api/v1/dlq/{topic}/replay': {
    ok: (x) => ({ params: { topic: x.dlqTopic }, body: { dryRun: true } }),
    invalid: {
      request: (x) => ({ params: { topic: x.dlqTopic }, body: { limit: 0 } }),
      field: 'limit',
    },
    notFound: () => ({ params: { topic: 'no.such.topic' }, body: { dryRun: true } }),
    phase: 'read',
  },
  'GET /api/v1/signals': {
    ok: (x) => ({ query: { broker: x.broker, limit: '20' } }),
    invalid: { request: () => ({ query: { limit: '0' } }), field: 'limit' },
    phase: 'read',
    servedWhen: 'the daemon wires signalRoutes (src/api/routes/signals.ts)',
  },
  'GET /api/v1/pipeline': {
    ok: () => ({}),
    phase: 'read',
    servedWhen: 'the daemon wires pipelineRoutes (src/api/routes/pipeline.ts)',
  },
  'GET /api/v1/journal': {
    ok: () => ({}),
    phase: 'read',
    servedWhen: 'the daemon wires pipelineRoutes (src/api/routes/pipeline.ts)',
  },
  'GET /api/v1/stream/events': {
    ok: () => ({ query: { type: 'OrderFilled,SignalRejected' } }),
    invalid: { request: () => ({ query: { broker: 'no_such_broker' } }), field: 'broker' },
    phase: 'read',
    servedWhen: 'the daemon wires streamRoutes (src/api/routes/streams.ts)',
  },
  'GET /api/v1/stream/portfolios': {
    ok: (x) => ({ query: { broker: x.broker } }),
    invalid: { request: () => ({ query: { broker: 'no_such_broker' } }), field: 'broker' },
    phase: 'read',
    servedWhen: 'the daemon wires streamRoutes (src/api/routes/streams.ts)',
  },
  'GET /api/v1/inspector/actors': { ok: () => ({}), phase: 'read' },
  'GET /api/v1/inspector/actors/{id}': {
    ok: (x) => ({ params: { id: `risk-gate:${x.broker}` } }),
    invalid: { none: 'any text is an id to look up: an unknown one is a 404' },
    notFound: () => ({ params: { id: `strategy:${NO_STRATEGY}` } }),
    phase: 'read',
  },
  'GET /api/v1/inspector/actors/{id}/state': {
    ok: (x) => ({ params: { id: `risk-gate:${x.broker}` }, query: { seq: '1' } }),
    invalid: {
      request: (x) => ({ params: { id: `risk-gate:${x.broker}` }, query: { seq: 'soon' } }),
      field: 'seq',
    },
    notFound: () => ({ params: { id: `strategy:${NO_STRATEGY}` }, query: { seq: '1' } }),
    phase: 'read',
  },
  'GET /api/v1/inspector/state': {
    ok: () => ({ query: { seq: '1' } }),
    invalid: { request: () => ({ query: { seq: '-4' } }), field: 'seq' },
    phase: 'read',
  },
  'GET /api/v1/inspector/messages/{seq}': {
    ok: () => ({ params: { seq: '1' } }),
    invalid: { request: () => ({ params: { seq: 'first' } }), field: 'seq' },
    notFound: () => ({ params: { seq: '999999999999' } }),
    phase: 'read',
  },
  'GET /api/v1/inspector/messages/{seq}/chain': {
    ok: () => ({ params: { seq: '1' } }),
    invalid: { request: () => ({ params: { seq: '0' } }), field: 'seq' },
    notFound: () => ({ params: { seq: '999999999999' } }),
    phase: 'read',
  },
  'GET /api/v1/inspector/events': {
    ok: (x) => ({ query: { actor: `risk-gate:${x.broker}`, type: 'SignalValidated' } }),
    invalid: { request: () => ({ query: { actor: 'Not An Actor!' } }), field: 'actor' },
    phase: 'read',
  },
};

/** `c` as an HTTP request of `method` and `path` (templated), with `auth` headers. */
export function caseRequest(
  method: string,
  path: string,
  c: CaseRequest,
  auth: Readonly<Record<string, string>> = {},
): ApiRequest {
  return {
    method,
    path: fillPath(path, c.params ?? {}),
    query: Object.entries(c.query ?? {}),
    headers: { ...auth, ...c.headers },
    ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
  };
}

/** The order the cases run in: reads, then writes that put state back, then the rest. */
export const PHASES = ['read', 'write', 'last'] as const;
