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
   * The first seq this journal stores, when it drops appends before it (replay's journal keeps
   * nothing; recovery's drops what is already durable): the bridge cuts those as seq ranges with
   * empty bytes instead of encoding them. Absent: it stores everything.
   */
  storesFrom?(): number;
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
  /** As `read`, in arrays (a stored batch at a time, say), when the transport can. */
  readBatches?(
    fromSeq: number,
    options?: { untilSeq?: number; topics?: readonly string[] },
  ): AsyncIterable<JournalRecord[]>;
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

/**
 * Reads `transport` from `fromSeq` in arrays of records, in seq order: its own batches when it
 * reads that way, else groups of up to 1,000 of its records.
 */
export async function* readInBatches(
  transport: LogTransport,
  fromSeq: number,
  options: { untilSeq?: number; topics?: readonly string[] } = {},
): AsyncIterable<JournalRecord[]> {
  if (transport.readBatches) {
    yield* transport.readBatches(fromSeq, options);
    return;
  }
  let group: JournalRecord[] = [];
  for await (const r of transport.read(fromSeq, options)) {
    group.push(r);
    if (group.length >= 1000) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}
