/**
 * The causation chain of one message, both ways. Back: from the message to the input that
 * started its chain, by each record's causationSeq (a fill → its order → the validated signal →
 * the signal → the tick). Forward: every record its delivery caused, directly or not (a tick →
 * signals → validations → orders → fills): they share the root input as correlationSeq and each
 * one's causationSeq is the message or one of its descendants.
 *
 * Delivery runs to completion, so a chain is journaled before the next input's records (a tick
 * batch's chains follow the batch); the forward scan stops at the next input that is not a tick
 * of the same batch, or after MAX_SCAN records.
 */
import type { JournalRecord } from '../../model/index.js';
import type { LogTransport } from '../../runtime/index.js';
import { INPUTS } from '../replayer.js';
import { messageOf, recordAt, type Meta, type MessageView } from './message-view.js';

/** Records read forward from a message at most, looking for what it caused. */
export const MAX_SCAN = 100_000;

export interface Chain {
  readonly seq: number;
  /** The message, then its cause, and so on to the input that started the chain (last). */
  readonly back: MessageView[];
  /** Every record the message caused, directly or not, in seq order. */
  readonly forward: MessageView[];
  /** Whether the forward scan stopped at MAX_SCAN records before the chain's end. */
  readonly truncated: boolean;
}

function endsChain(r: JournalRecord, root: JournalRecord): boolean {
  if (!INPUTS.has(r.type)) return false;
  if (r.type !== 'MarketTick' || root.type !== 'MarketTick') return true;
  return r.batch !== undefined && r.batch > 0;
}

/** The chain of the record at `seq`; null when the journal does not hold it. */
export async function causationChain(
  transport: LogTransport,
  meta: Meta,
  seq: number,
): Promise<Chain | null> {
  const rec = await recordAt(transport, seq);
  if (rec === null) return null;
  const back: JournalRecord[] = [rec];
  let cur = rec;
  while (cur.causationSeq > 0 && cur.causationSeq < cur.seq && back.length < 10_000) {
    const cause = await recordAt(transport, cur.causationSeq);
    if (cause === null) break;
    back.push(cause);
    cur = cause;
  }
  const corr = rec.correlationSeq;
  const caused = new Set<number>([rec.seq]);
  const forward: JournalRecord[] = [];
  let scanned = 0;
  let truncated = false;
  for await (const r of transport.read(rec.seq + 1, { untilSeq: transport.lastSeq() })) {
    if (++scanned > MAX_SCAN) {
      truncated = true;
      break;
    }
    if (endsChain(r, rec)) break;
    if (r.correlationSeq !== corr || !caused.has(r.causationSeq)) continue;
    caused.add(r.seq);
    forward.push(r);
  }
  return {
    seq,
    back: back.map((r) => messageOf(meta, r)),
    forward: forward.map((r) => messageOf(meta, r)),
    truncated,
  };
}
