/**
 * How a journal record looks on Kafka: the value is the SPEC §1 envelope as JSON (what the
 * original's consumers and `kcat` read), the key is the record's partition key, and headers
 * carry what the envelope spells differently (`ap-type`: the PascalCase message name;
 * `ap-corr`/`ap-cause`: correlation and causation seqs; `ap-batch`: the delivery batch size on a
 * batch's first tick), so a record read back is exactly the record written, and `ap-crc`, the
 * record's checksum (recordChecksum, 8 hex digits), which every reader verifies.
 *
 * The Kafka timestamp is the time of writing (the producer's), not the record time (the
 * envelope's `ts`): a topic's retention deletes a segment once its newest timestamp is older
 * than `retention.ms`, so records of a backtest or a replayed day, whose times lie in the past,
 * would be deleted minutes after they were written, under the reader's feet.
 */
import type { BrokerScope, Envelope, JournalRecord } from '../../model/index.js';
import { checksum } from '../checksum.js';
import { toEnvelope } from '../envelope.js';
import { JournalError } from '../errors.js';
import type { JournalMeta } from '../transport.js';

export interface WireMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** A record on Kafka that is not intact; `seq` is its seq when its value still says it. */
export class DamagedRecord extends JournalError {
  constructor(
    readonly seq: number | null,
    message: string,
  ) {
    super('JOURNAL_RECORD_DAMAGED', message);
  }
}

const head = Buffer.alloc(16);

/**
 * CRC-32C of a record on Kafka: the journal's nonce and the record's seq (each 8 bytes,
 * big-endian), then the value's bytes. The nonce ties a record to its journal, the seq to its
 * place in it.
 */
export function recordChecksum(nonce: number, seq: number, value: Uint8Array): number {
  head.writeUInt32BE(Math.floor(nonce / 2 ** 32), 0);
  head.writeUInt32BE(nonce >>> 0, 4);
  head.writeUInt32BE(Math.floor(seq / 2 ** 32), 8);
  head.writeUInt32BE(seq >>> 0, 12);
  return checksum(head, value);
}

export function toWire(
  meta: Pick<JournalMeta, 'nonce' | 'createdMs'>,
  r: JournalRecord,
): WireMessage {
  const value = Buffer.from(JSON.stringify(toEnvelope(meta, r)), 'utf8');
  const headers: Record<string, string> = {
    'ap-type': r.type,
    'ap-corr': String(r.correlationSeq),
    'ap-cause': String(r.causationSeq),
    'ap-crc': recordChecksum(meta.nonce, r.seq, value).toString(16).padStart(8, '0'),
  };
  if (r.batch !== undefined) headers['ap-batch'] = String(r.batch);
  return { key: r.key, value, headers };
}

/** The parts of a consumed Kafka message that `fromWire` reads. */
export interface ConsumedMessage {
  readonly value: Buffer | null;
  readonly headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

function header(m: ConsumedMessage, name: string): string | undefined {
  const h = m.headers?.[name];
  if (h === undefined) return undefined;
  if (typeof h === 'string') return h;
  const v = Array.isArray(h) ? h[0] : h;
  return v === undefined ? undefined : v.toString();
}

/** Neighbouring records share their time: the last one parsed, kept. */
let lastIso = '';
let lastMs = Number.NaN;

function parseTs(iso: string): number {
  if (iso !== lastIso) {
    lastMs = Date.parse(iso);
    lastIso = iso;
  }
  return lastMs;
}

/** An 8-hex-digit checksum header's value, or NaN when it is not one. */
function crcOf(h: string): number {
  return h.length === 8 && /^[0-9a-f]{8}$/.test(h) ? parseInt(h, 16) : Number.NaN;
}

/** Decodes a record of the journal whose nonce is `nonce`, verifying its checksum. */
export function fromWire(topic: string, m: ConsumedMessage, nonce: number): JournalRecord {
  if (m.value === null) throw new DamagedRecord(null, `a record on ${topic} has no value`);
  let e: Envelope;
  try {
    e = JSON.parse(m.value.toString('utf8')) as Envelope;
  } catch {
    throw new DamagedRecord(null, `a record on ${topic} is not JSON`);
  }
  const seq = Number.isSafeInteger(e?.seq) ? e.seq : null;
  const crc = header(m, 'ap-crc');
  if (seq === null || crc === undefined) {
    throw new DamagedRecord(
      seq,
      `record seq ${seq ?? '?'} on ${topic} has no ${seq === null ? 'seq' : 'checksum (ap-crc header)'}`,
    );
  }
  if (crcOf(crc) !== recordChecksum(nonce, seq, m.value)) {
    throw new DamagedRecord(seq, `record seq ${seq} on ${topic} fails its checksum`);
  }
  const type = header(m, 'ap-type');
  const corr = header(m, 'ap-corr');
  const cause = header(m, 'ap-cause');
  if (type === undefined || corr === undefined || cause === undefined) {
    throw new DamagedRecord(
      seq,
      `record seq ${seq} on ${topic} lacks the ap-type/ap-corr/ap-cause headers: it was not written by this journal`,
    );
  }
  const batch = header(m, 'ap-batch');
  const r: JournalRecord = {
    seq,
    ts: parseTs(e.ts),
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
