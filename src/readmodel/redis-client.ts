/** Redis clients for the read model: commands fail fast while disconnected instead of queueing. */
import { Redis } from 'ioredis';
import { ReadModelUnavailable } from './errors.js';

export interface RedisClientOptions {
  /** Receives connection errors (ioredis emits them while it reconnects in the background). */
  readonly onError: (err: Error) => void;
  /** CLIENT SETNAME, so `CLIENT LIST` shows which process holds a connection. */
  readonly connectionName?: string;
}

/** host:port/db of a Redis URL, without credentials, for messages and logs. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}${u.pathname.length > 1 ? u.pathname : '/0'}`;
  } catch {
    return 'an unparsable REDIS_URL';
  }
}

/**
 * Creates a client that connects (and reconnects) in the background. A command sent while the
 * connection is down rejects at once rather than waiting in ioredis' offline queue: the
 * projection keeps its state in memory and rewrites it on the next flush, and an API request
 * answers 503 instead of hanging.
 */
export function redisClient(url: string, opts: RedisClientOptions): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    // Commands cut off by a dropped connection reject instead of being replayed later, out of
    // order with the writes of the flushes that follow.
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectionName: opts.connectionName ?? 'alpha-panda-readmodel',
  });
  // Without a listener ioredis prints every reconnect error to stderr.
  client.on('error', opts.onError);
  return client;
}

/**
 * Creates a client and waits until it is ready; rejects (and disconnects) when the first attempt
 * fails, so a process that needs Redis to start says so at once.
 */
export async function connectRedis(url: string, opts: RedisClientOptions): Promise<Redis> {
  const client = redisClient(url, opts);
  let lastError: Error | undefined;
  const remember = (err: Error) => (lastError = err);
  client.on('error', remember);
  try {
    await new Promise<void>((resolve, reject) => {
      const ready = () => {
        client.off('close', closed);
        resolve();
      };
      const closed = () => {
        client.off('ready', ready);
        reject(lastError ?? new Error(`no connection to ${describeRedisUrl(url)}`));
      };
      client.once('ready', ready);
      client.once('close', closed);
    });
  } catch (err) {
    client.disconnect();
    throw new ReadModelUnavailable(`connect to ${describeRedisUrl(url)}`, err);
  } finally {
    client.off('error', remember);
  }
  return client;
}

/**
 * Quits gracefully when connected (waiting for the connection to end), else stops reconnecting.
 * Never rejects: it runs on the way out.
 */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  try {
    await client.quit();
  } catch {
    // The connection dropped under QUIT: nothing left to close gracefully.
    client.disconnect();
    return;
  }
  await ended;
}
