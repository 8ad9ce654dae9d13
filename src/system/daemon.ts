/**
 * The daemon (`start`). Start-up is all or nothing: the data directory and its lock, the port,
 * Kafka, the configuration (Postgres), the journal and its recovery, and Redis each either work
 * or stop the process with exit 2 and one line naming what failed, before any tick is taken.
 * Then the live feed runs until SIGTERM or SIGINT, which flush the journal and snapshot; a fatal
 * error after trading began flushes the journal, logs the fingerprint and exits 1.
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/index.js';
import {
  AlphaPandaError,
  entropySeed,
  IdGenerator,
  journalId,
  SeededRandom,
  StartupError,
  SystemClock,
  type LogTransport,
  type SnapshotStore,
} from '../runtime/index.js';
import {
  bootstrapKafka,
  journalTransport,
  loadConfiguration,
  mockFeed,
  mockMarket,
  snapshotStore,
  type Configuration,
} from './compose.js';
import { lockDataDir } from './data-dir.js';
import { loadStrategyRegistry } from './strategy-files/index.js';
import { diskWatch } from './disk-watch.js';
import { daemonDlq } from './dead-letters.js';
import { startPortfolioView, startRedisProjection } from './read-models.js';
import { openTradingSystem, type Opened } from './recovery.js';
import { runSpec } from './run-spec.js';
import { marketHoursOf } from './market-timers.js';
import { usesZerodha, zerodhaParts, type ZerodhaParts } from './zerodha.js';
import { Snapshotter } from './snapshotter.js';
import {
  readinessChecks,
  type DaemonListener,
  type DaemonView,
  type Listen,
} from './daemon-view.js';
import { startMetrics } from './metrics/index.js';
import { eventStream } from './event-stream.js';
import { liveInspector, MessageCounters } from './inspector/index.js';
import { journalStatus } from './journal-status.js';
import { startJournalViews } from './journal-views.js';
import { watchPortfolios } from './portfolio-changes.js';
import { watchStrategyRows } from './strategy-watch.js';
import { strategyControl } from './strategy-control.js';
import { logTradingEvents } from './trading-events-log.js';
import { hostname } from 'node:os';
import { noticeStartState, startNotifications } from './notify/index.js';
import { tradingService } from './trading-service.js';

/** How long a stop waits for a journal that cannot be written to drain, ms. */
const STOP_FLUSH_MS = 15_000;

/** Runs one start-up step; an infrastructure failure becomes a StartupError naming the step. */
async function step<T>(what: string, fix: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    // Infrastructure failures (an AlphaPandaError that says so, or a system error with a code)
    // are the operator's to fix; anything else is a bug and keeps its stack.
    const infra =
      err instanceof AlphaPandaError
        ? err.retriable || err.code === 'JOURNAL_OPEN_FAILED'
        : err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
    if (!infra || err instanceof StartupError) throw err;
    // An AlphaPandaError's message already names what failed and how to fix it.
    if (err instanceof AlphaPandaError) throw new StartupError(err.message, { cause: err });
    throw new StartupError(`${what}: ${(err as Error).message}; ${fix}`, { cause: err });
  }
}

