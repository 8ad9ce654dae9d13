/**
 * Alpha Panda's entry point and composition root: the only file that picks concrete transports
 * and adapters. Commands: `start` (default), `backtest`, `replay`, `topics bootstrap`, `seed`, `api`.
 *
 * Each infrastructure part is switched by its own variable (ARCHITECTURE "Two ways to run"):
 * KAFKA_BROKERS (journal on Kafka/Redpanda, else LMDB under DATA_DIR), DATABASE_URL
 * (configuration from Postgres, else config/ files), REDIS_URL (read model in Redis too).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { TradingSystem, type StrategyConfig } from './actors/index.js';
import { loadSettings, type Settings } from './config/index.js';
import type { Instrument } from './model/index.js';
import { expectOnly, intOption, parseArgs, seqOrTimeOption, stringOption } from './cli/args.js';
import { runBacktest } from './cli/backtest.js';
import { runDaemon } from './cli/daemon.js';
import {
  bootstrapKafka,
  journalTransport,
  kafkaTopics,
  openJournalToRead,
  snapshotStore,
} from './cli/stores.js';
import { dlqCommand } from './cli/dlq.js';
import { journalCommand } from './cli/journal.js';
import { Snapshotter } from './cli/snapshotter.js';
import { runSpec, systemOptions } from './cli/run-spec.js';
import { parseParamChange, runReplay } from './cli/replay.js';
import { openTradingSystem } from './cli/recover.js';
import { loadInstruments, loadStrategies } from './cli/load-config.js';
import { SystemClock, type Clock } from './runtime/clock.js';
import { AlphaPandaError, ConfigError, JournalUnusable } from './runtime/errors.js';
import { entropySeed, SeededRandom } from './runtime/ids.js';
import { LmdbTransport } from './runtime/transports/lmdb.js';
import type { LogTransport } from './runtime/transport.js';
import { PgConfigStore } from './config/pg-store.js';
import { runSeed } from './cli/seed.js';
import { runApiOnly } from './cli/api-only.js';

async function buildSystem(
  settings: Settings,
  instruments: readonly Instrument[],
  strategies: readonly StrategyConfig[],
  clock: Clock,
  random: SeededRandom,
  transport: LogTransport,
  log: pino.Logger,
) {
  const run = runSpec(settings, instruments, strategies, random.seed);
  const system = await TradingSystem.open(
    systemOptions(run, {
      clock,
      random,
      transport,
      bridge: {
        batchRecords: settings.journal.batch_records,
        maxBacklog: settings.journal.max_backlog,
      },
      onJournalProblem: (m) => log.warn(m),
    }),
  );
  return { system, transport };
}

/** Strategies and instruments: from Postgres when DATABASE_URL is set, else from config/. */
async function loadConfiguration(
  settings: Settings,
  log: pino.Logger,
): Promise<{
  instruments: Instrument[];
  strategies: StrategyConfig[];
  store: PgConfigStore | null;
}> {
  if (!settings.database_url) {
    return {
      instruments: loadInstruments(settings.config_dir),
      strategies: loadStrategies(settings.config_dir),
      store: null,
    };
  }
  const store = await PgConfigStore.connect(settings.database_url);
  try {
    const { applied } = await store.migrate();
    if (applied.length > 0) log.info({ applied }, 'database migrations applied');
    const instruments = await store.loadInstruments();
    const strategies = await store.loadStrategies();
    if (instruments.length === 0) {
      throw new ConfigError(
        'DATABASE_URL: the instruments table is empty; run `node dist/main.js seed` to load config/instruments.csv and config/strategies.yaml',
      );
    }
    return { instruments, strategies, store };
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function start(settings: Settings, log: pino.Logger): Promise<void> {
  if (settings.kafka_brokers) {
    const created = await bootstrapKafka(settings, settings.kafka_brokers);
    if (created.length > 0) log.info({ created }, 'journal topics created');
  }
  const { instruments, strategies, store } = await loadConfiguration(settings, log);
  const seed = settings.feed.seed ?? entropySeed();
  const random = new SeededRandom(seed);
  const transport = journalTransport(settings, join(settings.data_dir, 'journal'));
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
  await runDaemon({
    settings,
    instruments,
    strategies,
    system,
    transport,
    clock,
    random,
    log,
    store,
    recoveredTicks: recovered?.ticks ?? 0,
    snapshotter: new Snapshotter({
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
    }),
  });
  await snapshots.close();
}

async function topics(settings: Settings, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'bootstrap') {
    throw new ConfigError(
      `topics: unknown subcommand ${JSON.stringify(sub ?? '')}; use \`topics bootstrap\``,
    );
  }
  expectOnly(parseArgs(rest), 'topics bootstrap', []);
  if (!settings.kafka_brokers) {
    throw new ConfigError(
      'topics bootstrap: KAFKA_BROKERS is not set; set it to the Kafka/Redpanda bootstrap servers (host:port[,host:port])',
    );
  }
  const created = await bootstrapKafka(settings, settings.kafka_brokers);
  const table = kafkaTopics(settings);
  process.stdout.write(
    created.length === 0
      ? `all ${table.length} journal topics exist; nothing created\n`
      : `created ${created.length} of ${table.length} journal topics:\n${created.map((t) => `  ${t}`).join('\n')}\n`,
  );
}

async function seedCommand(settings: Settings, argv: string[], log: pino.Logger): Promise<void> {
  expectOnly(parseArgs(argv), 'seed', []);
  if (!settings.database_url) {
    throw new ConfigError(
      'seed: DATABASE_URL is not set; set it to postgres://user[:password]@host:port/database',
    );
  }
  const r = await runSeed({
    databaseUrl: settings.database_url,
    configDir: settings.config_dir,
    log,
  });
  process.stdout.write(
    `seeded ${r.strategies} strategies and ${r.instruments} instruments from ${settings.config_dir}\n`,
  );
}

async function replayCommand(settings: Settings, argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  expectOnly(args, 'replay', ['data-dir', 'from', 'until', 'set']);
  const from = seqOrTimeOption(args, 'from');
  const until = seqOrTimeOption(args, 'until');
  const set = (args.options.set ?? []).map(parseParamChange);
  const transport = await openJournalToRead(settings, stringOption(args, 'data-dir'), 'replay');
  try {
    const result = await runReplay(transport, {
      ...(from && 'seq' in from ? { from: from.seq } : {}),
      ...(from && 'ts' in from ? { fromTs: from.ts } : {}),
      ...(until && 'seq' in until ? { until: until.seq } : {}),
      ...(until && 'ts' in until ? { untilTs: until.ts } : {}),
      set,
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await transport.close();
  }
}

async function apiCommand(settings: Settings, argv: string[], log: pino.Logger): Promise<void> {
  expectOnly(parseArgs(argv), 'api', []);
  if (!settings.redis_url) {
    throw new ConfigError(
      'api: REDIS_URL is not set; the API-only process serves the read model a daemon writes to Redis (redis://host:port[/db])',
    );
  }
  await runApiOnly({ redisUrl: settings.redis_url, host: settings.host, port: settings.port, log });
}

async function backtest(settings: Settings, argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  expectOnly(args, 'backtest', ['ticks', 'seed', 'data-dir', 'batch']);
  const ticks = intOption(args, 'ticks', undefined, 1, 1e10);
  const seed = intOption(args, 'seed', 1, 0, 4294967295);
  const batch = intOption(args, 'batch', 100, 1, 100_000);
  const given = stringOption(args, 'data-dir');
  const dir = given ?? mkdtempSync(join(tmpdir(), 'alpha-panda-backtest-'));
  const log = pino({ level: 'warn' }, pino.destination(2));
  try {
    const instruments = loadInstruments(settings.config_dir);
    const strategies = loadStrategies(settings.config_dir);
    let transport: LmdbTransport | undefined;
    const { result, system } = await runBacktest(
      { ticks, seed, batch, instruments, strategies },
      async (clock, random) => {
        // A backtest journals to its own LMDB, whatever KAFKA_BROKERS says.
        const built = await buildSystem(
          settings,
          instruments,
          strategies,
          clock,
          random,
          new LmdbTransport(join(dir, 'journal')),
          log,
        );
        transport = built.transport as LmdbTransport;
        return built.system;
      },
    );
    await system.close(transport!);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (given === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const command = argv[0] && !argv[0].startsWith('--') ? argv[0] : 'start';
  const rest = argv[0] === command ? argv.slice(1) : argv;
  let settings: Settings;
  try {
    settings = loadSettings(process.env);
  } catch (err) {
    process.stderr.write(`alpha-panda: ${(err as Error).message}\n`);
    return 2;
  }
  const log = pino({
    level: settings.log_level,
    redact: {
      paths: ['*.token', '*.secret', '*.password', '*.access_token', '*.api_secret'],
      censor: '[redacted]',
    },
  });
  try {
    switch (command) {
      case 'start':
        expectOnly(parseArgs(rest), 'start', []);
        await start(settings, log);
        return 0;
      case 'backtest':
        await backtest(settings, rest);
        return 0;
      case 'topics':
        await topics(settings, rest);
        return 0;
      case 'seed':
        await seedCommand(settings, rest, log);
        return 0;
      case 'api':
        await apiCommand(settings, rest, log);
        return 0;
      case 'replay':
        await replayCommand(settings, rest);
        return 0;
      case 'dlq':
        await dlqCommand(settings, rest);
        return 0;
      case 'journal':
        return await journalCommand(settings, rest);
      default:
        process.stderr.write(
          `alpha-panda: unknown command ${JSON.stringify(command)}; commands: start, backtest, replay, dlq list|replay, journal verify|repair, topics bootstrap, seed, api\n`,
        );
        return 2;
    }
  } catch (err) {
    // A journal the operator must act on (damaged, not a directory, ...) is like a bad setting.
    if (err instanceof ConfigError || err instanceof JournalUnusable) {
      process.stderr.write(`alpha-panda: ${err.message}\n`);
      return 2;
    }
    if (err instanceof AlphaPandaError) {
      // An infrastructure problem with a message that says what to fix (unreachable Kafka, ...).
      log.fatal({ code: err.code }, err.message);
      process.stderr.write(`alpha-panda: ${err.message}\n`);
      return 1;
    }
    log.fatal({ err }, 'fatal error');
    return 1;
  }
}

process.exitCode = await main();
