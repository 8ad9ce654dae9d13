/**
 * No secret in a response, a header or the log (SPEC §8): a daemon with every secret configured
 * (the token key, the first admin's password, the metrics token, and Postgres and Redis URLs with
 * passwords) is sent every documented route's requests (valid ones, fuzzed ones, failed logins,
 * bad tokens), and none of the secrets may appear, in any encoding, in what comes back or in its
 * output. Needs `npm run build` and the test infrastructure:
 *   scripts/with-test-infra.sh npx vitest run --config vitest.nobuild.config.ts test/integration/api-secrets.test.ts
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseContext, startApiDaemon, VIEWER_USER, type ApiDaemon } from '../helpers/api-daemon.js';
import {
  caseRequest,
  PHASES,
  ROUTE_CASES,
  SKIPPED,
  type CaseContext,
  type CaseRequest,
} from '../helpers/api-route-cases.js';
import { requestOf } from '../helpers/openapi-arbitraries.js';
import {
  loadDocument,
  operationsOf,
  send,
  type ApiRequest,
  type OpenApiDocument,
  type Operation,
} from '../helpers/openapi-client.js';
import { findSecrets, secretForms, whereSecrets } from '../helpers/secret-forms.js';
import {
  postgresWithPassword,
  redisWithPassword,
  type SecretService,
} from '../helpers/secret-infra.js';

/** Every secret the daemon is given. The Postgres one needs percent-encoding in its URL. */
const SECRETS = {
  API__JWT_SECRET: 'jwtKey-3f9c1a7e5b2d8c4a6e0f1b3d5c7a9e2f',
  API__ADMIN_PASSWORD: 'adminPw-7b2e9c4f1a6d',
  API__METRICS_TOKEN: 'metricsTok-5e8a1c3f7b9d',
  'the Postgres password': 'pgPw/4c7e@1a9f+2b=',
  'the Redis password': 'redisPw-6d1f8b3e9a2c',
} as const;

const ADMIN = { username: 'admin', password: SECRETS.API__ADMIN_PASSWORD };
const USER = `ap_secret_${process.pid}`;
const REDIS_DB = 12;

let pg: SecretService | undefined;
let redis: SecretService | undefined;
let d: ApiDaemon;
let doc: OpenApiDocument;
let ops: Operation[];
let x: CaseContext;
/** Every response so far: status, headers and body. */
const seen: string[] = [];
/** How much of the daemon's output the tests have searched. */
let searched = 0;

beforeAll(async () => {
  pg = await postgresWithPassword(USER, SECRETS['the Postgres password']);
  redis = await redisWithPassword(USER, SECRETS['the Redis password'], REDIS_DB);
  d = await startApiDaemon(
    {
      API__JWT_SECRET: SECRETS.API__JWT_SECRET,
      API__ADMIN_PASSWORD: SECRETS.API__ADMIN_PASSWORD,
      API__METRICS_TOKEN: SECRETS.API__METRICS_TOKEN,
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      // Fuzzed logins would otherwise use up the failed-login limit before the tests' own.
      API__LOGIN_ATTEMPTS_PER_MINUTE: '1000',
      API__RATE_LIMIT_PER_MINUTE: '10000000',
    },
    ADMIN,
  );
  doc = await loadDocument(d.base);
  ops = operationsOf(doc);
  x = await caseContext(d, ADMIN);
}, 120_000);

afterAll(async () => {
  await d?.stop();
  await redis?.remove();
  await pg?.remove();
});

async function record(req: ApiRequest): Promise<number> {
  const res = await send(d.base, req);
  const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  seen.push(`${req.method} ${req.path} -> ${res.status}\n${headers}\n${res.text}`);
  return res.status;
}

/** The daemon's output since the last call. */
function newOutput(): string {
  const all = d.daemon.output();
  const out = all.slice(searched);
  searched = all.length;
  return out;
}

