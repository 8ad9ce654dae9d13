/**
 * How a journal record looks on Kafka: the value is the SPEC §1 envelope as JSON (what the
 * original's consumers and `kcat` read), the key is the record's partition key, and headers
 * carry what the envelope spells differently (`ap-type`: the PascalCase message name;
 * `ap-corr`/`ap-cause`: correlation and causation seqs; `ap-batch`: the delivery batch size on a
 * batch's first tick), so a record read back is exactly the record written.
 *
 * The Kafka timestamp is the time of writing (the producer's), not the record time (the
 * envelope's `ts`): a topic's retention deletes a segment once its newest timestamp is older
 * than `retention.ms`, so records of a backtest or a replayed day, whose times lie in the past,
 * would be deleted minutes after they were written, under the reader's feet.
 */
import type { BrokerScope, Envelope, JournalRecord } from '../../model/index.js';
import { toEnvelope } from '../envelope.js';
import { JournalError } from '../errors.js';
import type { JournalMeta } from '../transport.js';

export interface WireMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export function toWire(
  meta: Pick<JournalMeta, 'nonce' | 'createdMs'>,
  r: JournalRecord,
): WireMessage {
  const headers: Record<string, string> = {
    'ap-type': r.type,
    'ap-corr': String(r.correlationSeq),
    'ap-cause': String(r.causationSeq),
  };
  if (r.batch !== undefined) headers['ap-batch'] = String(r.batch);
  return {
    key: r.key,
    value: JSON.stringify(toEnvelope(meta, r)),
    headers,
  };
}

/** The parts of a consumed Kafka message that `fromWire` reads. */
export interface ConsumedMessage {
  readonly value: Buffer | null;
  readonly headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

function header(m: ConsumedMessage, name: string): string | undefined {
  const h = m.headers?.[name];
  if (h === undefined) return undefined;
  const v = Array.isArray(h) ? h[0] : h;
  return v === undefined ? undefined : v.toString();
}

export function fromWire(topic: string, m: ConsumedMessage): JournalRecord {
  if (m.value === null)
    throw new JournalError('JOURNAL_CORRUPT', `a record on ${topic} has no value`);
  const e = JSON.parse(m.value.toString('utf8')) as Envelope;
  const type = header(m, 'ap-type');
  const corr = header(m, 'ap-corr');
  const cause = header(m, 'ap-cause');
  if (type === undefined || corr === undefined || cause === undefined) {
    throw new JournalError(
      'JOURNAL_CORRUPT',
      `record seq ${e.seq} on ${topic} lacks the ap-type/ap-corr/ap-cause headers: it was not written by this journal`,
    );
  }
  const batch = header(m, 'ap-batch');
  const r: JournalRecord = {
    seq: e.seq,
    ts: Date.parse(e.ts),
    type,
    topic,
    source: e.source,
    target: e.target,
    correlationSeq: Number(corr),
    causationSeq: Number(cause),
    broker: e.broker as BrokerScope,
    key: e.key,
    data: e.data,
  };
  return batch === undefined ? r : { ...r, batch: Number(batch) };
}
