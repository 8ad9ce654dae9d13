/**
 * The daemon (`start`): opens the journal (recovering the last run when it can go on), the read
 * models and the configuration watch, serves the HTTP API through the `listen` it is given, runs
 * the live feed, and stops cleanly on SIGTERM or SIGINT, flushing the journal and snapshotting.
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/index.js';
import type { PortfolioSource } from '../readmodel/index.js';
import { entropySeed, SeededRandom, SystemClock } from '../runtime/index.js';
import {
  journalTransport,
  loadConfiguration,
  mockFeed,
  mockMarket,
  snapshotStore,
  bootstrapKafka,
} from './compose.js';
import { daemonDlq, type DlqService } from './dead-letters.js';
import { startPortfolioView, startRedisProjection } from './read-models.js';
import { openTradingSystem } from './recovery.js';
import { runSpec } from './run-spec.js';
import { Snapshotter } from './snapshotter.js';
import { watchStrategyRows } from './strategy-watch.js';
import type { StrategyStatus } from './trading-system.js';
import { logTradingEvents } from './trading-events-log.js';

/** One readiness check of `/ready`: null when ready, else what is wrong. */
export interface ReadinessCheck {
  readonly name: string;
  check(): string | null | Promise<string | null>;
}

/** What the HTTP API serves of a running daemon. */
export interface DaemonView {
  readonly portfolios: PortfolioSource;
  readonly readiness: readonly ReadinessCheck[];
  readonly strategies: () => readonly StrategyStatus[];
  readonly dlq: DlqService;
}

/** A started HTTP server. */
export interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the HTTP API over the daemon's view (the cli passes the api's server). */
export type Listen = (view: DaemonView) => Promise<Listener>;

/** Runs the daemon until SIGTERM or SIGINT; resolves once everything is stopped and flushed. */
export async function runDaemon(settings: Settings, log: Logger, listen: Listen): Promise<void> {
  if (settings.kafka_brokers) {
    const created = await bootstrapKafka(settings, settings.kafka_brokers);
    if (created.length > 0) log.info({ created }, 'journal topics created');
  }
  const { instruments, strategies, store } = await loadConfiguration(settings, log);
  const seed = settings.feed.seed ?? entropySeed();
  const random = new SeededRandom(seed);
  const transport = journalTransport(settings);
  const snapshots = snapshotStore(settings);
  const wallClock = new SystemClock();
  let opened;
  try {
    opened = await openTradingSystem({
      transport,
      current: runSpec(settings, instruments, strategies, seed),
      bridge: {
        batchRecords: settings.journal.batch_records,
        maxBacklog: settings.journal.max_backlog,
      },
      log,
      nowMs: wallClock.now(),
      snapshots,
    });
  } catch (err) {
    await store?.close();
    await snapshots.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
    throw err;
  }
  const { system, clock, recovered } = opened;
  logTradingEvents(system, log);
  for (const s of system.strategies())
    if (s.status === 'FAULTED')
      log.error({ strategy: s.id, error: s.error }, 'strategy not started');
  if (recovered) {
    const level = recovered.divergences > 0 ? 'error' : 'info';
    log[level](recovered, 'recovered the last run from the journal');
  }
  log.info(
    {
      seed,
      journal: transport.kind,
      journalFrom: system.bridge.lastSeq + 1,
      config: store ? 'postgres' : 'files',
      readModel: settings.redis_url ? 'redis' : 'in-process',
    },
    'journal opened',
  );
  const snapshotter = new Snapshotter({
    store: snapshots,
    system,
    journal: opened.journal,
    runStartSeq: opened.runStartSeq,
    clock,
    wallNow: () => wallClock.now(),
    everyRecords: settings.snapshot.every_records,
    everySeconds: settings.snapshot.every_seconds,
    log,
    lastSnapshotSeq: recovered?.snapshotSeq ?? 0,
  });

  const readModel = startPortfolioView(system);
  const projection = settings.redis_url
    ? await startRedisProjection(system, transport, settings.redis_url, log)
    : null;
  const stopWatch = store ? await watchStrategyRows(system, strategies, store, log) : null;

  const market = mockMarket(instruments, random.fork('market'), {
    scenario: settings.feed.scenario,
    annualVolatility: settings.feed.annual_volatility,
  });
  const recoveredTicks = recovered?.ticks ?? 0;
  const feed = mockFeed(
    market,
    clock,
    {
      ticksPerSecond: settings.feed.ticks_per_second,
      batchMs: settings.feed.batch_ms,
      ...(settings.feed.max_ticks === undefined
        ? {}
        : { maxTicks: Math.max(0, settings.feed.max_ticks - recoveredTicks) }),
    },
    (ticks) => system.ingestTicks(ticks),
  );

  const view: DaemonView = {
    portfolios: readModel,
    strategies: () => system.strategies(),
    dlq: daemonDlq(system, transport, log),
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
  };

  if (settings.feed.source === 'mock') feed.start();
  // Timers run between inputs, so a snapshot is never taken halfway through one.
  const snapshotTimer = setInterval(() => snapshotter.poll(), 250);
  const server = await listen(view);
  log.info(
    { port: server.port, strategies: system.strategies(), journal: settings.data_dir },
    'alpha panda started',
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping: flushing the journal');
      feed.stop();
      clearInterval(snapshotTimer);
      const closing = (async () => {
        await server.close();
        await stopWatch?.();
        await store?.close();
        // Nothing new comes in now: the last snapshot makes the next start replay nothing.
        await snapshotter.take();
        await system.close();
        if (projection) {
          await projection
            .flush()
            .catch((err: unknown) =>
              log.warn({ error: String(err) }, 'read model: last Redis write failed'),
            );
          await projection.close().catch(() => undefined);
        }
        await snapshots.close();
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
