/** Renders journal records as the wire envelope of SPEC §1, with ids derived from (nonce, seq). */
import {
  ENVELOPE_VERSION,
  envelopeType,
  type Envelope,
  type JournalRecord,
} from '../model/index.js';
import { uuidv7 } from './ids.js';
import type { JournalMeta } from './transport.js';

/**
 * The UUIDv7 of record `seq` in a journal. Its timestamp field is the journal's creation time and
 * its random bits are the journal's nonce and the seq, so ids are unique across journals, sort in
 * seq order within one, and need not be stored.
 */
export function recordId(meta: Pick<JournalMeta, 'nonce' | 'createdMs'>, seq: number): string {
  return uuidv7(meta.createdMs, meta.nonce, seq);
}

export function toEnvelope(
  meta: Pick<JournalMeta, 'nonce' | 'createdMs'>,
  r: JournalRecord,
): Envelope {
  return {
    id: recordId(meta, r.seq),
    seq: r.seq,
    type: envelopeType(r.type),
    ts: new Date(r.ts).toISOString(),
    correlation_id: recordId(meta, r.correlationSeq),
    causation_id: r.causationSeq > 0 ? recordId(meta, r.causationSeq) : null,
    source: r.source,
    target: r.target,
    version: ENVELOPE_VERSION,
    broker: r.broker,
    key: r.key,
    data: r.data,
  };
}
