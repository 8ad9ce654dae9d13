/**
 * Dead letters and their re-delivery (`dlq list`, `dlq replay`): which DeadLettered records of a
 * DLQ topic are still pending, and the operator's re-delivery of one to the actor that failed on
 * it, journaled as a DeadLetterRedelivered input so replay and recovery re-derive it.
 */
import {
  topics,
  type DeadLettered,
  type DeadLetterRedelivered,
  type JournalRecord,
  type PendingDeadLetter,
} from '../model/index.js';
import type { TradingSystem } from './trading-system.js';

/** The DLQ topic of `topic` (given with or without its `.dlq`). */
export function dlqTopicOf(topic: string): string {
  return topic.endsWith('.dlq') ? topic : topics.dlq(topic);
}

/**
 * Reads `records` (a journal read of the DLQ topic and control.commands) and returns the dead
 * letters of `dlqTopic` that no later DeadLetterRedelivered has drained, oldest first.
 */
export async function pendingDeadLetters(
  records: AsyncIterable<JournalRecord>,
  dlqTopic: string,
): Promise<PendingDeadLetter[]> {
  const pending = new Map<number, PendingDeadLetter>();
  for await (const r of records) {
    if (r.type === 'DeadLettered' && r.topic === dlqTopic) {
      const d = r.data as DeadLettered;
      pending.set(r.seq, {
        seq: r.seq,
        at: new Date(r.ts).toISOString(),
        actorId: d.actorId,
        originalTopic: d.originalTopic,
        originalSeq: d.originalSeq,
        originalType: d.originalType,
        originalKey: d.originalKey,
        error: d.error,
        original: d.original,
      });
    } else if (r.type === 'DeadLetterRedelivered') {
      pending.delete((r.data as DeadLetterRedelivered).deadLetterSeq);
    }
  }
  return [...pending.values()];
}

export type RedeliveryOutcome =
  | { readonly ok: true; readonly seq: number; readonly deadLettered: number }
  | { readonly ok: false; readonly error: string };

/**
 * Re-delivers one dead letter to the actor that failed on it. Refused, journaling nothing, when
 * that actor is not running in this run (faulted, or no longer configured): fix it first.
 */
export function redeliverDeadLetter(
  system: TradingSystem,
  d: PendingDeadLetter,
  source: string,
): RedeliveryOutcome {
  const faulted = system.faults()[d.actorId];
  if (faulted !== undefined)
    return {
      ok: false,
      error: `${d.actorId} is FAULTED (${faulted}); fix its cause and restart the daemon, then replay`,
    };
  const ref = system.actor(d.actorId);
  if (ref === undefined || ref.getSnapshot().status !== 'active')
    return {
      ok: false,
      error: `${d.actorId} is not running in this run, so nothing can receive it`,
    };
  const msg: DeadLetterRedelivered = {
    type: 'DeadLetterRedelivered',
    deadLetterSeq: d.seq,
    actorId: d.actorId,
    originalTopic: d.originalTopic,
    originalSeq: d.originalSeq,
    originalType: d.originalType,
    originalKey: d.originalKey,
    original: d.original,
  };
  return { ok: true, ...system.switchboard.redeliver(msg, source) };
}
