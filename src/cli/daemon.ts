/** The daemon: the trading system on the live mock feed, with the HTTP API, until SIGTERM/SIGINT. */
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { MockFeed, MockMarket, type StrategyConfig, type TradingSystem } from '../actors/index.js';
import { createApp } from '../api/index.js';
import type { Settings } from '../config/index.js';
import type { PgConfigStore, StrategyChange } from '../config/pg-store.js';
import type { Instrument, JournalRecord } from '../model/index.js';
import { connectRedis, PortfolioReadModel, RedisProjection } from '../readmodel/index.js';
import type { Clock } from '../runtime/clock.js';
import type { Random } from '../runtime/ids.js';
import type { LogTransport } from '../runtime/transport.js';
import { daemonDlq } from './dlq.js';
import type { Snapshotter } from './snapshotter.js';

export interface DaemonParts {
  readonly settings: Settings;
  readonly instruments: readonly Instrument[];
  readonly system: TradingSystem;
  readonly transport: LogTransport;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly strategies: readonly StrategyConfig[];
  /** The Postgres configuration store, when DATABASE_URL is set: its changes apply live. */
  readonly store: PgConfigStore | null;
  /** Ticks of the recovered run already in the journal (they count toward FEED__MAX_TICKS). */
  readonly recoveredTicks?: number;
  /** Takes snapshots while running and at stop; none: no snapshots. */
  readonly snapshotter?: Snapshotter | null;
}

/** Logs the 1st, 2nd, 4th, 8th... occurrence: an outage is reported without flooding the log. */
function sparse(log: (n: number) => void): () => void {
  let n = 0;
  return () => {
    n++;
    if ((n & (n - 1)) === 0) log(n);
  };
}

/**
 * The Redis read model: rebuilt from the journal, then fed by the switchboard's taps. Records
 * journaled while the rebuild reads are buffered and applied after it, so none is missed.
 */
async function startRedisProjection(p: DaemonParts, url: string): Promise<RedisProjection> {
  const { system, log } = p;
  let lastErr = '';
  const warn = sparse((n) =>
    log.warn({ failures: n, error: lastErr }, 'read model: Redis write failed; retrying'),
  );
  const onError = (err: Error) => {
    lastErr = err.message;
    warn();
  };
  const projection = new RedisProjection(
    await connectRedis(url, { onError, connectionName: 'alpha-panda-readmodel' }),
    {
      onError,
    },
  );
  const buffered: JournalRecord[] = [];
  let live = false;
  system.switchboard.tap((r) => (live ? projection.apply(r) : buffered.push(r)));
  system.switchboard.tapTicks((ticks, firstSeq) => {
    if (live) projection.applyTicks(ticks, firstSeq);
  });
  await system.bridge.flush();
  const through = system.bridge.durableSeq;
  const n = await projection.rebuild(p.transport.read(1, { untilSeq: through }));
  for (const r of buffered) if (r.seq > through) projection.apply(r);
  live = true;
  for (const snap of system.portfolios()) projection.declare(snap);
  await projection.flush();
  log.info({ records: n, throughSeq: through }, 'read model rebuilt in Redis from the journal');
  return projection;
}

/**
 * Applies strategy rows changed in Postgres (LISTEN/NOTIFY) to the running strategies, each as a
 * journaled input. A deleted row disables its strategy.
 */
async function watchStrategyRows(
  p: DaemonParts,
  store: PgConfigStore,
): Promise<() => Promise<void>> {
  const { system, log } = p;
  const apply = (change: StrategyChange) => {
    const was = p.strategies.find((c) => c.id === change.id);
    const cfg = change.config ?? (was ? { ...was, enabled: false } : null);
    if (!cfg) {
      log.warn({ strategy: change.id }, 'strategy row deleted; it was not running');
      return;
    }
    const r = system.configureStrategy(cfg, 'config:postgres');
    if (r.ok)
      log.info(
        { strategy: cfg.id, enabled: cfg.enabled, seq: r.seq, deleted: change.config === null },
        'strategy reconfigured from Postgres',
      );
    else log.warn({ strategy: cfg.id, error: r.error }, 'strategy change not applied');
  };
  return store.watchStrategies(apply, {
    onError: (err) => log.warn({ error: err.message }, 'strategy notification not applied'),
  });
}

/** Starts feed and API; resolves once a signal has stopped everything cleanly. */
export async function runDaemon(p: DaemonParts): Promise<void> {
  const { settings, system, log } = p;
  const readModel = new PortfolioReadModel();
  system.switchboard.tapTicks((ticks) => readModel.applyTicks(ticks));
  system.switchboard.tap((r) => readModel.apply(r));
  for (const snap of system.portfolios()) readModel.declare(snap);
  const projection = settings.redis_url ? await startRedisProjection(p, settings.redis_url) : null;
  const stopWatch = p.store ? await watchStrategyRows(p, p.store) : null;

  const market = new MockMarket(p.instruments, p.random.fork('market'), {
    scenario: settings.feed.scenario,
    annualVolatility: settings.feed.annual_volatility,
  });
  const feed = new MockFeed(
    market,
    p.clock,
    {
      ticksPerSecond: settings.feed.ticks_per_second,
      batchMs: settings.feed.batch_ms,
      ...(settings.feed.max_ticks === undefined
        ? {}
        : { maxTicks: Math.max(0, settings.feed.max_ticks - (p.recoveredTicks ?? 0)) }),
    },
    (ticks) => system.ingestTicks(ticks),
  );

  const app = createApp({
    portfolios: readModel,
    strategies: () => system.strategies(),
    dlq: daemonDlq(system, p.transport, log),
    readiness: [
      {
        name: 'journal',
        check: () =>
          system.bridge.backlog > settings.journal.max_backlog
            ? `journal backlog ${system.bridge.backlog} records`
            : null,
      },
      {
        name: 'feed',
        check: () =>
          settings.feed.source === 'none' || feed.running ? null : 'mock feed is not running',
      },
      {
        name: 'brokers',
        check: () => {
          const bad = Object.entries(system.tradingStates()).filter(([, s]) => s !== 'ACTIVE');
          return bad.length === 0 ? null : bad.map(([b, s]) => `${b} is ${s}`).join(', ');
        },
      },
    ],
  });

  if (settings.feed.source === 'mock') feed.start();
  // Timers run between inputs, so a snapshot is never taken halfway through one.
  const snapshotTimer = p.snapshotter ? setInterval(() => p.snapshotter!.poll(), 250) : null;
  const server = serve({ fetch: app.fetch, port: settings.port, hostname: settings.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  log.info(
    { port: settings.port, strategies: system.strategies(), journal: settings.data_dir },
    'alpha panda started',
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping: flushing the journal');
      feed.stop();
      server.close();
      if (snapshotTimer) clearInterval(snapshotTimer);
      const closing = (async () => {
        await stopWatch?.();
        await p.store?.close();
        // Nothing new comes in now: the last snapshot makes the next start replay nothing.
        await p.snapshotter?.take();
        await system.close(p.transport);
        if (projection) {
          await projection
            .flush()
            .catch((err: unknown) =>
              log.warn({ error: String(err) }, 'read model: last Redis write failed'),
            );
          await projection.close().catch(() => undefined);
        }
      })();
      void closing.then(
        () => {
          log.info(
            {
              lastSeq: system.bridge.durableSeq,
              ticks: feed.ticks,
              fingerprint: system.switchboard.fingerprint(),
            },
            'journal flushed; stopped',
          );
          resolve();
        },
        (err: unknown) => {
          log.error({ err }, 'error while stopping');
          resolve();
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
