/** LogTransport: where journal batches go (LMDB embedded, Kafka later). One interface, one record shape. */
import type { JournalRecord } from '../model/index.js';

/** A contiguous run of records, encoded once by the bridge, written whole or not at all. */
export interface EncodedBatch {
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Topics present in the batch (for the topic index). */
  readonly topics: readonly string[];
  readonly bytes: Uint8Array;
}

export interface JournalMeta {
  /** A 34-bit number that tells this journal's record ids from another's. */
  readonly nonce: number;
  /** When the journal was created, epoch ms: the timestamp field of its record ids. */
  readonly createdMs: number;
  /** Highest durable seq; 0 when empty. */
  readonly lastSeq: number;
  /**
   * 0 for a new journal; every `journal repair` advances it. Client order ids carry it, so an id
   * handed out before a repair is never handed out again after one.
   */
  readonly epoch: number;
}

export interface LogTransport {
  readonly kind: string;
  /**
   * How many `append` calls may be outstanding at once. A transport that commits appends in
   * order (LMDB) allows several, so writing overlaps with the actors; Kafka transactions want 1.
   */
  readonly maxInFlight: number;
  /**
   * Opens (creating when missing) and returns the journal's meta; `init` is used when creating.
   * Never changes what is stored: a journal that is not an intact prefix is refused.
   */
  open(init: { nonce: number; createdMs: number }): Promise<JournalMeta>;
  /**
   * Appends contiguous batches in one atomic write; resolves once they are durable (a crash after
   * that keeps them, a crash before keeps none). Each batch starts right after the previous one.
   */
  append(batches: readonly EncodedBatch[]): Promise<void>;
  /** Reads records with seq >= fromSeq (and <= untilSeq), in seq order; only `topics` when given. */
  read(
    fromSeq: number,
    options?: { untilSeq?: number; topics?: readonly string[] },
  ): AsyncIterable<JournalRecord>;
  /** Highest durable seq. */
  lastSeq(): number;
  /** Bytes written so far by this process. */
  bytesWritten(): number;
  close(): Promise<void>;
}
