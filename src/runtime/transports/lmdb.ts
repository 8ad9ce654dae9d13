/**
 * LmdbTransport: the embedded journal. One LMDB value per flushed batch, keyed by its first seq,
 * plus a topic index `[topic, firstSeq] -> lastSeq`. A batch and its index entries are written in
 * one transaction, so the stored journal is always a gap-free prefix.
 */
import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { JournalRecord } from '../../model/index.js';
import { batchSpan, nonceBytes } from '../batch-header.js';
import { decodeBatch } from '../codec.js';
import { JournalError } from '../errors.js';
import type { EncodedBatch, JournalMeta, LogTransport } from '../transport.js';

interface MetaValue {
  nonce: number;
  createdMs: number;
  format: 1;
}

export class LmdbTransport implements LogTransport {
  readonly kind = 'lmdb';
  /** LMDB has one writer and commits queued transactions in order. */
  readonly maxInFlight = 4096;
  private root!: RootDatabase;
  private batches!: Database<Buffer, number>;
  private index!: Database<number, [string, number]>;
  private meta!: Database<MetaValue, string>;
  private last = 0;
  private bytes = 0;
  /** The journal's nonce, which every batch's checksum covers. */
  private nonce: Uint8Array = new Uint8Array(8);

  /** `path` is a directory; it is created when missing. */
  constructor(private readonly path: string) {}

  async open(init: { nonce: number; createdMs: number }): Promise<JournalMeta> {
    mkdirSync(this.path, { recursive: true });
    try {
      this.root = open({
        path: this.path,
        compression: false,
        maxDbs: 8,
        noMemInit: true,
        // Start committing as soon as writes are queued, not at the end of the event turn: the
        // backtest loop yields rarely, and the write thread should work beside it.
        eventTurnBatching: false,
      });
    } catch (err) {
      throw new JournalError(
        'JOURNAL_OPEN_FAILED',
        `cannot open the LMDB journal at ${this.path}: ${String(err)}`,
        { cause: err },
      );
    }
    this.batches = this.root.openDB<Buffer, number>({ name: 'batches', encoding: 'binary' });
    this.index = this.root.openDB<number, [string, number]>({
      name: 'topic-index',
      encoding: 'ordered-binary',
    });
    this.meta = this.root.openDB<MetaValue, string>({ name: 'meta', encoding: 'msgpack' });
    let m = this.meta.get('journal');
    if (m === undefined) {
      m = { nonce: init.nonce, createdMs: init.createdMs, format: 1 };
      await this.meta.put('journal', m);
    }
    this.nonce = nonceBytes(m.nonce);
    const truncatedFrom = await this.checkChain();
    this.written = this.last;
    const meta = { nonce: m.nonce, createdMs: m.createdMs, lastSeq: this.last, epoch: 0 };
    return truncatedFrom === null ? meta : { ...meta, truncatedFrom };
  }

  /**
   * Walks the batch chain from seq 1 and sets `last`. Appends may be committed several at a time,
   * in order; if the process died with one missing, the batches after it were never reported
   * durable, so they are removed and the journal is a gap-free prefix again.
   */
  private async checkChain(): Promise<number | null> {
    let expect = 1;
    let gapAt: number | null = null;
    for (const { key, value } of this.batches.getRange({})) {
      if (gapAt !== null || key !== expect) {
        gapAt ??= expect;
        void this.batches.remove(key);
        continue;
      }
      const span = batchSpan(value);
      if (span === null)
        throw new JournalError(
          'JOURNAL_BATCH_INVALID',
          `journal batch ${key} is shorter than its header`,
        );
      expect = span.firstSeq + span.count;
    }
    this.last = expect - 1;
    if (gapAt === null) return null;
    for (const { key } of this.index.getRange({})) if (key[1] >= gapAt) void this.index.remove(key);
    await this.root.flushed;
    return gapAt;
  }

  append(batches: readonly EncodedBatch[]): Promise<void> {
    let expect = this.written + 1;
    for (const b of batches) {
      if (b.firstSeq !== expect) {
        return Promise.reject(
          new JournalError(
            'JOURNAL_GAP',
            `batch starting at seq ${b.firstSeq} does not follow seq ${expect - 1}`,
          ),
        );
      }
      expect = b.lastSeq + 1;
    }
    const last = expect - 1;
    if (last > this.written) this.written = last;
    // batch(): the writes are queued now, synchronously, and committed together in one transaction.
    return this.root
      .batch(() => {
        for (const b of batches) {
          this.bytes += b.bytes.byteLength;
          void this.batches.put(
            b.firstSeq,
            Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength),
          );
          for (const t of b.topics) void this.index.put([t, b.firstSeq], b.lastSeq);
        }
      })
      .then(
        () => {
          if (last > this.last) this.last = last;
        },
        (err: unknown) => {
          // The bridge retries from this batch on: accept it (and what follows it) again.
          const first = batches[0]?.firstSeq ?? this.written + 1;
          if (first - 1 < this.written) this.written = first - 1;
          throw new JournalError(
            'JOURNAL_WRITE_FAILED',
            `LMDB write of seq ${batches[0]?.firstSeq}..${last} failed: ${String(err)}`,
            {
              cause: err,
              retriable: true,
            },
          );
        },
      );
  }

  /** Highest seq handed to LMDB (durable or about to be). */
  private written = 0;

  async *read(
    fromSeq: number,
    options: { untilSeq?: number; topics?: readonly string[] } = {},
  ): AsyncIterable<JournalRecord> {
    const until = options.untilSeq ?? Number.MAX_SAFE_INTEGER;
    const wanted = options.topics ? new Set(options.topics) : null;
    const starts = wanted ? this.batchStartsFor(wanted, fromSeq, until) : null;
    let start = fromSeq;
    for (const { key } of this.batches.getRange({ start: fromSeq, reverse: true, limit: 1 }))
      start = key;
    for (const { key, value } of this.batches.getRange({ start })) {
      if (key > until) break;
      if (starts && !starts.has(key)) continue;
      for (const r of decodeBatch(value, this.nonce)) {
        if (r.seq < fromSeq) continue;
        if (r.seq > until) return;
        if (wanted && !wanted.has(r.topic)) continue;
        yield r;
      }
    }
  }

  private batchStartsFor(topics: Set<string>, from: number, until: number): Set<number> {
    const out = new Set<number>();
    for (const t of topics) {
      for (const { key, value } of this.index.getRange({ start: [t, 0], end: [t, until + 1] })) {
        if (value >= from) out.add(key[1]);
      }
    }
    return out;
  }

  lastSeq(): number {
    return this.last;
  }

  bytesWritten(): number {
    return this.bytes;
  }

  async close(): Promise<void> {
    if (this.root) {
      await this.root.flushed;
      await this.root.close();
    }
  }
}
