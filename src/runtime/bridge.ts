/**
 * The bridge: buffers every journal record, cuts contiguous batches, encodes each once and writes
 * it through the LogTransport. It never drops and never throws into actors: a failed write is
 * retried with backoff, and past the backlog bound it reports `JournalBacklogExceeded` so the
 * risk gates halt (ARCHITECTURE invariant 4).
 */
import type { JournalRecord, MarketTick } from '../model/index.js';
import { BatchWriter } from './codec.js';
import { JournalBacklogExceeded } from './errors.js';
import type { EncodedBatch, LogTransport } from './transport.js';

export interface BridgeOptions {
  /** Records per stored batch. */
  readonly batchRecords?: number;
  /** Unflushed records past which the backlog is reported exceeded. */
  readonly maxBacklog?: number;
  /** Called when the backlog crosses the bound (with the error) and when it is back under it (null). */
  readonly onBacklog?: (exceeded: JournalBacklogExceeded | null) => void;
  /** Called when a write fails; the bridge retries it. */
  readonly onWriteError?: (err: unknown, attempt: number) => void;
  /** Called when a write succeeds after one or more failed. */
  readonly onWriteRecovered?: () => void;
}

interface Waiter {
  seq: number;
  resolve: () => void;
}

/**
 * Watches the bridge's writes (metrics): called as a write of `records` records in `bytes` encoded
 * bytes starts; the function it returns, if any, is called once that write has landed (a failed
 * write is retried as a new write, and reported again).
 */
export type WriteObserver = (records: number, bytes: number) => (() => void) | void;

/** What the bridge cuts batches with: the codec, or (for a journal that keeps nothing) a count. */
type Writer = Pick<
  BatchWriter,
  'count' | 'firstSeq' | 'lastSeq' | 'topics' | 'addRecord' | 'addTick' | 'finish'
>;

/**
 * Cuts batches of a journal that keeps nothing (replay's): seq ranges without bytes, so a replay
 * spends no time encoding what is thrown away.
 */
class CountingWriter implements Writer {
  private first = 0;
  count = 0;
  get firstSeq(): number {
    return this.first;
  }
  get lastSeq(): number {
    return this.first + this.count - 1;
  }
  topics(): string[] {
    return [];
  }
  addRecord(r: JournalRecord): void {
    this.add(r.seq);
  }
  addTick(seq: number): void {
    this.add(seq);
  }
  private add(seq: number): void {
    if (this.count === 0) this.first = seq;
    this.count++;
  }
  finish(): Uint8Array {
    this.count = 0;
    return EMPTY;
  }
}
const EMPTY = new Uint8Array(0);

export class Bridge {
  private writer: Writer;
  private readonly encoder: BatchWriter;
  private readonly counter = new CountingWriter();
  /** Seqs up to this one the transport drops (see LogTransport.storesFrom): counted, not encoded. */
  private readonly countThrough: number;
  private queue: EncodedBatch[] = [];
  private inFlight = 0;
  private durable: number;
  private appended: number;
  private waiters: Waiter[] = [];
  private scheduled = false;
  private exceeded = false;
  private readonly batchRecords: number;
  private readonly maxBacklog: number;
  /** Batches whose write finished out of order, waiting for their predecessors. */
  private done = new Map<number, number>();
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Whether the last write failed (and none has succeeded since). */
  private failing = false;
  private observer: WriteObserver | null = null;

  /**
   * `transport` is open; `nonce` is its journal's (from `open`): every batch is sealed with a
   * checksum tied to it, so a batch is never taken for another journal's.
   */
  constructor(
    private readonly transport: LogTransport,
    nonce: number,
    private readonly options: BridgeOptions = {},
  ) {
    this.encoder = new BatchWriter(nonce);
    this.countThrough = (transport.storesFrom?.() ?? 1) - 1;
    this.writer = this.countThrough > transport.lastSeq() ? this.counter : this.encoder;
    this.batchRecords = options.batchRecords ?? 1000;
    this.maxBacklog = options.maxBacklog ?? 1_000_000;
    this.durable = transport.lastSeq();
    this.appended = this.durable;
  }

  /** Highest seq known durable. */
  get durableSeq(): number {
    return this.durable;
  }

  /** Highest seq handed to the bridge. */
  get lastSeq(): number {
    return this.appended;
  }

  /** Records handed over but not yet durable. */
  get backlog(): number {
    return this.appended - this.durable;
  }

  /** Takes one record; its seq must follow the previous one. Never throws for I/O. */
  append(rec: JournalRecord): void {
    this.expect(rec.seq);
    if (rec.seq > this.countThrough && this.writer === this.counter) this.encodeFromHere();
    this.writer.addRecord(rec);
    this.after();
  }

  /**
   * Takes one tick record without building a record object (the journal's hot path).
   * `batch` is the delivery batch size on the first tick of a batch, else 0.
   */
  appendTick(seq: number, ts: number, tick: MarketTick, batch: number): void {
    this.expect(seq);
    if (seq > this.countThrough && this.writer === this.counter) this.encodeFromHere();
    this.writer.addTick(seq, ts, tick, batch);
    this.after();
  }

