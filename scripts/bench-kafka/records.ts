/**
 * The records of a Kafka journal just written, for the raw baseline: read back through a
 * read-only KafkaTransport in chunks, each read whole (its consumer closed) before it is handed
 * on, so reading never runs while the baseline's clock does.
 */
import type { JournalRecord } from '../../src/model/index.js';
import type { KafkaTransport } from '../../src/runtime/transports/kafka.js';
import { rawProducerBaseline, type BaselineResult } from './baseline.js';

/** Reads seqs 1..lastSeq in runs of `chunkRecords`; the transport must be open. */
export async function* journalChunks(
  transport: KafkaTransport,
  chunkRecords = 50_000,
): AsyncGenerator<JournalRecord[]> {
  const last = transport.lastSeq();
  for (let from = 1; from <= last; from += chunkRecords) {
    const chunk: JournalRecord[] = [];
    for await (const r of transport.read(from, { untilSeq: from + chunkRecords - 1 }))
      chunk.push(r);
    yield chunk;
  }
}

/**
 * The raw kafkajs baseline of a Kafka journal: opens `reader` (a read-only KafkaTransport over
 * the journal, which it closes), and writes its records again with a plain transactional
 * producer on topics of its own, transactions as large as the journal's on average.
 */
export async function baselineOfJournal(
  brokers: readonly string[],
  reader: KafkaTransport,
): Promise<BaselineResult & { journalTransactions: number }> {
  const meta = await reader.open({ nonce: 0, createdMs: 0 });
  try {
    const journalTransactions = reader.transactions();
    const r = await rawProducerBaseline({
      brokers,
      meta,
      records: journalChunks(reader),
      recordsPerTransaction: Math.max(
        1,
        Math.ceil(meta.lastSeq / Math.max(1, journalTransactions)),
      ),
    });
    return { ...r, journalTransactions };
  } finally {
    await reader.close();
  }
}
