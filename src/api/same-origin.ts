/**
 * Writes from the API's own origin only. A browser sends `Origin` (and `Sec-Fetch-Site`) with
 * every POST, so a page elsewhere that posts to the API (even a "simple" text/plain form post,
 * which needs no preflight) is refused with 403 before any route runs. Clients that are not
 * browsers (the CLI, curl) send neither and pass. Reads stay open.
 *
 * On a loopback HOST, a write must also address the API by a loopback name: a page whose own
 * name an attacker has re-pointed at 127.0.0.1 (DNS rebinding) is same-origin by its headers,
 * but its Host names the attacker's domain.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.js';
import { isLoopbackHost } from './loopback.js';

/** Methods that change nothing; every other method is a write. */
export const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

const HOW = 'the API takes writes only from its own origin or from clients that are not browsers';

/** Why a write from `headers` to `url` is not from the API's own origin, or null when it is. */
export function crossOriginProblem(
  url: URL,
  headers: Headers,
  loopbackOnly: boolean,
): { code: 'NOT_LOOPBACK_HOST' | 'CROSS_ORIGIN_WRITE'; message: string } | null {
  if (loopbackOnly && !isLoopbackHost(url.hostname))
    return {
      code: 'NOT_LOOPBACK_HOST',
      message: `a write addressed to ${JSON.stringify(url.host)} is refused: this API listens on loopback, so call it as 127.0.0.1, localhost or [::1]`,
    };
  const site = headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none')
    return {
      code: 'CROSS_ORIGIN_WRITE',
      message: `a write from another origin (Sec-Fetch-Site: ${site}) is refused; ${HOW}`,
    };
  const origin = headers.get('origin');
  if (origin === null) return null;
  let from: string | undefined;
  try {
    from = new URL(origin).host;
  } catch {
    from = undefined;
  }
  // The scheme is not compared: behind a TLS proxy the page is https and the API sees http.
  if (from === undefined || from === '' || from !== url.host)
    return {
      code: 'CROSS_ORIGIN_WRITE',
      message: `a write from origin ${JSON.stringify(origin)} to ${JSON.stringify(url.host)} is refused; ${HOW}`,
    };
  return null;
}

/**
 * The middleware: a write whose origin is not the API's own gets 403 CROSS_ORIGIN_WRITE (or
 * NOT_LOOPBACK_HOST).
 * `loopbackOnly`: the API listens on a loopback HOST.
 */
export function sameOriginWrites(loopbackOnly: boolean): MiddlewareHandler {
  return async (c, next) => {
    if (!READ_METHODS.has(c.req.method)) {
      const problem = crossOriginProblem(new URL(c.req.url), c.req.raw.headers, loopbackOnly);
      if (problem !== null) throw new ApiError(403, problem.code, problem.message);
    }
    await next();
  };
}
