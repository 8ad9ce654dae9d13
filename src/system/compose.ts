/**
 * The composition file: the one place that builds concrete parts (transports, snapshot stores,
 * brokers, feeds, read models, the configuration store) from the settings (ARCHITECTURE "Two
 * ways to run"). Kafka when KAFKA_BROKERS is set, else LMDB under DATA_DIR; Postgres when
 * DATABASE_URL is set, else the files under CONFIG_DIR; Redis when REDIS_URL is set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import { JournalOnlyBroker, PaperBroker, type RemoteBroker } from '../brokers/index.js';
import { loadInstruments, loadStrategies, PgConfigStore, type Settings } from '../config/index.js';
import {
  MockFeed,
  MockMarket,
  type MockFeedOptions,
  type MockMarketConfig,
} from '../feed/index.js';
import type {
  BrokerName,
  BrokerSpec,
  Instrument,
  MarketTick,
  RunStarted,
  StrategyConfig,
} from '../model/index.js';
import {
  connectRedis,
  PortfolioReadModel,
  RedisPortfolioReader,
  RedisProjection,
  type RedisProjectionOptions,
} from '../readmodel/index.js';
import {
  bootstrapTopics,
  ConfigError,
  DiscardTransport,
  JournalError,
  KafkaSnapshotStore,
  KafkaTransport,
  LmdbSnapshotStore,
  LmdbTransport,
  ResumeTransport,
  topicTable,
  type Clock,
  type JournalMeta,
  type LogTransport,
  type Random,
  type SnapshotStore,
  type TopicSpec,
} from '../runtime/index.js';
import { chargesModel } from './paper-charges.js';
import type { BrokerSetup } from './trading-system.js';

// ---- the journal ------------------------------------------------------------------------------

/** The topic table with the overlays of SPEC §1 from the settings. */
export function kafkaTopics(settings: Settings): TopicSpec[] {
  return topicTable({
    brokerCount: settings.redpanda_broker_count,
    partitionsMultiplier: settings.topic_partitions_multiplier,
    dlqForAll: settings.create_dlq_for_all,
    prefix: settings.kafka_topic_prefix,
  });
}

