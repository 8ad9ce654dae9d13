/**
 * Every operation of the daemon's /openapi.json, from its table case (test/helpers/
 * api-route-cases.ts): the success request answers 2xx with a body that matches the document,
 * a bad parameter or body gets a 400 naming the field, no token and a bad token get 401, a
 * viewer's write gets 403, an unknown resource 404. An operation with no case fails the suite.
 * Needs `npm run build`.
 */
import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseContext, startApiDaemon, type ApiDaemon } from '../helpers/api-daemon.js';
import {
  caseRequest,
  PHASES,
  ROUTE_CASES,
  SKIPPED,
  type CaseContext,
  type CaseRequest,
  type RouteCase,
} from '../helpers/api-route-cases.js';
import {
  loadDocument,
  operationsOf,
  send,
  type ApiResponse,
  type Operation,
} from '../helpers/openapi-client.js';
import { ResponseChecker } from '../helpers/openapi-checker.js';

const METRICS_TOKEN = 'route-test-metrics-token-0123456789';

let d: ApiDaemon;
let ops: Operation[];
let checker: ResponseChecker;
let x: CaseContext;
/** A well-formed token of the admin, signed with another key. */
let forged: Record<string, string>;

beforeAll(async () => {
  d = await startApiDaemon({ API__METRICS_TOKEN: METRICS_TOKEN });
  const doc = await loadDocument(d.base);
  ops = operationsOf(doc);
  checker = new ResponseChecker(doc);
  x = await caseContext(d);
  const now = Math.floor(Date.parse('2026-01-05T04:00:00Z') / 1000);
  const token = await sign(
    { sub: 'admin', role: 'operator', iat: now, exp: now + 10 * 365 * 86_400, iss: 'alpha-panda' },
    'another-key-of-at-least-thirty-two-characters',
    'HS256',
  );
  forged = { Authorization: `Bearer ${token}` };
}, 120_000);

afterAll(async () => {
  await d?.stop();
});

/** The operations with a case, reads first, then writes, each phase in the table's order. */
function cases(phases: readonly RouteCase['phase'][] = PHASES): [Operation, RouteCase][] {
  const order = Object.keys(ROUTE_CASES);
  return ops
    .filter((o) => ROUTE_CASES[o.key] !== undefined && phases.includes(ROUTE_CASES[o.key]!.phase))
    .map((o): [Operation, RouteCase] => [o, ROUTE_CASES[o.key]!])
    .sort(
      ([a, ca], [b, cb]) =>
        PHASES.indexOf(ca.phase) - PHASES.indexOf(cb.phase) ||
        order.indexOf(a.key) - order.indexOf(b.key),
    );
}

async function call(
  op: Operation,
  c: CaseRequest,
  auth: Record<string, string>,
): Promise<ApiResponse> {
  return send(d.base, caseRequest(op.method, op.path, c, auth));
}

/** Problems with `res`: not `status`, or not what the document says of it. */
function problems(op: Operation, what: string, res: ApiResponse, status: number): string[] {
  const out: string[] = [];
  if (res.status !== status)
    out.push(`${op.key} ${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  const p = checker.problem(op, res);
  if (p !== null) out.push(`${what}: ${p}`);
  return out;
}

function errorOf(res: ApiResponse): { code?: string; message?: string } {
  try {
    return (JSON.parse(res.text) as { error?: { code?: string; message?: string } }).error ?? {};
  } catch {
    return {};
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function successes(phases: readonly RouteCase['phase'][]): Promise<string[]> {
  const out: string[] = [];
  for (const [op, c] of cases(phases)) {
    const res = await call(op, c.ok(x), op.isPublic ? {} : d.operator);
    out.push(...problems(op, 'success request', res, c.okStatus?.status ?? 200));
    if (op.streams && res.mediaType !== 'text/event-stream')
      out.push(`${op.key}: a stream answered as ${JSON.stringify(res.mediaType)}`);
    if (op.streams && !res.text.startsWith(':') && !res.text.startsWith('id:'))
      out.push(`${op.key}: the stream's first bytes are not an event or comment: ${res.text}`);
  }
  return out;
}

