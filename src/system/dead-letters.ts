/**
 * Dead letters and their re-delivery (`dlq list`, `dlq replay`): which DeadLettered records of a
 * DLQ topic are still pending, and the operator's re-delivery of one to the actor that failed on
 * it, journaled as a DeadLetterRedelivered input so replay and recovery re-derive it.
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/index.js';
import {
  CONTROL_COMMANDS,
  topics,
  type DeadLettered,
  type DeadLetterRedelivered,
  type JournalRecord,
  type PendingDeadLetter,
} from '../model/index.js';
import { ConfigError, topicTable, type LogTransport } from '../runtime/index.js';
import { openJournalToRead } from './compose.js';
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

/** A re-delivery's result, as `dlq replay` and its route report it. */
export interface RedeliveryView {
  readonly deadLetterSeq: number;
  readonly actorId: string;
  /** `delivered`: the actor took it; `failed`: it was dead-lettered again; `refused`: not sent. */
  readonly outcome: 'delivered' | 'failed' | 'refused';
  /** Seq of the journaled DeadLetterRedelivered input (absent when refused). */
  readonly seq?: number;
  readonly error?: string;
}

/** The daemon's dead letters, as the DLQ routes serve them. */
export interface DlqService {
  /** Every DLQ topic name. */
  readonly topics: readonly string[];
  pending(dlqTopic: string): Promise<readonly PendingDeadLetter[]>;
  /** Re-delivers the oldest `limit` pending dead letters, one after another. */
  redeliver(dlqTopic: string, limit: number): Promise<readonly RedeliveryView[]>;
}

/** Every DLQ topic of the journal. */
export function dlqTopics(): string[] {
  return topicTable()
    .map((t) => t.name)
    .filter((n) => n.endsWith('.dlq'));
}

/** Reads the dead letters of `dlq` that are pending in `transport` through `through`. */
function pendingIn(
  transport: LogTransport,
  dlq: string,
  through: number,
): Promise<PendingDeadLetter[]> {
  if (through === 0) return Promise.resolve([]);
  return pendingDeadLetters(
    transport.read(1, { untilSeq: through, topics: [dlq, CONTROL_COMMANDS] }),
    dlq,
  );
}

/** The daemon's side: pending dead letters read from the journal, re-delivered one by one. */
export function daemonDlq(system: TradingSystem, transport: LogTransport, log: Logger): DlqService {
  const names = dlqTopics();
  const pending = async (dlq: string) => {
    await system.bridge.flush();
    return pendingIn(transport, dlq, system.bridge.durableSeq);
  };
  // One re-delivery run at a time, so two operators never deliver the same dead letter twice.
  let queue: Promise<unknown> = Promise.resolve();
  const redeliver = async (dlq: string, limit: number): Promise<RedeliveryView[]> => {
    const out: RedeliveryView[] = [];
    for (const d of (await pending(dlq)).slice(0, limit)) {
      const r = redeliverDeadLetter(system, d, 'operator:dlq');
      const view: RedeliveryView = r.ok
        ? {
            deadLetterSeq: d.seq,
            actorId: d.actorId,
            outcome: r.deadLettered === 0 ? 'delivered' : 'failed',
            seq: r.seq,
          }
        : { deadLetterSeq: d.seq, actorId: d.actorId, outcome: 'refused', error: r.error };
      log[view.outcome === 'delivered' ? 'info' : 'warn'](
        { ...view, topic: dlq },
        'dead letter re-delivered',
      );
      out.push(view);
    }
    return out;
  };
  return {
    topics: names,
    pending,
    redeliver: (dlq, limit) => {
      const run = queue.then(() => redeliver(dlq, limit));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** `dlq list --offline`: the pending dead letters read from the journal itself (no daemon). */
export async function pendingOffline(
  settings: Settings,
  dataDir: string | undefined,
  topic: string,
  limit: number | undefined,
): Promise<{ topic: string; pending: number; deadLetters: PendingDeadLetter[] }> {
  const dlq = dlqTopicOf(topic);
  if (!dlqTopics().includes(dlq))
    throw new ConfigError(
      `dlq list: no DLQ topic ${JSON.stringify(dlq)}; topics such as market.ticks or paper.signals.raw have one`,
    );
  const transport = await openJournalToRead(settings, dataDir, 'dlq list');
  try {
    const all = await pendingIn(transport, dlq, transport.lastSeq());
    return { topic: dlq, pending: all.length, deadLetters: all.slice(0, limit ?? all.length) };
  } finally {
    await transport.close();
  }
}
