/**
 * Who may call what. Writes need a token with the operator role; reads need a token of any role
 * unless API__READS=open (loopback only). Public: liveness and readiness, the OpenAPI document and
 * its page, the inspector's page (not its data), the login, and what Kite itself calls or
 * redirects a browser to (its login redirect, its callback, its postbacks: each checked by Kite's
 * checksum, not by our token). GET /metrics also takes API__METRICS_TOKEN, which is good for
 * nothing else.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../config/index.js';
import { ApiError } from '../api-error.js';
import { READ_METHODS } from '../same-origin.js';
import type { TokenIssuer } from './tokens.js';

export interface AuthPolicy {
  readonly tokens: TokenIssuer;
  readonly readsOpen: boolean;
  readonly metricsToken?: string;
}

/** What a route knows of its caller (`c.get('user')`), absent on open reads without a token. */
export interface Caller {
  readonly username: string;
  readonly role: Role;
}

const PUBLIC = new Set([
  'GET /health',
  'GET /ready',
  'GET /openapi.json',
  'GET /docs',
  'GET /inspector',
  'POST /api/v1/auth/login',
  'GET /api/v1/auth/zerodha/login',
  'GET /api/v1/auth/zerodha/callback',
  'POST /api/v1/postbacks/zerodha',
]);

const LOGIN_HINT =
  'POST /api/v1/auth/login with {"username", "password"}, then send Authorization: Bearer <token>';

function isPublic(method: string, path: string): boolean {
  const m = method === 'HEAD' ? 'GET' : method;
  return (
    PUBLIC.has(`${m} ${path}`) ||
    (m === 'GET' && (path.startsWith('/docs/') || path.startsWith('/inspector/')))
  );
}

function bearerOf(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function unauthorized(code: string, message: string): ApiError {
  return new ApiError(401, code, message);
}

export function authGuard(policy: AuthPolicy): MiddlewareHandler {
  return async (c, next) => {
    const { method, path } = c.req;
    if (isPublic(method, path)) return next();
    const read = READ_METHODS.has(method);
    const header = c.req.header('authorization');
    const bearer = bearerOf(header);
    if (
      path === '/metrics' &&
      read &&
      policy.metricsToken !== undefined &&
      typeof bearer === 'string' &&
      sameSecret(bearer, policy.metricsToken)
    )
      return next();
    if (read && policy.readsOpen && header === undefined) return next();
    const challenge = () => c.header('WWW-Authenticate', 'Bearer realm="alpha-panda"');
    if (bearer === undefined) challenge();
    if (bearer === undefined)
      throw unauthorized('UNAUTHENTICATED', `${method} ${path} needs a token: ${LOGIN_HINT}`);
    if (bearer === null) challenge();
    if (bearer === null)
      throw unauthorized(
        'INVALID_TOKEN',
        'the Authorization header is not "Bearer <token>"; send the token POST /api/v1/auth/login returned',
      );
    const v = await policy.tokens.verify(bearer);
    if (!v.ok) challenge();
    if (!v.ok)
      throw unauthorized(
        v.code,
        v.code === 'TOKEN_EXPIRED'
          ? `the token has expired; log in again: ${LOGIN_HINT}`
          : `the token is not one this API issued (or was altered); log in again: ${LOGIN_HINT}`,
      );
    if (!read && v.claims.role !== 'operator')
      throw new ApiError(
        403,
        'FORBIDDEN',
        `${method} ${path} needs the operator role; ${v.claims.username} has the ${v.claims.role} role`,
      );
    c.set('user' as never, v.claims as never);
    await next();
  };
}
