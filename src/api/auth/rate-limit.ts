/**
 * Requests per client per minute (fixed one-minute windows on the injected clock). Past the
 * limit, 429 with Retry-After: the seconds until the client's window ends. Clients are told
 * apart by their address; at most `maxClients` windows are held (the oldest go first).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../api-error.js';

export interface Limiter {
  /** Counts one hit for `client`; returns the seconds to wait when it is over the limit. */
  hit(client: string): number | null;
  /** Whether `client` is over the limit, without counting. */
  over(client: string): number | null;
}

export function limiter(perMinute: number, nowMs: () => number, maxClients = 10_000): Limiter {
  const windows = new Map<string, { start: number; n: number }>();
  const windowOf = (client: string) => {
    const now = nowMs();
    let w = windows.get(client);
    if (!w || now - w.start >= 60_000) {
      windows.delete(client);
      if (windows.size >= maxClients) windows.delete(windows.keys().next().value!);
      w = { start: now, n: 0 };
      windows.set(client, w);
    }
    return { w, now };
  };
  const wait = (w: { start: number }, now: number) =>
    Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
  return {
    hit(client) {
      const { w, now } = windowOf(client);
      w.n++;
      return w.n > perMinute ? wait(w, now) : null;
    },
    over(client) {
      const { w, now } = windowOf(client);
      return w.n >= perMinute ? wait(w, now) : null;
    },
  };
}

/** The address the request came from (the socket's; 'local' for in-process requests). */
export function clientOf(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}

export function tooMany(seconds: number, what: string): ApiError {
  return new ApiError(429, 'RATE_LIMITED', `${what}; try again in ${seconds} s`);
}

/** The middleware: 429 with Retry-After once a client passes `limit` requests in its minute. */
export function rateLimit(limit: Limiter, perMinute: number): MiddlewareHandler {
  return async (c, next) => {
    const wait = limit.hit(clientOf(c));
    if (wait !== null) {
      c.header('Retry-After', String(wait));
      throw tooMany(
        wait,
        `more than ${perMinute} requests a minute from this client (API__RATE_LIMIT_PER_MINUTE)`,
      );
    }
    await next();
  };
}
