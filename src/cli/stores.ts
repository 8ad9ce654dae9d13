/**
 * The journal and snapshot stores the settings pick (ARCHITECTURE "Two ways to run"): Kafka when
 * KAFKA_BROKERS is set (topics from one table, with the SPEC §1 overlays), else LMDB under
 * DATA_DIR. The composition root and the tools open them through these.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Settings } from '../config/index.js';
import { ConfigError, JournalError } from '../runtime/errors.js';
import type { SnapshotStore } from '../runtime/snapshots.js';
import type { LogTransport } from '../runtime/transport.js';
import { KafkaTransport } from '../runtime/transports/kafka.js';
import { KafkaSnapshotStore } from '../runtime/transports/kafka-snapshots.js';
import { bootstrapTopics, topicTable, type TopicSpec } from '../runtime/transports/kafka-topics.js';
import { LmdbTransport } from '../runtime/transports/lmdb.js';
import { LmdbSnapshotStore } from '../runtime/transports/lmdb-snapshots.js';

/** The topic table with the overlays of SPEC §1 from the settings. */
export function kafkaTopics(settings: Settings): TopicSpec[] {
  return topicTable({
    brokerCount: settings.redpanda_broker_count,
    partitionsMultiplier: settings.topic_partitions_multiplier,
    dlqForAll: settings.create_dlq_for_all,
    prefix: settings.kafka_topic_prefix,
  });
}

/** Creates the journal topics that are missing; returns their names. */
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

/** The journal: Kafka when KAFKA_BROKERS is set, else LMDB under `journalDir`. */
export function journalTransport(settings: Settings, journalDir: string): LogTransport {
  if (settings.kafka_brokers) {
    return kafkaJournal(settings, settings.kafka_brokers, false);
  }
  return new LmdbTransport(journalDir);
}

/** Where snapshots are kept: the compacted snapshot topic with Kafka, else LMDB under data/. */
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
 * Opens the journal for a tool that reads it, read-only (the daemon may be writing it): Kafka
 * when KAFKA_BROKERS is set, else the LMDB journal under `dataDir` (default DATA_DIR). `command`
 * names the tool in errors.
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
