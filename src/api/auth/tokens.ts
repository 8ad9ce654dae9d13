/**
 * The API's bearer tokens: HS256 JWTs naming the user and role, good for API__TOKEN_TTL_SECONDS.
 * Expiry is checked against the injected clock, not the library's, so tests need not wait.
 */
import { sign, verify } from 'hono/jwt';
import type { Role } from '../../config/index.js';
import { ROLES } from '../../config/index.js';

export interface Claims {
  readonly username: string;
  readonly role: Role;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

export type Verified =
  { ok: true; claims: Claims } | { ok: false; code: 'INVALID_TOKEN' | 'TOKEN_EXPIRED' };

export interface TokenIssuer {
  issue(username: string, role: Role): Promise<{ token: string; expiresAt: string }>;
  verify(token: string): Promise<Verified>;
}

const ISSUER = 'alpha-panda';

export function tokenIssuer(secret: string, ttlSeconds: number, nowMs: () => number): TokenIssuer {
  return {
    async issue(username, role) {
      const iat = Math.floor(nowMs() / 1000);
      const exp = iat + ttlSeconds;
      const token = await sign({ sub: username, role, iat, exp, iss: ISSUER }, secret, 'HS256');
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    },
    async verify(token) {
      let p: Record<string, unknown>;
      try {
        // The signature and algorithm are checked here; times against our own clock below.
        p = await verify(token, secret, { alg: 'HS256', exp: false, nbf: false, iat: false });
      } catch {
        return { ok: false, code: 'INVALID_TOKEN' };
      }
      const { sub, role, exp, iss } = p;
      if (
        iss !== ISSUER ||
        typeof sub !== 'string' ||
        typeof exp !== 'number' ||
        !(ROLES as readonly unknown[]).includes(role)
      )
        return { ok: false, code: 'INVALID_TOKEN' };
      if (exp * 1000 <= nowMs()) return { ok: false, code: 'TOKEN_EXPIRED' };
      return { ok: true, claims: { username: sub, role: role as Role, exp } };
    },
  };
}
