/**
 * Zerodha's session and order updates over HTTP: the login redirect to Kite, Kite's callback
 * with the request token, the session's state, and Kite's postbacks (checksum verified).
 */
import { createRoute } from '@hono/zod-openapi';
import type { ZerodhaService } from '../../system/index.js';
import { ApiError } from '../api-error.js';
import { bodyText } from '../body-limit.js';
import { errors, json, z, type Router } from '../openapi.js';

const TOKEN = /^[A-Za-z0-9]{1,128}$/;
const tags = ['Zerodha'];

export function zerodhaRoutes(app: Router, svc: ZerodhaService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/auth/zerodha/login',
      tags,
      security: [],
      summary: "Redirects to Kite's login page",
      responses: { 302: { description: 'To Kite' } },
    }),
    (c) => c.redirect(svc.loginUrl(), 302),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/auth/zerodha',
      tags,
      summary: "The Kite session's state (never its tokens)",
      responses: { 200: json(z.record(z.string(), z.unknown()), 'The session'), ...errors(401) },
    }),
    (c) => c.json(svc.session() as Record<string, unknown>, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/auth/zerodha/callback',
      tags,
      security: [],
      summary: "Kite's redirect after a login: exchanges the request token for a session",
      request: {
        query: z.object({
          status: z.string().max(64).optional(),
          request_token: z.string().max(256).optional(),
          action: z.string().max(64).optional(),
          type: z.string().max(64).optional(),
        }),
      },
      responses: {
        200: json(z.object({ loggedIn: z.literal(true), userId: z.string() }), 'Logged in'),
        ...errors(400, 502),
      },
    }),
    async (c) => {
      const { status, request_token: token } = c.req.valid('query');
      if (status !== undefined && status !== 'success')
        throw new ApiError(
          400,
          'LOGIN_FAILED',
          `Kite reported the login as ${JSON.stringify(status)}; log in again`,
        );
      if (token === undefined || !TOKEN.test(token))
        throw new ApiError(
          400,
          'BAD_REQUEST_TOKEN',
          'request_token is missing or not alphanumeric; Kite adds it to the redirect after a login',
        );
      try {
        const { userId } = await svc.completeLogin(token);
        return c.json({ loggedIn: true as const, userId }, 200);
      } catch (err) {
        throw new ApiError(
          502,
          'LOGIN_EXCHANGE_FAILED',
          `Kite did not exchange the request token: ${(err as Error).message}; log in again (a request token is good once, for a few minutes)`,
        );
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/postbacks/zerodha',
      tags,
      security: [],
      summary: "Kite's order update postback (checked by its checksum)",
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: { type: 'object' } as never } },
        },
      },
      responses: {
        200: json(z.object({ ok: z.literal(true) }), 'Taken'),
        ...errors(400, 413, 415),
      },
    }),
    async (c) => {
      // The body was read (within API__MAX_BODY_BYTES) by the JSON middleware; its text is here.
      let body: unknown;
      try {
        body = JSON.parse(await bodyText(c));
      } catch {
        throw new ApiError(400, 'BAD_JSON', 'a postback is a JSON order update');
      }
      const r = svc.postback(body);
      if (!r.ok) throw new ApiError(400, 'POSTBACK_REFUSED', r.reason);
      return c.json({ ok: true as const }, 200);
    },
  );
}
