/** One journal record as the event stream shows it, and the filters a subscriber may set. */
import type { JournalRecord } from '../model/index.js';
import { recordId, type JournalMeta } from '../runtime/index.js';

export interface EventFilter {
  /** Record types (PascalCase, `SignalRejected`); any when absent. */
  readonly types?: readonly string[];
  /** The record's broker scope (`paper`, `zerodha`, `shared`, `system`). */
  readonly broker?: string;
  readonly strategyId?: string;
  /** The UUID of the input that started the chain (the envelope's correlation_id). */
  readonly correlationId?: string;
}

export interface StreamEvent {
  readonly seq: number;
  /** The record's UUID (the envelope's id). */
  readonly id: string;
  readonly type: string;
  readonly topic: string;
  readonly source: string;
  readonly broker: string;
  readonly strategyId?: string;
  readonly correlationId: string;
  readonly correlationSeq: number;
  /** Record time, ISO-8601 UTC. */
  readonly at: string;
  readonly data: unknown;
}

/** The strategy a record concerns: its own `strategyId`, or its signal's. */
function strategyOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as { strategyId?: unknown; signal?: { strategyId?: unknown } };
  const id = d.strategyId ?? d.signal?.strategyId;
  return typeof id === 'string' ? id : undefined;
}

/** The stream's view of one record. */
export function eventOf(
  meta: Pick<JournalMeta, 'nonce' | 'createdMs'>,
  r: JournalRecord,
): StreamEvent {
  const strategyId = strategyOf(r.data);
  return {
    seq: r.seq,
    id: recordId(meta, r.seq),
    type: r.type,
    topic: r.topic,
    source: r.source,
    broker: r.broker,
    ...(strategyId === undefined ? {} : { strategyId }),
    correlationId: recordId(meta, r.correlationSeq),
    correlationSeq: r.correlationSeq,
    at: new Date(r.ts).toISOString(),
    data: r.data,
  };
}

/**
 * The seq of record `id` in the journal of `meta` (its UUID carries the seq in its last 40
 * bits); null when the id is not one of that journal's.
 */
export function seqOfRecordId(
  meta: Pick<JournalMeta, 'nonce' | 'createdMs'>,
  id: string,
): number | null {
  const hex = id.toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(hex)) return null;
  const seq = parseInt(hex.slice(-10), 16);
  return seq > 0 && recordId(meta, seq) === hex ? seq : null;
}

/** Whether a record passes filter `f` (a correlation id of another journal passes none). */
export function matcher(
  f: EventFilter,
  meta: Pick<JournalMeta, 'nonce' | 'createdMs'>,
): (r: JournalRecord) => boolean {
  const types = f.types && f.types.length > 0 ? new Set(f.types) : null;
  // An id of another journal matches nothing here.
  const corr =
    f.correlationId === undefined ? undefined : (seqOfRecordId(meta, f.correlationId) ?? -1);
  return (r) =>
    (types === null || types.has(r.type)) &&
    (f.broker === undefined || r.broker === f.broker) &&
    (corr === undefined || r.correlationSeq === corr) &&
    (f.strategyId === undefined || strategyOf(r.data) === f.strategyId);
}