  /** Past what the transport drops: cuts the counted records into a batch of their own, then encodes. */
  private encodeFromHere(): void {
    if (this.counter.count > 0) this.cut();
    this.writer = this.encoder;
  }

  private expect(seq: number): void {
    if (seq !== this.appended + 1) {
      throw new Error(`bridge received seq ${seq} after ${this.appended}: seq must be contiguous`);
    }
    this.appended = seq;
  }

  private after(): void {
    if (this.writer.count >= this.batchRecords) this.cut();
    else this.schedule();
    if (!this.exceeded && this.backlog > this.maxBacklog) {
      this.exceeded = true;
      const err = new JournalBacklogExceeded(this.backlog, this.maxBacklog);
      // Not from inside append(): the caller is in the middle of assigning seqs (a tick batch
      // takes its whole range first), and the callback journals a command of its own.
      queueMicrotask(() => this.options.onBacklog?.(err));
    }
  }

  /** Cuts whatever is buffered into a batch now and resolves when everything appended so far is durable. */
  flush(): Promise<void> {
    if (this.writer.count > 0) this.cut();
    return this.whenDurable(this.appended);
  }

  /** Resolves once `seq` is durable. */
  whenDurable(seq: number): Promise<void> {
    if (seq <= this.durable) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  /** Reports every write from now on to `observer` (null: to nobody). Once per write, never per record. */
  observeWrites(observer: WriteObserver | null): void {
    this.observer = observer;
  }

  /** Stops retrying (after a final flush). */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.writer.count > 0) this.cut();
    });
  }

  private cut(): void {
    const w = this.writer;
    const firstSeq = w.firstSeq;
    const lastSeq = w.lastSeq;
    const topics = w.topics();
    this.queue.push({ firstSeq, lastSeq, topics, bytes: w.finish() });
    this.pump();
  }

  /**
   * Starts a write of every queued batch, up to the transport's `maxInFlight` outstanding writes;
   * each write is atomic, and durability is only ever reported for a contiguous prefix.
   */
  private pump(): void {
    if (
      this.inFlight >= this.transport.maxInFlight ||
      this.queue.length === 0 ||
      this.retryTimer !== null
    )
      return;
    const batches = this.queue;
    this.queue = [];
    this.write(batches, 1);
  }

  private write(batches: EncodedBatch[], attempt: number): void {
    this.inFlight++;
    const landed = this.observer === null ? undefined : observe(this.observer, batches);
    let written: Promise<void>;
    try {
      written = this.transport.append(batches);
    } catch (err) {
      // A transport that throws instead of rejecting must not throw into the actors.
      written = Promise.reject(err);
    }
    written.then(
      () => {
        this.inFlight--;
        landed?.();
        for (const b of batches) this.markDurable(b);
        if (this.failing) {
          this.failing = false;
          this.options.onWriteRecovered?.();
        }
        this.pump();
      },
      (err: unknown) => {
        this.inFlight--;
        this.failing = true;
        this.options.onWriteError?.(err, attempt);
        if (this.stopped) return;
        // Retry these batches first, with backoff; later batches queue behind them, and the
        // batches of several failed writes in seq order. Rewriting a batch that did land is
        // harmless: same key, same bytes.
        this.queue = [...batches, ...this.queue].sort((a, b) => a.firstSeq - b.firstSeq);
        if (this.retryTimer !== null) return;
        const delay = Math.min(5000, 50 * 2 ** Math.min(attempt, 7));
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          // The first batch alone: when little room is back (a disk freed a bit), it lands even
          // if the whole backlog would not, and the rest follows it.
          const first = this.queue.shift();
          if (first !== undefined) this.write([first], attempt + 1);
        }, delay);
      },
    );
  }

  private markDurable(batch: EncodedBatch): void {
    this.done.set(batch.firstSeq, batch.lastSeq);
    let next = this.done.get(this.durable + 1);
    while (next !== undefined) {
      this.done.delete(this.durable + 1);
      this.durable = next;
      next = this.done.get(this.durable + 1);
    }
    if (this.waiters.length > 0) {
      const still: Waiter[] = [];
      for (const w of this.waiters) {
        if (w.seq <= this.durable) w.resolve();
        else still.push(w);
      }
      this.waiters = still;
    }
    if (this.exceeded && this.backlog <= this.maxBacklog / 2) {
      this.exceeded = false;
      this.options.onBacklog?.(null);
    }
  }
}

/** Tells `observer` of a write of `batches`; returns what to call once it has landed. */
function observe(observer: WriteObserver, batches: readonly EncodedBatch[]): (() => void) | void {
  let records = 0;
  let bytes = 0;
  for (const b of batches) {
    records += b.lastSeq - b.firstSeq + 1;
    bytes += b.bytes.byteLength;
  }
  return observer(records, bytes);
}
