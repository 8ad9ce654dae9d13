/** Dead letters: the message that made an actor throw, with its failure, for `<topic>.dlq`. */
import {
  MARKET_TICKS,
  type Delivery,
  type DeadLettered,
  type DeadLetterRedelivered,
  type MarketTick,
  type TicksReceived,
} from '../model/index.js';
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

/**
 * What a re-delivered dead letter delivers: the original message as it was; a tick as a batch of
 * one named by the re-delivery's seq (what it derives answers that input).
 */
export function redeliveryOf(
  msg: DeadLetterRedelivered,
  seq: number,
): { original: Original; event: Delivery; tick: boolean } {
  const original: Original = {
    type: msg.originalType,
    topic: msg.originalTopic,
    key: msg.originalKey,
    seq: msg.originalSeq,
    data: msg.original,
  };
  if (msg.originalType === 'MarketTick') {
    const event: TicksReceived = {
      type: 'TicksReceived',
      ticks: [msg.original as MarketTick],
      seqs: [seq],
    };
    return { original, event, tick: true };
  }
  // Journal data: the message as the actor was given it when it failed.
  return { original, event: msg.original as Delivery, tick: false };
}
