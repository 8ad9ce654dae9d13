/**
 * The topic table: every topic the journal writes, with partitions, retention and cleanup, from
 * one list, plus the overlays of SPEC §1 (`REDPANDA_BROKER_COUNT`, `TOPIC_PARTITIONS_MULTIPLIER`,
 * `CREATE_DLQ_FOR_ALL`). `bootstrapTopics` creates the missing ones and changes nothing else, so
 * running it twice is a no-op.
 *
 * Differences from the original's table (reference inventory §1), on purpose:
 * - The topics are the journal, so retention must cover recovery: `market.ticks` keeps a day (the
 *   original kept 1 h, which would make a morning's ticks unreplayable by the afternoon).
 * - A DLQ keeps a week whatever its parent keeps (the original copied the parent's 1 h).
 * - `market.ticks.dlq` is planned once (the original planned it twice).
 * - Inputs the original did not have (`control.commands`, `{broker}.broker.replies`,
 *   `system.events`, acks, cancels, portfolio snapshots) and the journal's own index
 *   (`alpha.journal`) and snapshots (`alpha.snapshots`, compacted).
 */
import { BROKERS, topics } from '../../model/index.js';
import { JournalError } from '../errors.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The topic holding the journal's index: one record per committed append, and one per open. */
export const JOURNAL_INDEX_TOPIC = 'alpha.journal';
/** Actor snapshots (ARCHITECTURE "The journal and topics"), compacted by actor. */
export const SNAPSHOTS_TOPIC = 'alpha.snapshots';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** `retention.ms`; -1 keeps forever. */
  readonly retentionMs: number;
  readonly cleanupPolicy: 'delete' | 'compact';
  /** `max.message.bytes`, when the broker's default (1 MiB) is too small. */
  readonly maxMessageBytes?: number;
}

/** A snapshot is one record; its gzip JSON is small, but a large configuration must still fit. */
export const SNAPSHOT_MAX_BYTES = 64 * 2 ** 20;

interface BaseTopic {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
  readonly cleanupPolicy?: 'compact';
  /** Delivered to actors, so the switchboard may dead-letter its records: it always has a DLQ. */
  readonly consumed: boolean;
}

export interface TopicOverlays {
  /** Brokers in the Kafka/Redpanda cluster; replication is min(3, this). */
  readonly brokerCount: number;
  /** Partitions = ceil(base × multiplier), the multiplier floored at 0.1, at least 1. */
  readonly partitionsMultiplier: number;
  /** Also give a DLQ to topics no actor consumes (sinks); consumed topics always have one. */
  readonly dlqForAll: boolean;
  /** Prepended to every name (an isolated journal on a shared cluster); empty in production. */
  readonly prefix: string;
}

export const DEFAULT_OVERLAYS: TopicOverlays = {
  brokerCount: 1,
  partitionsMultiplier: 1,
  dlqForAll: true,
  prefix: '',
};

function baseTopics(): BaseTopic[] {
  const out: BaseTopic[] = [
    { name: topics.marketTicks, partitions: 12, retentionMs: DAY, consumed: true },
    { name: topics.controlCommands, partitions: 1, retentionMs: 30 * DAY, consumed: true },
    { name: topics.systemEvents, partitions: 1, retentionMs: 30 * DAY, consumed: false },
    { name: topics.marketTimers, partitions: 1, retentionMs: 30 * DAY, consumed: true },
    { name: topics.marketFeed, partitions: 1, retentionMs: 30 * DAY, consumed: false },
  ];
  for (const b of BROKERS) {
    // Zerodha's order records are real money: kept 30 days, as the original kept them.
    const orders = b === 'zerodha' ? 30 * DAY : 7 * DAY;
    out.push(
      { name: topics.signalsRaw(b), partitions: 6, retentionMs: DAY, consumed: true },
      { name: topics.signalsValidated(b), partitions: 6, retentionMs: DAY, consumed: true },
      { name: topics.signalsRejected(b), partitions: 3, retentionMs: DAY, consumed: true },
      { name: topics.ordersSubmitted(b), partitions: 3, retentionMs: orders, consumed: false },
      { name: topics.ordersAck(b), partitions: 3, retentionMs: orders, consumed: false },
      { name: topics.ordersFilled(b), partitions: 3, retentionMs: orders, consumed: true },
      { name: topics.ordersFailed(b), partitions: 3, retentionMs: orders, consumed: true },
      { name: topics.ordersCanceled(b), partitions: 3, retentionMs: orders, consumed: true },
      { name: topics.ordersCommands(b), partitions: 3, retentionMs: orders, consumed: false },
      { name: topics.ordersUpdates(b), partitions: 3, retentionMs: orders, consumed: true },
      { name: topics.pnlSnapshots(b), partitions: 3, retentionMs: orders, consumed: false },
      { name: topics.portfolioSnapshots(b), partitions: 3, retentionMs: orders, consumed: false },
      { name: topics.brokerReplies(b), partitions: 3, retentionMs: orders, consumed: true },
    );
  }
  return out;
}