describe('every route of /openapi.json', () => {
  it('has a complete case for every documented operation', () => {
    const out: string[] = [];
    const keys = new Set(ops.map((o) => o.key));
    for (const op of ops) {
      if (SKIPPED[op.key] !== undefined) continue;
      const c = ROUTE_CASES[op.key];
      if (!c) {
        out.push(
          `${op.key} is documented but has no case in ROUTE_CASES (test/helpers/api-route-cases.ts)`,
        );
        continue;
      }
      if ((op.parameters.length > 0 || op.body) && c.invalid === undefined)
        out.push(
          `${op.key} takes parameters or a body: its case needs \`invalid\` (or { none: why })`,
        );
      if (op.path.includes('{') && c.notFound === undefined)
        out.push(`${op.key} has a path parameter: its case needs \`notFound\` (or { none: why })`);
    }
    for (const [key, c] of Object.entries(ROUTE_CASES))
      if (!keys.has(key) && c.servedWhen === undefined)
        out.push(`ROUTE_CASES has ${key}, which the document does not list: remove or rename it`);
    expect(out).toEqual([]);
    // The table runs against real routes, not an empty document.
    expect(cases().length).toBeGreaterThanOrEqual(20);
  });

  it("answers each read's success request with a body that matches the document", async () => {
    expect(await successes(['read'])).toEqual([]);
  });

  it('refuses a bad parameter or body with 400 naming the field', async () => {
    const out: string[] = [];
    let n = 0;
    for (const [op, c] of cases()) {
      if (c.invalid === undefined || 'none' in c.invalid) continue;
      n++;
      const res = await call(op, c.invalid.request(x), op.isPublic ? {} : d.operator);
      out.push(...problems(op, 'invalid request', res, 400));
      const message = errorOf(res).message ?? '';
      if (!new RegExp(`\\b${escapeRe(c.invalid.field)}\\b`).test(message))
        out.push(`${op.key}: the 400's message does not name ${c.invalid.field}: ${message}`);
    }
    expect(out).toEqual([]);
    expect(n).toBeGreaterThan(10);
  });

  it('refuses a request with no token, or a bad one, with 401', async () => {
    const out: string[] = [];
    const bad: [string, Record<string, string>][] = [
      ['no token', {}],
      ['a token signed with another key', forged],
      ['a token that is not a JWT', { Authorization: 'Bearer not.a.token' }],
      ['another scheme', { Authorization: 'Basic YWRtaW46YWRtaW4=' }],
    ];
    for (const [op, c] of cases()) {
      if (op.isPublic) continue;
      for (const [what, auth] of bad) {
        const res = await call(op, c.ok(x), auth);
        out.push(...problems(op, what, res, 401));
        if (res.status === 401 && !/^Bearer /.test(res.headers.get('www-authenticate') ?? ''))
          out.push(`${op.key} ${what}: the 401 has no WWW-Authenticate: Bearer challenge`);
      }
    }
    expect(out).toEqual([]);
  });

  it("answers a viewer's reads, and refuses the viewer's writes with 403", async () => {
    const out: string[] = [];
    let writes = 0;
    for (const [op, c] of cases()) {
      if (op.isPublic) continue;
      const res = await call(op, c.ok(x), d.viewer);
      if (op.isRead) out.push(...problems(op, "a viewer's read", res, c.okStatus?.status ?? 200));
      else {
        writes++;
        out.push(...problems(op, "a viewer's write", res, 403));
        if (res.status === 403 && errorOf(res).code !== 'FORBIDDEN')
          out.push(`${op.key}: the viewer's 403 is ${errorOf(res).code}, not FORBIDDEN`);
      }
    }
    expect(out).toEqual([]);
    expect(writes).toBeGreaterThanOrEqual(8);
  });

  it('answers 404 for a resource that does not exist', async () => {
    const out: string[] = [];
    for (const [op, c] of cases()) {
      if (c.notFound === undefined || typeof c.notFound !== 'function') continue;
      const res = await call(op, c.notFound(x), op.isPublic ? {} : d.operator);
      out.push(...problems(op, 'unknown resource', res, 404));
    }
    expect(out).toEqual([]);
  });

  it('takes API__METRICS_TOKEN for GET /metrics and for nothing else', async () => {
    const out: string[] = [];
    const auth = { Authorization: `Bearer ${METRICS_TOKEN}` };
    for (const [op, c] of cases()) {
      if (op.isPublic) continue;
      const res = await call(op, c.ok(x), auth);
      out.push(...problems(op, 'the metrics token', res, op.key === 'GET /metrics' ? 200 : 401));
    }
    expect(out).toEqual([]);
  });

  it("answers each write's success request with a body that matches the document", async () => {
    expect(await successes(['write'])).toEqual([]);
    // The writes put back what they changed: the broker is trading again.
    const brokers = await send(d.base, {
      method: 'GET',
      path: '/api/v1/brokers',
      headers: d.operator,
    });
    expect(JSON.parse(brokers.text)).toMatchObject({
      brokers: [{ broker: 'paper', state: 'ACTIVE' }],
    });
    expect(await successes(['last'])).toEqual([]);
  });
});
