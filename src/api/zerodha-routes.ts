/**
 * Zerodha's session and order updates over HTTP: the login redirect to Kite, Kite's callback
 * with the request token, the session's state, and Kite's postbacks (checksum verified).
 */
import type { Hono } from 'hono';
import type { ZerodhaService } from '../system/index.js';
import { ApiError } from './api-error.js';
import { bodyText } from './body-limit.js';

const TOKEN = /^[A-Za-z0-9]{1,128}$/;

export function zerodhaRoutes(app: Hono, svc: ZerodhaService): void {
  app.get('/api/v1/auth/zerodha/login', (c) => c.redirect(svc.loginUrl(), 302));

  app.get('/api/v1/auth/zerodha', (c) => c.json(svc.session()));

  app.get('/api/v1/auth/zerodha/callback', async (c) => {
    const status = c.req.query('status');
    const token = c.req.query('request_token');
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
      return c.json({ loggedIn: true, userId });
    } catch (err) {
      throw new ApiError(
        502,
        'LOGIN_EXCHANGE_FAILED',
        `Kite did not exchange the request token: ${(err as Error).message}; log in again (a request token is good once, for a few minutes)`,
      );
    }
  });

  app.post('/api/v1/postbacks/zerodha', async (c) => {
    // The body was read (within API__MAX_BODY_BYTES) by the JSON middleware; its text is here.
    let body: unknown;
    try {
      body = JSON.parse(await bodyText(c));
    } catch {
      throw new ApiError(400, 'BAD_JSON', 'a postback is a JSON order update');
    }
    const r = svc.postback(body);
    if (!r.ok) throw new ApiError(400, 'POSTBACK_REFUSED', r.reason);
    return c.json({ ok: true });
  });
}
