/**
 * Request ids and the server-error log: every response carries `X-Request-Id` (the caller's, when
 * it is a sane one, else a new UUIDv7), and every 5xx is logged under that id, with the error
 * when one was thrown, so an operator can find what a client saw.
 */
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import {
  entropySeed,
  IdGenerator,
  SeededRandom,
  SystemClock,
  uuidv7,
  type Clock,
  type Random,
} from '../runtime/index.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

// What a proxy or client may give: UUIDs, hex, base64 and dotted ids; nothing that could
// smuggle markup or control characters into a log line or a header.
const SANE_ID = /^[A-Za-z0-9._~:+/=-]{1,128}$/;

/** New request ids: UUIDv7 from `clock` and `random` (by default the wall clock and entropy). */
export function requestIds(
  clock: Clock = new SystemClock(),
  random: Random = new SeededRandom(entropySeed()),
): () => string {
  const ids = new IdGenerator(random);
  // 40 random bits: 32 plus 8.
  return () => uuidv7(clock.now(), ids.nonce(), random.nextU32() * 256 + (random.nextU32() & 255));
}

/** The request-id and server-error middleware; `newId` makes an id for a request without one. */
export function requestLog(log: Logger, newId: () => string): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header(REQUEST_ID_HEADER);
    const id = given !== undefined && SANE_ID.test(given) ? given : newId();
    c.set('requestId' as never, id as never);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
    const status = c.res.status;
    if (status < 500) return;
    const fields = { requestId: id, method: c.req.method, path: c.req.path, status };
    if (c.error !== undefined) log.error({ ...fields, err: c.error }, 'request failed');
    else log.warn(fields, 'request answered with a server error');
  };
}

export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/**
 * Correlation ids: a caller's `X-Correlation-Id` (a sane one) is kept, else the request's own id
 * stands for it; either is echoed on the response and available to routes as `correlationId`.
 */
export function correlationIds(): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header(CORRELATION_ID_HEADER);
    const id =
      given !== undefined && SANE_ID.test(given)
        ? given
        : (c.get('requestId' as never) as string | undefined);
    if (id !== undefined) c.set('correlationId' as never, id as never);
    await next();
    if (id !== undefined) c.res.headers.set(CORRELATION_ID_HEADER, id);
  };
}