/** Every topic to create, overlays applied, names prefixed. */
export function topicTable(overlays: TopicOverlays = DEFAULT_OVERLAYS): TopicSpec[] {
  const mult = Math.max(0.1, overlays.partitionsMultiplier);
  const rf = Math.max(1, Math.min(3, overlays.brokerCount));
  const parts = (n: number) => Math.max(1, Math.ceil(n * mult));
  const spec = (name: string, partitions: number, retentionMs: number, compact = false) => ({
    name: overlays.prefix + name,
    partitions,
    replicationFactor: rf,
    retentionMs,
    cleanupPolicy: compact ? ('compact' as const) : ('delete' as const),
  });
  const out: TopicSpec[] = [];
  const longest = Math.max(...baseTopics().map((t) => t.retentionMs));
  for (const t of baseTopics()) {
    out.push(spec(t.name, parts(t.partitions), t.retentionMs, t.cleanupPolicy === 'compact'));
    if (t.consumed || overlays.dlqForAll)
      out.push(spec(topics.dlq(t.name), parts(3), Math.max(7 * DAY, t.retentionMs)));
  }
  // The index must outlive every record it points at; one partition keeps it in append order.
  out.push(spec(JOURNAL_INDEX_TOPIC, 1, longest));
  out.push({ ...spec(SNAPSHOTS_TOPIC, 1, -1, true), maxMessageBytes: SNAPSHOT_MAX_BYTES });
  return out;
}

/** The parts of kafkajs's admin client that bootstrap uses (a structural type, for tests). */
export interface TopicAdmin {
  listTopics(): Promise<string[]>;
  createTopics(options: {
    topics: {
      topic: string;
      numPartitions: number;
      replicationFactor: number;
      configEntries: { name: string; value: string }[];
    }[];
    waitForLeaders?: boolean;
  }): Promise<boolean>;
  fetchTopicMetadata(options: {
    topics: string[];
  }): Promise<{ topics: { name: string; partitions: { leader: number }[] }[] }>;
}

/** How many times bootstrap checks, 100 ms apart, that every new partition has a leader. */
const LEADER_TRIES = 300;

/** Creates the topics of `table` that do not exist; returns the names created. */
export async function bootstrapTopics(
  admin: TopicAdmin,
  table: readonly TopicSpec[],
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = table.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return [];
  // kafkajs's own wait for leaders gives up when a KRaft broker's metadata does not know the
  // topic yet ("This server does not host this topic-partition"), which it briefly may not.
  await admin.createTopics({
    waitForLeaders: false,
    topics: missing.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      replicationFactor: t.replicationFactor,
      configEntries: [
        { name: 'retention.ms', value: String(t.retentionMs) },
        { name: 'cleanup.policy', value: t.cleanupPolicy },
        ...(t.maxMessageBytes === undefined
          ? []
          : [{ name: 'max.message.bytes', value: String(t.maxMessageBytes) }]),
      ],
    })),
  });
  const names = missing.map((t) => t.name);
  for (let i = 0; ; i++) {
    try {
      const md = await admin.fetchTopicMetadata({ topics: names });
      if (md.topics.every((t) => t.partitions.every((p) => p.leader >= 0))) return names;
    } catch (err) {
      if (i >= LEADER_TRIES) throw err;
    }
    if (i >= LEADER_TRIES) {
      throw new JournalError(
        'JOURNAL_TOPICS_NOT_READY',
        `the new topics still have no leader after ${LEADER_TRIES} checks (${names.slice(0, 3).join(', ')}...); check that the broker is up`,
        { retriable: true },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
