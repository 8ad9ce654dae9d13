/**
 * Verifies a Kafka journal without changing anything (no `open` or probe record is written: the
 * index is read up to its last stable offset): every index record is checked, then every record
 * the good entries list, and every seq range that cannot be read intact is reported with what is
 * wrong there.
 */
import type { Admin, Kafka } from 'kafkajs';
import type { JournalRecord } from '../../model/index.js';
import { JournalIndex, type BadRange } from './kafka-index.js';
import { readRanges, ReadDamage } from './kafka-read.js';
import { fromWire } from './kafka-wire.js';

export interface KafkaVerifyReport {
  /** The last seq the index covers, damaged entries included; 0 for an empty journal. */
  readonly lastSeq: number;
  /** Records read intact. */
  readonly records: number;
  /** Every range of seqs that cannot be read intact, in seq order; empty when all is well. */
  readonly bad: BadRange[];
}

export interface VerifyDeps {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** Topic name prefix of the journal. */
  readonly prefix: string;
  readonly indexTopic: string;
  readonly partitionsOf: (topic: string) => number;
  /** A consumer group id of its own for each read. */
  readonly groupId: () => string;
}

/** Reads the whole index, leniently: damaged records become bad ranges. */
async function readWholeIndex(d: VerifyDeps): Promise<JournalIndex> {
  const index = new JournalIndex(null);
  const topic = d.prefix + d.indexTopic;
  const [end] = await d.admin.fetchTopicOffsets(topic);
  if (end !== undefined && BigInt(end.high) > BigInt(end.low)) {
    const range = { topic, partition: 0, from: BigInt(end.low), through: BigInt(end.high) - 1n };
    for await (const x of readRanges(
      d.kafka,
      d.groupId(),
      [range],
      () => 1,
      (_t, m) => ({ offset: BigInt(m.offset), value: m.value }),
      (x) => Number(x.offset),
    )) {
      if (!(x instanceof ReadDamage)) index.add(x.offset, x.value);
    }
  }
  index.finish();
  return index;
}

/** Joins overlapping or adjacent ranges of the same problem, in seq order. */
function coalesce(ranges: BadRange[]): BadRange[] {
  const out: BadRange[] = [];
  for (const r of [...ranges].sort((a, b) => a.fromSeq - b.fromSeq || a.toSeq - b.toSeq)) {
    const prev = out[out.length - 1];
    if (
      prev &&
      r.fromSeq <= prev.toSeq + 1 &&
      (r.problem === prev.problem || r.fromSeq <= prev.toSeq)
    )
      out[out.length - 1] = { ...prev, toSeq: Math.max(prev.toSeq, r.toSeq) };
    else out.push(r);
  }
  return out;
}

export async function verifyJournal(d: VerifyDeps): Promise<KafkaVerifyReport> {
  const index = await readWholeIndex(d);
  const bad: BadRange[] = [...index.bad];
  const nonce = index.meta?.nonce ?? 0;
  // The seq spans the good entries cover, each a run of contiguous entries.
  const spans: { first: number; last: number }[] = [];
  for (const e of index.entries) {
    const s = spans[spans.length - 1];
    if (s && s.last + 1 === e.first) s.last = e.last;
    else spans.push({ first: e.first, last: e.last });
  }
  const damage: ReadDamage[] = [];
  let seen = 0;
  /** Seqs a..b, listed by the index, did not come intact. */
  const missing = (a: number, b: number) => {
    for (const s of spans) {
      const from = Math.max(a, s.first);
      const to = Math.min(b, s.last);
      if (from > to) continue;
      while (seen < damage.length && damage[seen]!.last < from) seen++;
      const why = damage.slice(seen).find((x) => x.kind !== 'unlisted' && x.seq <= to);
      bad.push({ fromSeq: from, toSeq: to, problem: why?.problem ?? 'not found on Kafka' });
    }
  };
  let records = 0;
  let next = spans[0]?.first ?? 1;
  for await (const x of readRanges<JournalRecord>(
    d.kafka,
    d.groupId(),
    index.segmentsOf(1, index.last, null, d.prefix),
    d.partitionsOf,
    (topic, m) => fromWire(topic.slice(d.prefix.length), m, nonce),
    (r) => r.seq,
  )) {
    if (x instanceof ReadDamage) {
      damage.push(x);
      if (x.kind === 'unlisted') bad.push({ fromSeq: x.seq, toSeq: x.seq, problem: x.problem });
      continue;
    }
    if (x.seq < next) {
      bad.push({ fromSeq: x.seq, toSeq: x.seq, problem: `seq ${x.seq} was read twice` });
      continue;
    }
    if (x.seq > next) missing(next, x.seq - 1);
    next = x.seq + 1;
    records++;
  }
  if (next <= index.last) missing(next, index.last);
  return { lastSeq: index.end, records, bad: coalesce(bad) };
}
