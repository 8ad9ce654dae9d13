/** Reads a whole Kafka journal, read-only (so a daemon still writing it is not fenced). */
import type { JournalRecord } from '../../src/model/index.js';
import { KafkaTransport } from '../../src/runtime/transports/kafka.js';
import { topicTable } from '../../src/runtime/transports/kafka-topics.js';

export async function readKafkaJournal(
  brokers: readonly string[],
  prefix = '',
): Promise<JournalRecord[]> {
  const t = new KafkaTransport({
    brokers,
    topics: topicTable({ brokerCount: 1, partitionsMultiplier: 1, dlqForAll: true, prefix }),
    prefix,
    readOnly: true,
  });
  await t.open({ nonce: 1, createdMs: 1 });
  try {
    const out: JournalRecord[] = [];
    for await (const r of t.read(1)) out.push(r);
    return out;
  } finally {
    await t.close();
  }
}
