/** What the switchboard queues and delivers, and the taps that watch its records. */
import type { Delivery as DeliveredEvent, JournalRecord, MarketTick } from '../model/index.js';
import type { Original } from './dead-letter.js';

export type Tap = (record: JournalRecord, derived: boolean) => void;
export type TickTap = (ticks: readonly MarketTick[], firstSeq: number, ts: number) => void;

export interface Delivery {
  readonly to: string;
  readonly event: DeliveredEvent;
  /** The record delivered; null for a tick batch (its records are rebuilt from `seqs`). */
  readonly record: JournalRecord | null;
  /** For a re-delivered dead letter: the message it was, dead-lettered as such if it fails again. */
  readonly original?: Original;
}

export interface Cause {
  readonly seq: number;
  readonly correlationSeq: number;
  /** For tick batches: a derived message names its tick by `tickSeq`. */
  readonly isTicks: boolean;
}
