/**
 * Logging in: POST /api/v1/auth/login takes a username and password and answers with a bearer
 * token (HS256 JWT). Failed logins are limited per client (API__LOGIN_ATTEMPTS_PER_MINUTE); the
 * answer to a wrong password and to an unknown user is the same.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import { z as zod } from 'zod';
import { ApiError } from '../api-error.js';
import type { Caller } from '../auth/guard.js';
import { clientOf, tooMany, type Limiter } from '../auth/rate-limit.js';
import type { TokenIssuer } from '../auth/tokens.js';
import type { UserDirectory } from '../auth/users.js';
import { readJsonBody } from '../json-body.js';
import { errors, json, jsonBody, z, type Router } from '../openapi.js';

const LoginBody = zod.strictObject({
  username: zod.string().min(1).max(64),
  password: zod.string().min(1).max(1024),
});

const Me = z
  .object({ username: z.string(), role: z.enum(['viewer', 'operator']) })
  .openapi('Caller');

export interface AuthRouteDeps {
  readonly users: UserDirectory;
  readonly tokens: TokenIssuer;
  readonly failedLogins: Limiter;
  readonly log: Logger;
}

const tags = ['Auth'];

export function authRoutes(app: Router, deps: AuthRouteDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      tags,
      security: [],
      summary: 'Logs in: a bearer token for the other routes',
      request: { body: jsonBody(LoginBody, 'The credentials', true) },
      responses: {
        200: json(
          z.object({
            token: z.string(),
            tokenType: z.literal('Bearer'),
            expiresAt: z.string(),
            username: z.string(),
            role: z.enum(['viewer', 'operator']),
          }),
          'Logged in',
        ),
        ...errors(400, 401, 413, 415),
      },
    }),
    async (c) => {
      const client = clientOf(c);
      const wait = deps.failedLogins.over(client);
      if (wait !== null) {
        c.header('Retry-After', String(wait));
        throw tooMany(
          wait,
          'too many failed logins from this client (API__LOGIN_ATTEMPTS_PER_MINUTE)',
        );
      }
      const body = await readJsonBody(c, LoginBody, {
        allowEmpty: false,
        example: '{"username": "admin", "password": "..."}',
      });
      const user = await deps.users.check(body.username, body.password);
      if (!user) {
        deps.failedLogins.hit(client);
        // Not the username as typed: a password typed into that field would reach the log.
        deps.log.warn({ client }, 'API login failed');
        throw new ApiError(401, 'INVALID_CREDENTIALS', 'the username or the password is wrong');
      }
      const t = await deps.tokens.issue(user.username, user.role);
      deps.log.info({ username: user.username, role: user.role, client }, 'API login');
      return c.json(
        { token: t.token, tokenType: 'Bearer' as const, expiresAt: t.expiresAt, ...user },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/auth/me',
      tags,
      summary: 'Who the token belongs to',
      responses: { 200: json(Me, 'The caller'), ...errors(401) },
    }),
    (c) => {
      const user = c.get('user' as never) as Caller | undefined;
      if (!user)
        throw new ApiError(
          401,
          'UNAUTHENTICATED',
          'this route needs a token: POST /api/v1/auth/login, then send Authorization: Bearer <token>',
        );
      return c.json({ username: user.username, role: user.role }, 200);
    },
  );
}
