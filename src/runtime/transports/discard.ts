/**
 * A journal that keeps nothing: it accepts contiguous appends from a given seq and counts them.
 * Replay drives a second trading system over it, whose records are compared as they are made
 * (through the switchboard's taps) rather than stored.
 */
import type { JournalRecord } from '../../model/index.js';
import { JournalError } from '../errors.js';
import type { EncodedBatch, JournalMeta, LogTransport } from '../transport.js';

export class DiscardTransport implements LogTransport {
  readonly kind = 'discard';
  readonly maxInFlight = 1;
  private last: number;
  private bytes = 0;

  /** `after`: the seq the journal is taken to end at, so the first append starts at after + 1. */
  constructor(after = 0) {
    this.last = after;
  }

  open(init: { nonce: number; createdMs: number }): Promise<JournalMeta> {
    return Promise.resolve({ ...init, lastSeq: this.last, epoch: 0 });
  }

  append(batches: readonly EncodedBatch[]): Promise<void> {
    for (const b of batches) {
      if (b.firstSeq !== this.last + 1)
        return Promise.reject(
          new JournalError(
            'JOURNAL_GAP',
            `batch starting at seq ${b.firstSeq} does not follow seq ${this.last}`,
          ),
        );
      this.last = b.lastSeq;
      this.bytes += b.bytes.byteLength;
    }
    return Promise.resolve();
  }

  // eslint-disable-next-line require-yield
  async *read(): AsyncIterable<JournalRecord> {
    return;
  }

  storesFrom(): number {
    return Number.POSITIVE_INFINITY;
  }

  lastSeq(): number {
    return this.last;
  }

  bytesWritten(): number {
    return this.bytes;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