/** Runs the daemon until SIGTERM or SIGINT; resolves once everything is stopped and flushed. */
export async function runDaemon(settings: Settings, log: Logger, listen: Listen): Promise<void> {
  const wallClock = new SystemClock();
  const undo: (() => Promise<unknown>)[] = [];
  /** Closes what was opened, last first, every step whatever the others do; rethrows the first failure. */
  const unwind = async () => {
    let first: unknown = null;
    for (const u of undo.reverse())
      await u().catch((err: unknown) => {
        first ??= err;
      });
    if (first !== null) throw first;
  };
  let opened: Opened;
  let started: Started;
  try {
    const lock = await lockDataDir(settings.data_dir, () => new Date(wallClock.now()));
    undo.push(() => lock.release());
    const server = await listen();
    undo.push(() => server.close());
    if (settings.kafka_brokers) {
      const brokers = settings.kafka_brokers;
      const created = await step(
        `Kafka at ${brokers.join(',')}`,
        'check KAFKA_BROKERS and that the broker is up',
        () => bootstrapKafka(settings, brokers),
      );
      if (created.length > 0) log.info({ created }, 'journal topics created');
    }
    const config = await step(
      'the configuration',
      'check DATABASE_URL and that Postgres is up',
      () => loadConfiguration(settings, log),
    );
    undo.push(async () => config.store?.close());
    // Strategy files: a broken one faults the strategies of its type only (they are refused at
    // start with its file:line:column), so it is logged here and the daemon goes on.
    const strategyFiles = loadStrategyRegistry(settings.strategies_dir);
    for (const p of strategyFiles.problems)
      log.error({ file: p.path, error: p.error }, 'strategy file not loaded');
    const seed = settings.feed.seed ?? entropySeed();
    // Built before recovery (which re-derives its commands without sending them), live after.
    const zerodha = usesZerodha(settings)
      ? zerodhaParts(settings, config.instruments, wallClock, log)
      : null;
    if (zerodha) undo.push(() => zerodha.stop());
    const transport = journalTransport(settings);
    const snapshots = snapshotStore(settings);
    undo.push(() => snapshots.close());
    undo.push(() => transport.close());
    opened = await step(`the journal (${transport.kind})`, 'check DATA_DIR or KAFKA_BROKERS', () =>
      openTradingSystem({
        transport,
        current: runSpec(
          settings,
          config.instruments,
          config.strategies,
          seed,
          strategyFiles.registry,
        ),
        bridge: {
          batchRecords: settings.journal.batch_records,
          maxBacklog: settings.journal.max_backlog,
        },
        log,
        nowMs: wallClock.now(),
        nonce: new IdGenerator(new SeededRandom(entropySeed())).nonce(),
        snapshots,
        registry: strategyFiles.registry,
        ...(zerodha && settings.active_brokers.includes('zerodha')
          ? { remotes: { zerodha: zerodha.broker } }
          : {}),
      }),
    );
    undo.pop();
    // A journal that cannot be written gets a while to drain at stop, then the rest is reported.
    undo.push(() => opened.system.close(STOP_FLUSH_MS));
    const journal = { transport, snapshots };
    // A SIGTERM or SIGINT while the rest starts (read models, Redis, the view) is kept, not
    // lost to Node's default (an exit without the final flush and snapshot): the daemon stops
    // cleanly as soon as it has started.
    const early = (signal: string) => (pending ??= signal);
    process.on('SIGTERM', early).on('SIGINT', early);
    undo.push(async () => void process.off('SIGTERM', early).off('SIGINT', early));
    started = await startParts(settings, log, opened, journal, config, server, wallClock, zerodha);
    undo.push(...started.undo);
  } catch (err) {
    await unwind().catch(() => undefined);
    throw err;
  }
  await started.run(
    async (why) => {
      await unwind();
      return why;
    },
    () => pending,
  );
}

/** The first stop signal received while the daemon was starting, if any. */
let pending: string | null = null;

interface Started {
  readonly undo: (() => Promise<unknown>)[];
  /** Runs until a stop signal (or one `pending` from the start) or a fatal error. */
  run(stop: (why: string) => Promise<string>, pending: () => string | null): Promise<void>;
}

