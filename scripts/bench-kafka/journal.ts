/**
 * The Kafka journal alone: KafkaTransport appending ready-made bridge batches as the bridge
 * does when the actors outpace Kafka (each append takes everything queued, up to
 * `appendBatches` batches), on topics of a prefix of its own that are deleted afterwards.
 */
import { Kafka, logLevel } from 'kafkajs';
import { hrtimeNs } from '../../src/runtime/clock.js';
import { entropySeed } from '../../src/runtime/ids.js';
import type { EncodedBatch } from '../../src/runtime/transport.js';
import { KafkaTransport } from '../../src/runtime/transports/kafka.js';
import type { JournalCompression } from '../../src/runtime/transports/kafka-compression.js';
import {
  bootstrapTopics,
  topicTable,
  type TopicSpec,
} from '../../src/runtime/transports/kafka-topics.js';

export interface JournalRun {
  readonly records: number;
  readonly appends: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  readonly bytes: number;
}

/** A journal on fresh topics: its transport, its table and prefix, and how to delete it. */
export async function freshJournal(
  brokers: readonly string[],
  compression: JournalCompression = 'none',
): Promise<{
  transport: KafkaTransport;
  table: TopicSpec[];
  prefix: string;
  reopen: () => KafkaTransport;
  remove: () => Promise<void>;
}> {
  const prefix = `bench-kj-${entropySeed().toString(36)}.`;
  const table = topicTable({ brokerCount: 1, partitionsMultiplier: 1, dlqForAll: false, prefix });
  const admin = new Kafka({ brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await bootstrapTopics(admin, table);
  return {
    transport: new KafkaTransport({ brokers, topics: table, prefix, compression }),
    table,
    prefix,
    reopen: () => new KafkaTransport({ brokers, topics: table, prefix, readOnly: true }),
    remove: async () => {
      await admin.deleteTopics({ topics: table.map((t) => t.name) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** Appends every batch (seqs from 1) and returns the rate until the last one is durable. */
export async function writeJournal(
  transport: KafkaTransport,
  batches: readonly EncodedBatch[],
  appendBatches: number,
): Promise<JournalRun> {
  const t0 = hrtimeNs();
  let appends = 0;
  for (let i = 0; i < batches.length; i += appendBatches) {
    await transport.append(batches.slice(i, i + appendBatches));
    appends++;
  }
  const seconds = Number(hrtimeNs() - t0) / 1e9;
  const records = batches.length === 0 ? 0 : batches[batches.length - 1]!.lastSeq;
  return {
    records,
    appends,
    seconds: Number(seconds.toFixed(3)),
    recordsPerSecond: Math.round(records / seconds),
    bytes: transport.bytesWritten(),
  };
}
