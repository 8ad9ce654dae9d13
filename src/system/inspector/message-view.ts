/** One journal record as the inspector shows it: the envelope's fields, UTC and IST times. */
import { istIso, type JournalRecord } from '../../model/index.js';
import { recordId, type JournalMeta, type LogTransport } from '../../runtime/index.js';
import { targetsOf } from './message-counters.js';
import { INPUTS } from '../replayer.js';

export interface MessageView {
  readonly seq: number;
  /** The record's UUID (the envelope's id). */
  readonly id: string;
  readonly type: string;
  readonly topic: string;
  readonly source: string;
  /** The actors it was delivered to (an input's target, or a derived message's route). */
  readonly targets: string[];
  readonly broker: string;
  readonly key: string;
  /** Whether it is an input (journaled at ingress) rather than an actor's message. */
  readonly input: boolean;
  /** The seq of the input that started its chain (itself for an input). */
  readonly correlationSeq: number;
  /** The seq of the message whose delivery made it; 0 for an input. */
  readonly causationSeq: number;
  /** Record time, ISO-8601 UTC. */
  readonly at: string;
  /** The same time in IST. */
  readonly atIst: string;
  readonly data: unknown;
}

export type Meta = Pick<JournalMeta, 'nonce' | 'createdMs'>;

export function messageOf(meta: Meta, r: JournalRecord): MessageView {
  const input = INPUTS.has(r.type);
  return {
    seq: r.seq,
    id: recordId(meta, r.seq),
    type: r.type,
    topic: r.topic,
    source: r.source,
    targets: [...targetsOf(r, !input)],
    broker: r.broker,
    key: r.key,
    input,
    correlationSeq: r.correlationSeq,
    causationSeq: r.causationSeq,
    at: new Date(r.ts).toISOString(),
    atIst: istIso(r.ts),
    data: r.data,
  };
}

/** The record at `seq`, or null when the journal does not hold it. */
export async function recordAt(
  transport: LogTransport,
  seq: number,
): Promise<JournalRecord | null> {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > transport.lastSeq()) return null;
  for await (const r of transport.read(seq, { untilSeq: seq })) if (r.seq === seq) return r;
  return null;
}
