/**
 * Fuzzes every operation of the daemon's /openapi.json with fast-check: requests from each
 * operation's parameter and body schemas plus hostile values, against a loopback daemon. No
 * answer may be a 5xx, and every answer must match the document for its status (errors the Error
 * schema). Seeded per operation, so a failure replays. Needs `npm run build`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseContext, startApiDaemon, type ApiDaemon } from '../helpers/api-daemon.js';
import { requestOf, type KnownValues } from '../helpers/openapi-arbitraries.js';
import {
  loadDocument,
  operationsOf,
  send,
  type OpenApiDocument,
  type Operation,
} from '../helpers/openapi-client.js';
import { ResponseChecker } from '../helpers/openapi-checker.js';

const SEED = 20_260_105;

/** The 5xx answers that are documented behaviour here, by operation, with the reason. */
const EXPECTED_5XX: Readonly<Record<string, { status: number; why: string }>> = {
  'GET /ready': {
    status: 503,
    why: 'the mock feed has sent its FEED__MAX_TICKS, so the daemon reports the feed not running',
  },
};
const RUNS_PER_OPERATION = 100;

let d: ApiDaemon;
let doc: OpenApiDocument;
let ops: Operation[];
let checker: ResponseChecker;
let known: KnownValues;

beforeAll(async () => {
  d = await startApiDaemon({
    // The fuzz sends far more than a client would: limits would turn most answers into 429s.
    API__RATE_LIMIT_PER_MINUTE: '10000000',
    API__LOGIN_ATTEMPTS_PER_MINUTE: '1000',
  });
  doc = await loadDocument(d.base);
  ops = operationsOf(doc);
  checker = new ResponseChecker(doc);
  const x = await caseContext(d);
  known = {
    id: [x.strategyId, x.spareStrategyId],
    strategyId: [x.strategyId],
    broker: [x.broker, 'zerodha'],
    clientOrderId: [x.clientOrderId],
    topic: [x.dlqTopic, x.dlqTopic.replace(/\.dlq$/, '')],
    username: [x.admin.username],
    password: [x.admin.password],
    reason: ['fuzz'],
    // Query values the routes take, so that filtered reads and streams answer too.
    type: ['OrderFilled', 'SignalValidated,OrderFilled'],
    status: ['COMPLETE', 'REJECTED'],
    limit: ['1', '10'],
    lastEventId: ['0', '1'],
    'last-event-id': ['0', '5'],
    instrumentToken: ['738561'],
  };
}, 120_000);

afterAll(async () => {
  await d?.stop();
});

/** A seed per operation (FNV-1a of its key), so adding a route does not change the others' runs. */
function seedOf(key: string): number {
  let h = 0x811c9dc5;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return (SEED ^ h) | 0;
}

describe('fuzzing every operation of /openapi.json', () => {
  it('never answers 5xx, and always as the document says', async () => {
    const failures: string[] = [];
    const statuses = new Map<string, Map<number, number>>();
    for (const op of ops) {
      const seen = new Map<number, number>();
      statuses.set(op.key, seen);
      const auth = { operator: d.operator, viewer: d.viewer };
      const result = await fc.check(
        fc.asyncProperty(requestOf(doc, op, auth, known), async (req) => {
          const res = await send(d.base, req);
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          if (res.status >= 500 && EXPECTED_5XX[op.key]?.status !== res.status)
            throw new Error(`${op.key} answered ${res.status}: ${res.text.slice(0, 500)}`);
          const problem = checker.problem(op, res);
          if (problem !== null) throw new Error(problem);
        }),
        { numRuns: RUNS_PER_OPERATION, seed: seedOf(op.key) },
      );
      if (result.failed)
        failures.push(
          `${op.key}: ${String(result.errorInstance)}\n${fc.defaultReportMessage(result)}`,
        );
    }
    const summary = [...statuses].map(
      ([k, s]) => `${k}: ${[...s].map(([status, n]) => `${status}×${n}`).join(' ')}`,
    );
    expect(failures, summary.join('\n')).toEqual([]);
    // Every documented operation was fuzzed, and the fuzz reached the handlers, not only the guards.
    expect([...statuses.keys()]).toEqual(ops.map((o) => o.key));
    expect(ops.length).toBeGreaterThanOrEqual(20);
    const reached = [...statuses.values()].filter((s) => [...s.keys()].some((st) => st < 300));
    expect(reached.length, summary.join('\n')).toBeGreaterThanOrEqual(ops.length * 0.75);
  }, 240_000);
});
