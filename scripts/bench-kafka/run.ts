/**
 * The Kafka journal against raw kafkajs on the same broker, interleaved rep by rep:
 *   KB_BROKERS=127.0.0.1:9092 node --import tsx scripts/bench-kafka/run.ts
 * KB_RECORDS (200,000) synthetic reference ticks; KB_REPS (3); KB_APPEND, bridge batches of
 * 1,000 records per append (50); KB_TXN, records per baseline transaction (the journal's mean);
 * KB_SKIP=baseline|read leaves a part out; KB_COMPRESSION and KB_RAW_COMPRESSION (none|gzip|lz4)
 * compress the journal's and the baseline's record batches. Prints each rep and the medians.
 */
import {
  compressionType,
  type JournalCompression,
} from '../../src/runtime/transports/kafka-compression.js';
import { decodeBatch } from '../../src/runtime/codec.js';
import { hrtimeNs } from '../../src/runtime/clock.js';
import { rawProducerBaseline } from './baseline.js';
import { freshJournal, writeJournal } from './journal.js';
import { syntheticBatches } from './ticks.js';

const brokers = (process.env.KB_BROKERS ?? process.env.KAFKA_BROKERS ?? '').split(',');
if (brokers[0] === '') throw new Error('set KB_BROKERS=host:port');
const records = Number(process.env.KB_RECORDS ?? 200_000);
const reps = Number(process.env.KB_REPS ?? 3);
const appendBatches = Number(process.env.KB_APPEND ?? 50);
const rawCompression = process.env.KB_RAW_COMPRESSION
  ? compressionType(process.env.KB_RAW_COMPRESSION as JournalCompression)
  : undefined;
const skip = new Set((process.env.KB_SKIP ?? '').split(','));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const rows: { journal: number; read: number; baseline: number }[] = [];
for (let rep = 1; rep <= reps; rep++) {
  const j = await freshJournal(
    brokers,
    (process.env.KB_COMPRESSION as JournalCompression | undefined) ?? 'none',
  );
  const row = { journal: 0, read: 0, baseline: 0 };
  try {
    const meta = await j.transport.open({ nonce: 12345, createdMs: Date.UTC(2026, 0, 5) });
    const batches = syntheticBatches(meta.nonce, records);
    const w = await writeJournal(j.transport, batches, appendBatches);
    const txns = j.transport.transactions();
    await j.transport.close();
    row.journal = w.recordsPerSecond;
    const perTxn = Number(process.env.KB_TXN ?? Math.ceil(w.records / txns));
    let line = `rep ${rep}: journal ${fmt(w.recordsPerSecond)} records/s (${w.records} in ${w.seconds} s, ${w.appends} appends, ${txns} transactions, ${(w.bytes / 2 ** 20).toFixed(1)} MiB)`;
    if (!skip.has('read')) {
      const r = j.reopen();
      await r.open({ nonce: 0, createdMs: 0 });
      const t0 = hrtimeNs();
      const c0 = process.cpuUsage();
      let n = 0;
      for await (const _ of r.read(1)) n++;
      const s = Number(hrtimeNs() - t0) / 1e9;
      const cpu = process.cpuUsage(c0);
      await r.close();
      row.read = n / s;
      line += `; read ${fmt(n / s)} records/s (${n} in ${s.toFixed(3)} s, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s of CPU)`;
    }
    if (!skip.has('baseline')) {
      const b = await rawProducerBaseline({
        brokers,
        meta,
        records: (function* () {
          for (const x of batches) yield decodeBatch(x.bytes, meta.nonce);
        })(),
        recordsPerTransaction: perTxn,
        ...(rawCompression === undefined ? {} : { compression: rawCompression }),
      });
      row.baseline = b.recordsPerSecond;
      line += `; raw kafkajs ${fmt(b.recordsPerSecond)} records/s (${b.transactions} transactions of ${perTxn}); ratio ${(w.recordsPerSecond / b.recordsPerSecond).toFixed(2)}`;
    }
    process.stdout.write(`${line}\n`);
  } finally {
    await j.remove();
  }
  rows.push(row);
}
process.stdout.write(
  `medians of ${reps}: journal ${fmt(median(rows.map((r) => r.journal)))}, read ${fmt(median(rows.map((r) => r.read)))}, raw kafkajs ${fmt(median(rows.map((r) => r.baseline)))} records/s\n`,
);
