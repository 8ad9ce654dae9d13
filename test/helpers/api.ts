/** The HTTP API over an empty read model and a recording DLQ service, for the API's unit tests. */
import { pino, type Logger } from 'pino';
import { createApp, type ApiAuth, type ApiDeps } from '../../src/api/index.js';
import { limiter, tokenIssuer } from '../../src/api/auth/index.js';
import type { PendingDeadLetter } from '../../src/model/index.js';
import { PortfolioReadModel } from '../../src/readmodel/index.js';
import type { DlqService } from '../../src/system/index.js';

/** A pending dead letter of market.ticks.dlq whose error carries a stack with local paths. */
export function deadLetter(seq: number): PendingDeadLetter {
  return {
    seq,
    at: '2026-01-05T03:45:00.000Z',
    actorId: 'strategy:x',
    originalTopic: 'market.ticks',
    originalSeq: seq - 1,
    originalType: 'MarketTick',
    originalKey: '738561',
    error: {
      name: 'RangeError',
      message: 'Invalid array length',
      stack: `RangeError: Invalid array length
    at Momentum.onTick (/home/trader/alpha-panda/dist/strategies/momentum/momentum.js:41:19)
    at file:///home/trader/alpha-panda/dist/actors/strategy/strategy.js:88:7`,
    },
    original: { token: 738561 },
  };
}

export interface TestApi {
  readonly app: ReturnType<typeof createApp>;
  /** Every re-delivery the routes asked for. */
  readonly calls: { topic: string; limit: number }[];
}

/** The app with `pending` dead letters on market.ticks.dlq; `deps` overrides the rest. */
export function testApi(
  pending: PendingDeadLetter[] = [],
  deps: Partial<Omit<ApiDeps, 'log'>> & { log?: Logger } = {},
): TestApi {
  const calls: { topic: string; limit: number }[] = [];
  const dlq: DlqService = {
    topics: ['market.ticks.dlq', 'paper.signals.raw.dlq'],
    pending: (t) => Promise.resolve(t === 'market.ticks.dlq' ? pending : []),
    redeliver: (topic, limit) => {
      calls.push({ topic, limit });
      const sent = pending.splice(0, limit);
      return Promise.resolve(
        sent.map((d) => ({
          deadLetterSeq: d.seq,
          actorId: d.actorId,
          outcome: 'delivered' as const,
          seq: 100 + d.seq,
        })),
      );
    },
  };
  const app = createApp({
    portfolios: new PortfolioReadModel(),
    readiness: [],
    dlq,
    log: pino({ level: 'silent' }),
    host: '127.0.0.1',
    maxBodyBytes: 1 << 20,
    auth: testAuth(),
    ...deps,
  } as ApiDeps);
  return { app, calls };
}

/** The test users' passwords: `admin` is an operator, `viewer` reads only. */
export const TEST_PASSWORDS = { admin: 'admin-password-1', viewer: 'viewer-password-1' } as const;
/** The secret test tokens are signed with. */
export const TEST_JWT_SECRET = 'test-jwt-secret-of-thirty-two-characters';

/**
 * Authentication for unit tests, without scrypt: `admin` (operator) and `viewer`, tokens on
 * `nowMs` (by default a fixed instant), reads open unless `readsOpen` is false.
 */
export function testAuth(
  o: { readsOpen?: boolean; nowMs?: () => number; perMinute?: number; metricsToken?: string } = {},
): ApiAuth {
  const now = o.nowMs ?? (() => Date.parse('2026-01-05T04:00:00Z'));
  const roles = { admin: 'operator', viewer: 'viewer' } as const;
  return {
    users: {
      known: 2,
      check: (u, p) =>
        Promise.resolve(
          u in TEST_PASSWORDS && TEST_PASSWORDS[u as keyof typeof TEST_PASSWORDS] === p
            ? { username: u, role: roles[u as keyof typeof roles] }
            : null,
        ),
    },
    tokens: tokenIssuer(TEST_JWT_SECRET, 3600, now),
    readsOpen: o.readsOpen ?? true,
    ...(o.metricsToken !== undefined ? { metricsToken: o.metricsToken } : {}),
    requests: limiter(o.perMinute ?? 1_000_000, now),
    requestsPerMinute: o.perMinute ?? 1_000_000,
    failedLogins: limiter(10, now),
    corsOrigins: [],
  };
}

/** An `Authorization` header with a token of `user` from `auth`. */
export async function bearer(
  auth: ApiAuth,
  user: 'admin' | 'viewer' = 'admin',
): Promise<Record<string, string>> {
  const { token } = await auth.tokens.issue(user, user === 'admin' ? 'operator' : 'viewer');
  return { Authorization: `Bearer ${token}` };
}

/** The `error` of an API error response. */
export async function apiError(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

/** `Authorization` with an operator's token from `testAuth()` (its clock is fixed). */
export const OPERATOR: Record<string, string> = await bearer(testAuth(), 'admin');
/** `Authorization` with a viewer's token from `testAuth()`. */
export const VIEWER: Record<string, string> = await bearer(testAuth(), 'viewer');
