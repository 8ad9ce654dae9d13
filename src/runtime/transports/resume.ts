/**
 * Recovery's view of a journal: it pretends to end at `from` (the seq before the run being
 * rebuilt), so the rebuilt actors are given the same seqs as the recorded ones, and it drops
 * what they re-derive up to the journal's real end (already durable), writing only what comes
 * after: records the crashed process derived but never made durable, then everything new.
 */
import type { JournalRecord } from '../../model/index.js';
import { decodeBatch, encodeBatch } from '../codec.js';
import {
  readInBatches,
  type EncodedBatch,
  type JournalMeta,
  type LogTransport,
} from '../transport.js';

export class ResumeTransport implements LogTransport {
  readonly kind: string;
  readonly maxInFlight: number;
  private last: number;
  private readonly durable: number;

  /** `inner` is open; `meta` is what its open returned. */
  constructor(
    private readonly inner: LogTransport,
    private readonly meta: JournalMeta,
    from: number,
  ) {
    this.kind = inner.kind;
    this.maxInFlight = inner.maxInFlight;
    this.last = from;
    this.durable = inner.lastSeq();
  }

  open(): Promise<JournalMeta> {
    return Promise.resolve({
      nonce: this.meta.nonce,
      createdMs: this.meta.createdMs,
      lastSeq: this.last,
      epoch: this.meta.epoch,
    });
  }

  storesFrom(): number {
    return this.durable + 1;
  }

  append(batches: readonly EncodedBatch[]): Promise<void> {
    const out: EncodedBatch[] = [];
    for (const b of batches) {
      if (b.lastSeq <= this.durable) continue;
      if (b.firstSeq > this.durable) {
        out.push(b);
        continue;
      }
      // Straddles the journal's end: keep the records after it.
      const tail = decodeBatch(b.bytes, this.meta.nonce).filter((r) => r.seq > this.durable);
      out.push({
        firstSeq: tail[0]!.seq,
        lastSeq: b.lastSeq,
        topics: [...new Set(tail.map((r) => r.topic))],
        bytes: encodeBatch(tail, this.meta.nonce),
      });
    }
    const end = batches.at(-1)?.lastSeq ?? this.last;
    if (out.length === 0) {
      this.last = Math.max(this.last, end);
      return Promise.resolve();
    }
    return this.inner.append(out).then(() => {
      this.last = Math.max(this.last, end);
    });
  }

  read(
    fromSeq: number,
    options?: { untilSeq?: number; topics?: readonly string[] },
  ): AsyncIterable<JournalRecord> {
    return this.inner.read(fromSeq, options);
  }

  readBatches(
    fromSeq: number,
    options?: { untilSeq?: number; topics?: readonly string[] },
  ): AsyncIterable<JournalRecord[]> {
    return readInBatches(this.inner, fromSeq, options);
  }

  lastSeq(): number {
    return this.last;
  }

  bytesWritten(): number {
    return this.inner.bytesWritten();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
