/** Dead letters: the message that made an actor throw, with its failure, for `<topic>.dlq`. */
import { MARKET_TICKS, type DeadLettered, type TicksReceived } from '../model/index.js';
import { describeError, MessageFailed } from './errors.js';

/** The parts of a record a dead letter keeps. */
export interface Original {
  readonly type: string;
  readonly topic: string;
  readonly key: string;
  readonly seq: number;
  readonly data: unknown;
}

export function deadLetterOf(actorId: string, original: Original, err: unknown): DeadLettered {
  return {
    type: 'DeadLettered',
    actorId,
    originalTopic: original.topic,
    originalSeq: original.seq,
    originalType: original.type,
    originalKey: original.key,
    error: describeError(err),
    original: original.data,
  };
}

/**
 * Splits a tick batch an actor threw on into the tick that failed (named by MessageFailed, else
 * the first) and the rest, which is redelivered to the restarted actor.
 */
export function splitFailedBatch(
  batch: TicksReceived,
  err: unknown,
): { failed: Original; rest: TicksReceived } {
  const i = err instanceof MessageFailed ? batch.seqs.indexOf(err.seq) : 0;
  const idx = i < 0 ? 0 : i;
  const tick = batch.ticks[idx]!;
  return {
    failed: {
      type: 'MarketTick',
      topic: MARKET_TICKS,
      key: String(tick.token),
      seq: batch.seqs[idx]!,
      data: tick,
    },
    rest: {
      type: 'TicksReceived',
      ticks: batch.ticks.filter((_, j) => j !== idx),
      seqs: batch.seqs.filter((_, j) => j !== idx),
    },
  };
}
