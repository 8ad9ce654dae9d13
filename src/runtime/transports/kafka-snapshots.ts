/**
 * Snapshots on Kafka: one record per snapshot on the compacted `alpha.snapshots` topic, keyed by
 * the journal's identity, so compaction keeps the newest of each journal. Values are JSON,
 * gzip-compressed by the producer. Reading takes the topic's last record for the journal.
 */
import { CompressionTypes, Kafka, logLevel, type Producer } from 'kafkajs';
import { JournalError } from '../errors.js';
import { parseSnapshot, type Snapshot, type SnapshotStore } from '../snapshots.js';
import { ReadDamage, readRanges } from './kafka-read.js';
import { SNAPSHOTS_TOPIC } from './kafka-topics.js';

export class KafkaSnapshotStore implements SnapshotStore {
  readonly kind = 'kafka';
  private readonly kafka: Kafka;
  private readonly topic: string;
  private producer: Producer | null = null;

  constructor(opts: { brokers: readonly string[]; clientId: string; prefix?: string }) {
    this.kafka = new Kafka({
      brokers: [...opts.brokers],
      clientId: `${opts.clientId}-snapshots`,
      logLevel: logLevel.NOTHING,
    });
    this.topic = `${opts.prefix ?? ''}${SNAPSHOTS_TOPIC}`;
  }

  async save(journal: string, text: string): Promise<void> {
    if (this.producer === null) {
      const p = this.kafka.producer({ allowAutoTopicCreation: false, idempotent: true });
      await p.connect();
      this.producer = p;
    }
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: [{ key: journal, value: text }],
    });
  }

  async latest(journal: string): Promise<Snapshot | null> {
    const admin = this.kafka.admin();
    await admin.connect();
    let ends;
    try {
      ends = await admin.fetchTopicOffsets(this.topic);
    } catch (err) {
      throw new JournalError(
        'SNAPSHOT_READ_FAILED',
        `cannot read the snapshot topic ${this.topic}: ${String(err)}; run \`node dist/main.js topics bootstrap\``,
        { cause: err },
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const ranges = ends
      .filter((p) => BigInt(p.high) > BigInt(p.low))
      .map((p) => ({
        topic: this.topic,
        partition: p.partition,
        from: BigInt(p.low),
        through: BigInt(p.high) - 1n,
      }));
    let newest: Snapshot | null = null;
    let offset = -1;
    for await (const m of readRanges(
      this.kafka,
      `${journal}-snapshots-${process.pid}`,
      ranges,
      () => ends.length,
      (_t, msg) => ({ offset: Number(msg.offset), value: msg.value }),
      (x) => x.offset,
    )) {
      // Only journal ranges (read by their index) report damage; these are plain ranges.
      if (m instanceof ReadDamage || m.value === null) continue;
      let s: Snapshot;
      try {
        s = parseSnapshot(m.value.toString('utf8'), this.topic);
      } catch {
        // Another build's (or a damaged) record: never ours to restore; recovery replays instead.
        continue;
      }
      if (s.journal === journal && m.offset > offset) {
        newest = s;
        offset = m.offset;
      }
    }
    return newest;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = null;
  }
}
