/**
 * The daemon's read models: the in-process portfolio view the API serves, and, with REDIS_URL,
 * the Redis projection, rebuilt from the journal at start and then fed by the switchboard's taps.
 */
import type { Logger } from 'pino';
import type { JournalRecord } from '../model/index.js';
import type { PortfolioReadModel, RedisProjection } from '../readmodel/index.js';
import type { LogTransport } from '../runtime/index.js';
import { portfolioReadModel, redisProjection } from './compose.js';
import type { TradingSystem } from './trading-system.js';

/** Logs the 1st, 2nd, 4th, 8th... occurrence: an outage is reported without flooding the log. */
export function sparse(log: (n: number) => void): () => void {
  let n = 0;
  return () => {
    n++;
    if ((n & (n - 1)) === 0) log(n);
  };
}

/**
 * The in-process portfolio read model, fed by the switchboard from now on. A recovered run's
 * portfolios, rebuilt by replay rather than read from the journal here, are dated by the seq the
 * recovery reached (`recoveredThrough`); a new run's have no record yet (asOfSeq 0).
 */
export function startPortfolioView(
  system: TradingSystem,
  recoveredThrough: number | null,
): PortfolioReadModel {
  const readModel = portfolioReadModel();
  system.switchboard.tapTicks((ticks) => readModel.applyTicks(ticks));
  system.switchboard.tap((r) => readModel.apply(r));
  for (const snap of system.portfolios()) readModel.declare(snap, recoveredThrough ?? 0);
  return readModel;
}

/**
 * The Redis read model: rebuilt from the journal, then fed by the switchboard's taps. Records
 * journaled while the rebuild reads are buffered and applied after it, so none is missed. A Redis
 * that later loses the keys (restart, FLUSHDB, stale replica) is rewritten from memory, logged.
 */
export async function startRedisProjection(
  system: TradingSystem,
  transport: LogTransport,
  url: string,
  log: Logger,
): Promise<RedisProjection> {
  let lastErr = '';
  const warn = sparse((n) =>
    log.warn({ failures: n, error: lastErr }, 'read model: Redis write failed; retrying'),
  );
  const onError = (err: Error) => {
    lastErr = err.message;
    warn();
  };
  const projection = await redisProjection(url, {
    onError,
    onRewrite: (r) =>
      log.warn(
        { readModelSeq: r.found, written: r.expected, seq: r.seq, keys: r.keys },
        'read model: Redis had lost keys (empty or behind); rewrote every key from memory',
      ),
  });
  const buffered: JournalRecord[] = [];
  let live = false;
  system.switchboard.tap((r) => (live ? projection.apply(r) : buffered.push(r)));
  system.switchboard.tapTicks((ticks, firstSeq) => {
    if (live) projection.applyTicks(ticks, firstSeq);
  });
  await system.bridge.flush();
  const through = system.bridge.durableSeq;
  const n = await projection.rebuild(transport.read(1, { untilSeq: through }));
  for (const r of buffered) if (r.seq > through) projection.apply(r);
  live = true;
  for (const snap of system.portfolios()) projection.declare(snap);
  await projection.flush();
  log.info({ records: n, throughSeq: through }, 'read model rebuilt in Redis from the journal');
  return projection;
}