/** The read models, the configuration watch, the feed and the view: everything after recovery. */
async function startParts(
  settings: Settings,
  log: Logger,
  opened: Opened,
  journal: { transport: LogTransport; snapshots: SnapshotStore },
  config: Configuration,
  server: DaemonListener,
  wallClock: SystemClock,
  zerodha: ZerodhaParts | null,
): Promise<Started> {
  const { system, clock, recovered, run } = opened;
  logTradingEvents(system, log);
  // Notifications of what is journaled from now on, and of a start that finds a broker halted
  // (by a recovery that diverged, or a halt the journal keeps): the operator hears of both.
  const notifier = startNotifications(system, {
    settings: settings.notify,
    log,
    wallMs: () => wallClock.now(),
    instance: hostname(),
  });
  if (notifier) noticeStartState(notifier, system);
  for (const s of system.strategies())
    if (s.status === 'FAULTED')
      log.error({ strategy: s.id, error: s.error }, 'strategy not started');
  if (recovered) {
    const level = recovered.divergences > 0 ? 'error' : 'info';
    log[level](recovered, 'recovered the last run from the journal');
  }
  log.info(
    {
      seed: run.seed,
      runStartSeq: opened.runStartSeq,
      recovered: recovered !== null,
      journal: journal.transport.kind,
      journalFrom: system.bridge.lastSeq + 1,
      config: config.store ? 'postgres' : 'files',
      readModel: settings.redis_url ? 'redis' : 'in-process',
    },
    'journal opened',
  );
  const undo: (() => Promise<unknown>)[] = [];
  if (notifier) undo.push(() => notifier.drain(2000).then(() => notifier.close()));
  const readModel = startPortfolioView(system, recovered?.throughSeq ?? null);
  const portfolioChanges = watchPortfolios(system, readModel);
  const events = eventStream(system, journal.transport);
  const counters = new MessageCounters();
  system.switchboard.tap(counters.tap);
  system.switchboard.tapTicks(counters.ticks);
  const inspector = liveInspector({
    system,
    transport: journal.transport,
    events,
    counters,
    wallMs: () => wallClock.now(),
    snapshot: () => journal.snapshots.latest(journalId(system.meta)),
  });
  undo.push(() => inspector.close());
  const journalViews = startJournalViews(
    system,
    journal.transport,
    Object.keys(system.tradingStates()),
  );
  undo.push(() => journalViews.ready.catch(() => undefined));
  journalViews.ready.then(
    (n) => log.info({ records: n }, 'signal and pipeline views built from the journal'),
    (err: unknown) =>
      log.warn(
        { error: String(err) },
        'signal and pipeline views: the journal was not read whole; counting from now',
      ),
  );
  if (settings.redis_url) {
    const url = settings.redis_url;
    const projection = await step('Redis (REDIS_URL)', 'check REDIS_URL and that Redis is up', () =>
      startRedisProjection(system, journal.transport, url, log),
    );
    undo.push(async () => {
      await projection
        .flush()
        .catch((err: unknown) =>
          log.warn({ error: String(err) }, 'read model: last Redis write failed'),
        );
      await projection.close().catch(() => undefined);
    });
  }
  const strategies = strategyControl(system, config.store ?? null);
  if (config.store) {
    const stopWatch = await step(
      'Postgres (DATABASE_URL)',
      'check DATABASE_URL and that Postgres is up',
      () =>
        watchStrategyRows(
          strategies,
          config.strategies.map((c) => c.id),
          config.store!,
          log,
        ),
    );
    undo.push(stopWatch);
  }
  const snapshotter = new Snapshotter({
    store: journal.snapshots,
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
  const journalNow = journalStatus(
    system,
    journal.transport.kind === 'kafka' ? 'kafka' : 'lmdb',
    () => snapshotter.lastSaved,
    () => wallClock.now(),
  );
  // Nothing new comes in once stopping: the last snapshot makes the next start replay nothing.
  // Not while the journal cannot be written: a snapshot is never ahead of its journal.
  undo.push(async () => {
    if (system.journalProblem() === null) await snapshotter.take();
  });

  const recoveredTicks = recovered?.ticks ?? 0;
  const market = mockMarket(run.instruments, new SeededRandom(run.seed).fork('market'), {
    scenario: settings.feed.scenario,
    annualVolatility: settings.feed.annual_volatility,
  });
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
    (ticks) => {
      // The batch's latencies are timed from here, before anything is journaled for it.
      metrics.ticksArriving();
      // Timers due by now (session marks, IST midnight, the PnL interval) are journaled first.
      system.commands.advance(clock.now());
      system.ingestTicks(ticks);
    },
  );
  // A recovery whose replay differs from the journal does not go live (its gates are halted).
  const refused =
    recovered !== null && recovered.divergences > 0
      ? `recovery found ${recovered.divergences} divergence(s) from the journal; trading is halted and the feed stays off`
      : null;
  const disk = diskWatch(settings, log, () => system.journalProblem() !== null);
  const metrics = startMetrics(system, {
    enabled: settings.metrics.enabled,
    wallMs: () => wallClock.now(),
    portfolios: readModel,
    lastSnapshot: () => snapshotter.lastSaved,
    feed: () => ({
      source: settings.feed.source,
      connections:
        settings.feed.source === 'mock'
          ? [{ connection: 0, open: feed.running }]
          : (zerodha?.ticker?.status() ?? []).map((c) => ({
              connection: c.connection,
              open: c.state === 'open',
            })),
    }),
  });
  undo.push(async () => metrics.close());
  const view: DaemonView = {
    portfolios: readModel,
    strategies,
    metrics,
    events,
    inspector,
    portfolioChanges,
    signals: journalViews.signals,
    pipeline: journalViews.pipeline,
    journal: journalNow,
    wallMs: () => wallClock.now(),
    ...(config.store ? { users: (u: string) => config.store!.findUser(u) } : {}),
    trading: tradingService(
      system,
      readModel.orders,
      zerodha ? { zerodha: () => zerodha.service.session() } : {},
    ),
    dlq: daemonDlq(system, journal.transport, log),
    readiness: readinessChecks({
      system,
      disk,
      refused,
      feedSource: settings.feed.source,
      mockFeedRunning: () => feed.running,
      ticker: () => zerodha?.ticker?.status() ?? [],
    }),
  };
  server.serve(zerodha ? { ...view, zerodha: zerodha.service } : view);

  // Zerodha goes live after recovery: its gate stays HALTED until the session is valid and the
  // journal's open orders are reconciled with Kite. Not on a refused recovery.
  if (zerodha && refused === null)
    zerodha.start(system, run.orderIds ?? system.meta, marketHoursOf(run.market));
  const live = settings.feed.source === 'mock' && refused === null;
  if (live) feed.start();
  else if (refused !== null) log.error(refused);
  // Housekeeping between inputs: snapshots (never halfway through one), the backlog bound (the
  // feed waits while the journal cannot keep up: nothing is dropped), the disk.
  let paused = false;
  const housekeeping = setInterval(() => {
    // Timers fire without ticks too (a closed market, no feed); not on a refused recovery.
    if (refused === null) system.commands.advance(clock.now());
    snapshotter.poll();
    disk.poll();
    const backlog = system.bridge.backlog;
    if (!paused && live && backlog > settings.journal.max_backlog) {
      paused = true;
      feed.stop();
      log.warn({ backlog }, 'feed paused: the journal backlog is past its bound');
    } else if (paused && backlog <= settings.journal.max_backlog / 2) {
      paused = false;
      feed.start();
      log.info({ backlog }, 'feed resumed: the journal backlog drained');
    }
  }, 250);
  log.info(
    { port: server.port, strategies: system.strategies(), journal: settings.data_dir },
    'alpha panda started',
  );

  return {
    undo,
    run: (stop, pending) =>
      new Promise<void>((resolve, reject) => {
        const halt = (why: string, err?: unknown) => {
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
          process.off('uncaughtException', onFatal);
          process.off('unhandledRejection', onFatal);
          feed.stop();
          clearInterval(housekeeping);
          disk.stop();
          const fields = () => ({
            lastSeq: system.bridge.durableSeq,
            ticks: feed.ticks,
            fingerprint: system.switchboard.fingerprint(),
          });
          if (err === undefined) log.info({ signal: why }, 'stopping: flushing the journal');
          else log.fatal({ err }, `fatal error after trading began (${why}); flushing the journal`);
          stop(why).then(
            () => {
              log[err === undefined ? 'info' : 'fatal'](fields(), 'journal flushed; stopped');
              if (err === undefined) resolve();
              else reject(new FatalAfterStart(why, err));
            },
            (e: unknown) => {
              log.fatal({ err: e, ...fields() }, 'stopped, but not cleanly');
              reject(err === undefined ? e : new FatalAfterStart(why, err));
            },
          );
        };
        const onTerm = () => halt('SIGTERM');
        const onInt = () => halt('SIGINT');
        const onFatal = (err: unknown) => halt('uncaught error', err);
        process.once('SIGTERM', onTerm);
        process.once('SIGINT', onInt);
        process.once('uncaughtException', onFatal);
        process.once('unhandledRejection', onFatal);
        const early = pending();
        if (early !== null) halt(early);
      }),
  };
}

/** A fatal error after trading began: the journal was flushed; the process exits 1. */
export class FatalAfterStart extends AlphaPandaError {
  constructor(why: string, cause: unknown) {
    super('FATAL_AFTER_START', `stopped after a fatal error (${why}): ${String(cause)}`, { cause });
  }
}