describe('secrets in responses and logs', () => {
  it('finds a secret planted in text in each of the forms searched for', () => {
    for (const [name, secret] of Object.entries(SECRETS)) {
      for (const [form, text] of secretForms(secret))
        expect(findSecrets(`{"x":"${text}"}`, SECRETS), form).toContain(`${name} (${form})`);
      for (const prefix of ['', 'a', 'ab', 'abc:'])
        expect(
          findSecrets(Buffer.from(`${prefix}${secret}"}`).toString('base64'), SECRETS),
        ).not.toEqual([]);
    }
    expect(findSecrets('nothing to see', SECRETS)).toEqual([]);
  });

  it('shows no configured secret in any response, header or log line', async () => {
    // The daemon really holds the Postgres and Redis credentials: it is connected as their user.
    expect(await pg!.connections()).toBeGreaterThan(0);
    expect(await redis!.connections()).toBeGreaterThan(0);

    const metrics = { Authorization: `Bearer ${SECRETS.API__METRICS_TOKEN}` };
    const badTokens = [
      {},
      { Authorization: 'Bearer a.b.c' },
      { Authorization: 'Bearer x' + d.operator.Authorization!.slice(8) },
    ];
    let covered = 0;
    for (const phase of PHASES)
      for (const op of ops) {
        if (SKIPPED[op.key] !== undefined) continue;
        const c = ROUTE_CASES[op.key];
        if (!c) throw new Error(`${op.key} has no case in ROUTE_CASES`);
        if (c.phase !== phase) continue;
        covered++;
        const req = (b: CaseRequest, auth: Record<string, string>) =>
          record(caseRequest(op.method, op.path, b, auth));
        for (const auth of [d.viewer, metrics, ...badTokens]) await req(c.ok(x), auth);
        if (c.invalid && 'request' in c.invalid) await req(c.invalid.request(x), d.operator);
        if (typeof c.notFound === 'function') await req(c.notFound(x), d.operator);
        // Fuzzed requests, then the success request (the kill switch last of all).
        const auth = { operator: d.operator, viewer: d.viewer };
        for (const r of fc.sample(requestOf(doc, op, auth, {}), { numRuns: 8, seed: covered }))
          await record(r);
        await req(c.ok(x), op.isPublic ? {} : d.operator);
      }
    expect(covered).toBe(ops.filter((o) => SKIPPED[o.key] === undefined).length);

    // Failed logins: wrong passwords (one a near miss), an unknown user, a viewer's wrong password.
    const login = (body: unknown) =>
      record({ method: 'POST', path: '/api/v1/auth/login', body: JSON.stringify(body) });
    expect(await login({ username: 'admin', password: 'wrong-password' })).toBe(401);
    expect(await login({ username: 'admin', password: `${SECRETS.API__ADMIN_PASSWORD}x` })).toBe(
      401,
    );
    expect(await login({ username: 'nobody', password: SECRETS.API__ADMIN_PASSWORD })).toBe(401);
    expect(await login({ username: VIEWER_USER.username, password: SECRETS.API__JWT_SECRET })).toBe(
      401,
    );

    expect(seen.length).toBeGreaterThan(ops.length * 10);
    expect({
      responses: whereSecrets(seen.join('\n\n'), SECRETS),
      log: whereSecrets(newOutput() + pg!.output, SECRETS),
    }).toEqual({ responses: [], log: [] });
  }, 180_000);

  it('neither echoes nor logs a password sent in the wrong field', async () => {
    const from = seen.length;
    const login = (body: unknown) =>
      record({ method: 'POST', path: '/api/v1/auth/login', body: JSON.stringify(body) });
    // The password typed into the username field, a client that wraps it, one too long.
    expect(await login({ username: SECRETS.API__ADMIN_PASSWORD, password: 'x' })).toBe(401);
    expect(await login({ username: 'admin', password: [SECRETS.API__ADMIN_PASSWORD] })).toBe(400);
    expect(
      await login({
        username: 'admin',
        password: `${SECRETS.API__ADMIN_PASSWORD}${' '.repeat(1_100)}`,
      }),
    ).toBe(400);
    expect({
      responses: whereSecrets(seen.slice(from).join('\n\n'), SECRETS),
      log: whereSecrets(newOutput(), SECRETS),
    }).toEqual({ responses: [], log: [] });
  });

  it('leaves no secret in the log when it stops', async () => {
    d.daemon.child.kill('SIGTERM');
    expect((await d.daemon.exited).code).toBe(0);
    expect(whereSecrets(newOutput(), SECRETS)).toEqual([]);
  });
});
