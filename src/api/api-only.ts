/**
 * The API-only process: serves the HTTP API from the Redis read model that a trading daemon
 * (started with REDIS_URL) keeps, so queries scale apart from trading.
 */
import type { Logger } from 'pino';
import { describeRedisUrl } from '../readmodel/index.js';
import { redisPortfolioReader } from '../system/index.js';
import { createApp } from './app.js';
import type { ApiAuth } from './auth/index.js';
import { listen } from './server.js';

export interface ApiOnlyOptions {
  /** The read model's Redis, e.g. redis://127.0.0.1:6379/0. */
  readonly redisUrl: string;
  readonly host: string;
  /** TCP port; 0 picks a free one (see ApiOnlyServer.port). */
  readonly port: number;
  /** Bodies larger than this get 413, bytes (API__MAX_BODY_BYTES). */
  readonly maxBodyBytes: number;
  /** Users, tokens and limits (the same settings as the daemon's API). */
  readonly auth: ApiAuth;
  readonly log: Logger;
}

export interface ApiOnlyServer {
  /** The port the server listens on. */
  readonly port: number;
  /** Stops accepting requests, then closes the Redis connection. */
  close(): Promise<void>;
}

/**
 * Connects to Redis and starts serving. Rejects when Redis cannot be reached at start (the
 * message names host, port and db, never credentials); later outages show on /ready and as 503s
 * while the client reconnects.
 */
export async function startApiOnly(opts: ApiOnlyOptions): Promise<ApiOnlyServer> {
  const { log } = opts;
  const where = describeRedisUrl(opts.redisUrl);
  // One warning per outage, not one per reconnect attempt.
  let down = false;
  const reader = await redisPortfolioReader(opts.redisUrl, (err) => {
    if (!down) log.warn({ err, redis: where }, 'redis connection lost; reconnecting');
    down = true;
  });
  reader.onReady(() => {
    if (down) log.info({ redis: where }, 'redis connection restored');
    down = false;
  });
  const app = createApp({
    portfolios: reader,
    readiness: [{ name: 'redis', check: () => reader.ping() }],
    log,
    host: opts.host,
    maxBodyBytes: opts.maxBodyBytes,
    auth: opts.auth,
  });

  let server;
  try {
    server = await listen(app, opts.host, opts.port);
  } catch (err) {
    await reader.close();
    throw err;
  }
  log.info(
    { port: server.port, host: opts.host, redis: where },
    'alpha panda api started (read model in redis)',
  );
  const listening = server;
  let closing: Promise<void> | undefined;
  return {
    port: listening.port,
    close: () =>
      (closing ??= (async () => {
        await listening.close();
        await reader.close();
      })()),
  };
}

/**
 * Runs the API-only process until SIGTERM, SIGINT or `signal` aborts; resolves once the server
 * and the Redis connection are closed.
 */
export async function runApiOnly(opts: ApiOnlyOptions & { signal?: AbortSignal }): Promise<void> {
  const { log, signal } = opts;
  const server = await startApiOnly(opts);
  const reason = await new Promise<string>((resolve) => {
    const stop = (why: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      signal?.removeEventListener('abort', onAbort);
      resolve(why);
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    const onAbort = () => stop('abort');
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
    if (signal?.aborted) stop('abort');
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  log.info({ signal: reason }, 'stopping the api');
  await server.close();
  log.info('api stopped');
}