/** Creates the journal topics that are missing on KAFKA_BROKERS; returns their names. */
export async function bootstrapKafka(
  settings: Settings,
  brokers: readonly string[],
): Promise<string[]> {
  const admin = new Kafka({
    clientId: `${settings.kafka_client_id}-admin`,
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
  }).admin();
  try {
    await admin.connect();
    return await bootstrapTopics(admin, kafkaTopics(settings));
  } catch (err) {
    throw new JournalError(
      'KAFKA_BOOTSTRAP_FAILED',
      `cannot create the journal topics on Kafka at ${brokers.join(',')}: ${(err as Error).message}; check KAFKA_BROKERS and that the broker is up`,
      { cause: err },
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The daemon's journal: Kafka when KAFKA_BROKERS is set, else LMDB under DATA_DIR/journal. */
export function journalTransport(settings: Settings): LogTransport {
  if (settings.kafka_brokers) return kafkaJournal(settings, settings.kafka_brokers, false);
  return new LmdbTransport(join(settings.data_dir, 'journal'));
}

/** A backtest's journal: always LMDB, under `dir`. */
export function backtestJournal(dir: string): LogTransport {
  return new LmdbTransport(join(dir, 'journal'));
}

/** Where snapshots are kept: the compacted snapshot topic with Kafka, else LMDB under DATA_DIR. */
export function snapshotStore(settings: Settings): SnapshotStore {
  if (settings.kafka_brokers)
    return new KafkaSnapshotStore({
      brokers: settings.kafka_brokers,
      clientId: settings.kafka_client_id,
      prefix: settings.kafka_topic_prefix,
    });
  return new LmdbSnapshotStore(join(settings.data_dir, 'snapshots'));
}

/** The Kafka journal the settings name; `readOnly` for tools that must not fence the daemon. */
export function kafkaJournal(
  settings: Settings,
  brokers: string[],
  readOnly: boolean,
): KafkaTransport {
  return new KafkaTransport({
    brokers,
    clientId: settings.kafka_client_id,
    topics: kafkaTopics(settings),
    prefix: settings.kafka_topic_prefix,
    readOnly,
  });
}

/**
 * Opens the journal for a tool that reads it: Kafka read-only when KAFKA_BROKERS is set (the
 * daemon may be writing), else the LMDB journal under `dataDir` (default DATA_DIR), which should
 * belong to a stopped daemon. `command` names the tool in errors.
 */
export async function openJournalToRead(
  settings: Settings,
  dataDir: string | undefined,
  command: string,
): Promise<LogTransport> {
  let transport: LogTransport;
  if (settings.kafka_brokers) {
    transport = kafkaJournal(settings, settings.kafka_brokers, true);
  } else {
    const dir = join(dataDir ?? settings.data_dir, 'journal');
    if (!existsSync(dir))
      throw new ConfigError(
        `${command}: no journal at ${dir}; pass --data-dir (the daemon's DATA_DIR)`,
      );
    transport = new LmdbTransport(dir, { readOnly: true });
  }
  await transport.open({ nonce: 0, createdMs: 0 });
  return transport;
}

/** A journal that keeps nothing and is taken to end at `after` (replay's rebuilt runs). */
export function discardJournal(after = 0): LogTransport {
  return new DiscardTransport(after);
}

/** Recovery's view of an open journal, pretending to end at `from` (see ResumeTransport). */
export function resumeJournal(inner: LogTransport, meta: JournalMeta, from: number): LogTransport {
  return new ResumeTransport(inner, meta, from);
}

// ---- brokers and feeds ------------------------------------------------------------------------

/**
 * The broker adapters of a run: a paper broker per broker spec, on the run's seed, charging at
 * its recorded rates and reading time from `clock` (the switchboard's input clock, so replay
 * reproduces every time it reads).
 */
export function brokerSetups(
  run: RunStarted,
  clock: Clock,
  remotes: RemoteAdapters = {},
): BrokerSetup[] {
  return run.brokers.map((b) => ({
    name: b.name,
    adapter:
      b.name === 'paper'
        ? paperBroker(run, b, clock)
        : (remotes[b.name] ?? new JournalOnlyBroker(b.name)),
    limits: b.limits,
    ...(b.startingCash === null ? {} : { startingCash: b.startingCash }),
  }));
}

/**
 * The live adapters of remote brokers, by name. A run built without one (replay, a backtest)
 * gets a JournalOnlyBroker: its commands are re-derived and compared, never sent.
 */
export type RemoteAdapters = Partial<Record<BrokerName, RemoteBroker>>;

function paperBroker(run: RunStarted, b: BrokerSpec, clock: Clock): PaperBroker {
  return new PaperBroker(
    {
      slippageBps: b.paper.slippageBps,
      charges: chargesModel(b.paper.charges),
      product: b.paper.product,
      seed: run.seed,
      latencyMs: b.paper.latencyMs,
      latencyJitterMs: b.paper.latencyJitterMs,
      maxModifications: b.paper.maxModifications,
      bracketProtectionBps: b.paper.bracketProtectionBps,
    },
    clock,
  );
}

/** The seeded mock market over `instruments`. */
export function mockMarket(
  instruments: readonly Instrument[],
  random: Random,
  config?: Partial<MockMarketConfig>,
): MockMarket {
  return new MockMarket(instruments, random, config);
}

/** The live mock feed: batches of the market's ticks, on a timer, handed to `deliver`. */
export function mockFeed(
  market: MockMarket,
  clock: Clock,
  options: MockFeedOptions,
  deliver: (ticks: MarketTick[]) => void,
): MockFeed {
  return new MockFeed(market, clock, options, deliver);
}

// ---- read models ------------------------------------------------------------------------------

/** The in-process portfolio read model. */
export function portfolioReadModel(): PortfolioReadModel {
  return new PortfolioReadModel();
}

/** The Redis read model at `url`, connected (rejects when Redis cannot be reached). */
export async function redisProjection(
  url: string,
  options: RedisProjectionOptions & { onError: (err: Error) => void },
): Promise<RedisProjection> {
  const redis = await connectRedis(url, {
    onError: options.onError,
    connectionName: 'alpha-panda-readmodel',
  });
  return new RedisProjection(redis, options);
}

/** A reader of the Redis read model a daemon writes (the API-only process). */
export async function redisPortfolioReader(
  url: string,
  onError: (err: Error) => void,
): Promise<RedisPortfolioReader> {
  const redis = await connectRedis(url, { connectionName: 'alpha-panda-api', onError });
  return new RedisPortfolioReader(redis);
}

// ---- configuration ----------------------------------------------------------------------------

export interface Configuration {
  readonly instruments: Instrument[];
  readonly strategies: StrategyConfig[];
  /** The Postgres store when DATABASE_URL is set: its changes apply live. */
  readonly store: PgConfigStore | null;
}

/** Strategies and instruments: from Postgres when DATABASE_URL is set, else from CONFIG_DIR. */
export async function loadConfiguration(settings: Settings, log: Logger): Promise<Configuration> {
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

/** The Postgres configuration store at DATABASE_URL (`seed`). */
export function configStore(databaseUrl: string): Promise<PgConfigStore> {
  return PgConfigStore.connect(databaseUrl);
}
