/**
 * LmdbTransport: the embedded journal. One LMDB value per flushed batch, keyed by its first seq,
 * plus a topic index `[topic, firstSeq] -> lastSeq`. A batch and its index entries are written in
 * one transaction, so the stored journal is always a gap-free prefix.
 *
 * Opening checks the whole journal and never changes it on doubt: a damaged data file, a batch
 * that fails its checksum, or a missing seq range stops the opener with `JournalDamaged`.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IF_EXISTS } from 'lmdb';
import type { JournalRecord } from '../../model/index.js';
import { batchSpan, headerProblem, nonceBytes } from '../batch-header.js';
import { decodeBatch } from '../codec.js';
import { JournalDamaged, JournalError, JournalUnusable } from '../errors.js';
import { freeBytes } from '../free-space.js';
import type { EncodedBatch, JournalMeta, LogTransport } from '../transport.js';
import { walkChain, type ChainReport } from './lmdb-chain.js';
import { checkInChild } from './lmdb-check.js';
import {
  commitErrorOf,
  describeOsError,
  messageOf,
  openJournalDbs,
  osErrorCode,
  readIdentity,
  writeIdentity,
  type JournalDbs,
  type JournalIdentity,
} from './lmdb-env.js';
import { lmdbFileProblem } from './lmdb-file.js';
import {
  closedCleanly,
  forgetClosedCleanly,
  markClosedCleanly,
  refuseOtherWriter,
  releaseWriter,
  takeWriter,
} from './lmdb-marks.js';

export interface LmdbTransportOptions {
  /**
   * Only read: no directory or meta is created, `append` is refused, and it may be opened while
   * the journal's daemon is writing it.
   */
  readonly readOnly?: boolean;
}

export class LmdbTransport implements LogTransport {
  readonly kind = 'lmdb';
  /**
   * LMDB has one writer and commits queued transactions in order. Each append is written only if
   * the batch before it is stored, so a failed write is never followed by a later one that lands.
   */
  readonly maxInFlight = 4096;
  private dbs: JournalDbs | undefined;
  private nonce: Uint8Array = new Uint8Array(8);
  private last = 0;
  /** Highest seq handed to LMDB (durable or about to be). */
  private written = 0;
  /** The key (first seq) of the batch that ends at `written`; null before the first. */
  private writtenKey: number | null = null;
  private bytes = 0;
  /** A write failed and none has succeeded since. */
  private failing = false;
  /** Settles with the last append's error (the OS error under it), or null when it landed. */
  private previous: Promise<unknown> = Promise.resolve(null);
  private readonly readOnly: boolean;

  /** `path` is a directory; a writer creates it when missing. */
  constructor(
    private readonly path: string,
    options: LmdbTransportOptions = {},
  ) {
    this.readOnly = options.readOnly ?? false;
  }

  async open(init: { nonce: number; createdMs: number }): Promise<JournalMeta> {
    const file = join(this.path, 'data.mdb');
    if (this.readOnly && !existsSync(file))
      throw new JournalUnusable(
        'JOURNAL_MISSING',
        `there is no journal at ${this.path} (no data.mdb there); give the data directory of the daemon that wrote it`,
      );
    if (!this.readOnly) this.prepareDirectory();
    try {
      return await this.openChecked(file, init);
    } catch (err) {
      await this.close().catch(() => undefined);
      if (!this.readOnly) releaseWriter(this.path);
      throw err;
    }
  }

  private async openChecked(
    file: string,
    init: { nonce: number; createdMs: number },
  ): Promise<JournalMeta> {
    let checked: ChainReport | null = null;
    if (existsSync(file) && statSync(file).size > 0) {
      const problem = lmdbFileProblem(file);
      if (problem !== null)
        throw this.damaged(1, `its LMDB data file ${file} is damaged: ${problem}`);
      // A data file not exactly as its writer closed it is read in a child first: LMDB trusts
      // its pages, and a damaged one could end this process with a signal.
      if (!closedCleanly(this.path))
        checked = this.refuseIfBad(await checkInChild(this.path, false));
    }
    if (!this.readOnly) forgetClosedCleanly(this.path);
    const dbs = openJournalDbs(this.path, this.readOnly);
    this.dbs = dbs;
    const id = await this.identity(dbs, init);
    this.nonce = nonceBytes(id.nonce);
    checked ??= this.walkHere(dbs);
    this.last = checked.lastIntact;
    this.written = this.last;
    this.writtenKey = checked.lastKey;
    return { nonce: id.nonce, createdMs: id.createdMs, lastSeq: this.last, epoch: id.epoch };
  }

  private prepareDirectory(): void {
    try {
      mkdirSync(this.path, { recursive: true });
      if (!statSync(this.path).isDirectory())
        throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    } catch (err) {
      throw new JournalUnusable(
        'JOURNAL_OPEN_FAILED',
        `cannot use ${this.path} as the journal directory: ${describeOsError(err)}; DATA_DIR/journal must be a directory this process can write`,
        { cause: err },
      );
    }
    refuseOtherWriter(this.path, 'cannot open the journal for writing');
    takeWriter(this.path);
  }

  private async identity(
    dbs: JournalDbs,
    init: { nonce: number; createdMs: number },
  ): Promise<JournalIdentity> {
    const id = readIdentity(dbs, this.path);
    if (id !== undefined) return id;
    for (const { key } of dbs.batches.getRange({ limit: 1 }))
      throw this.damaged(Number(key), 'its meta record (the journal identity) is missing');
    const fresh = { nonce: init.nonce, createdMs: init.createdMs, epoch: 0 };
    if (this.readOnly) return fresh;
    try {
      await writeIdentity(dbs, fresh);
    } catch (err) {
      const cause = await commitErrorOf(err);
      throw new JournalUnusable(
        'JOURNAL_OPEN_FAILED',
        `cannot create the journal at ${this.path}: ${describeOsError(cause)}${await this.freeNote()}`,
        { cause },
      );
    }
    return fresh;
  }

  /** Walks the chain in this process (the data file is as its writer closed it). */
  private walkHere(dbs: JournalDbs): ChainReport {
    let reached = 0;
    try {
      const onIntact = (seq: number) => (reached = seq);
      return this.refuseIfBad(
        walkChain(dbs.batches.getRange({}), this.nonce, { all: false, onIntact }),
      );
    } catch (err) {
      throw this.lmdbFailed(err, reached);
    }
  }

  /** An error from LMDB while reading: its data file is damaged after `reached`. */
  private lmdbFailed(err: unknown, reached: number): unknown {
    if (err instanceof JournalError) return err;
    return this.damaged(
      reached + 1,
      `the LMDB data file is damaged: reading it failed after seq ${reached} with ${messageOf(err)}`,
    );
  }

  /** Throws for the first problem of `report`; returns it when there is none. */
  private refuseIfBad<R extends ChainReport>(report: R): R {
    if (report.earlierFormat)
      throw new JournalUnusable(
        'JOURNAL_FORMAT_EARLIER',
        `the journal at ${this.path} was written by an earlier build (batch format v2); this build reads format v3 only and does not convert it. ` +
          `Move that directory aside (for example \`mv ${this.path} ${this.path}-v2\`) to start a new journal, and read the old one with the build that wrote it`,
      );
    const first = report.bad[0];
    if (first !== undefined) throw this.damaged(first.fromSeq, first.problem);
    return report;
  }

  private damaged(seq: number, problem: string): JournalDamaged {
    const dataDir = basename(this.path) === 'journal' ? ` --data-dir ${dirname(this.path)}` : '';
    return new JournalDamaged(this.path, seq, problem, { dataDirOption: dataDir });
  }

  append(batches: readonly EncodedBatch[]): Promise<void> {
    const dbs = this.dbs;
    if (this.readOnly || dbs === undefined)
      return Promise.reject(
        new JournalError(
          'JOURNAL_READ_ONLY',
          `the journal at ${this.path} is ${dbs === undefined ? 'not open' : 'open read-only'}; only its daemon appends to it`,
        ),
      );
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
      const problem =
        headerProblem(b.bytes, this.nonce, b.firstSeq) ??
        (batchSpan(b.bytes)!.count === b.lastSeq - b.firstSeq + 1
          ? null
          : 'its count differs from its seq range');
      if (problem !== null)
        return Promise.reject(
          new JournalError(
            'JOURNAL_BATCH_INVALID',
            `refusing to store batch ${b.firstSeq}..${b.lastSeq} in the journal at ${this.path}: ${problem}`,
          ),
        );
      expect = b.lastSeq + 1;
    }
    const first = batches[0]?.firstSeq ?? expect;
    const last = expect - 1;
    const after = this.writtenKey;
    if (batches.length === 0) return Promise.resolve();
    this.written = last;
    this.writtenKey = batches.at(-1)!.firstSeq;
    const put = () => {
      for (const b of batches) {
        this.bytes += b.bytes.byteLength;
        void dbs.batches.put(
          b.firstSeq,
          Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength),
        );
        for (const t of b.topics) void dbs.index.put([t, b.firstSeq], b.lastSeq);
      }
    };
    let written: Promise<boolean>;
    try {
      // The writes are queued now, synchronously, and committed together in one transaction;
      // after the first batch, only if the batch before them is stored (checked by LMDB's writer).
      written = after === null ? dbs.root.batch(put) : dbs.batches.ifVersion(after, IF_EXISTS, put);
    } catch (err) {
      written = Promise.reject(err);
    }
    const previous = this.previous;
    const outcome = written.then(
      (stored) => {
        if (stored === false) return this.writeFailed(previous, first, last, after);
        this.failing = false;
        if (last > this.last) this.last = last;
      },
      (err: unknown) => this.writeFailed(commitErrorOf(err), first, last, after),
    );
    this.previous = outcome.then(
      () => null,
      (err: unknown) => (err as { cause?: unknown }).cause ?? err,
    );
    return outcome;
  }

  /**
   * Turns any write failure into a retriable JournalError naming the directory and the OS code.
   * `cause` is this write's error; or, when LMDB skipped the write because the batch before it
   * is not stored, the error of the write before it, which failed.
   */
  private async writeFailed(
    cause: Promise<unknown>,
    first: number,
    last: number,
    after: number | null,
  ): Promise<never> {
    this.failing = true;
    // The bridge retries from this batch on: accept it (and what follows it) again.
    if (first - 1 < this.written) {
      this.written = first - 1;
      this.writtenKey = after;
    }
    const err = await cause;
    throw new JournalError(
      'JOURNAL_WRITE_FAILED',
      `cannot write seqs ${first}..${last} to the journal at ${this.path}: ${osErrorCode(err)} (${messageOf(err)}${await this.freeNote()}); the write is retried`,
      { cause: err, retriable: true },
    );
  }

  private async freeNote(): Promise<string> {
    const free = await freeBytes(this.path).catch(() => null);
    return free === null ? '' : `; ${free} bytes free there`;
  }

  async *read(
    fromSeq: number,
    options: { untilSeq?: number; topics?: readonly string[] } = {},
  ): AsyncIterable<JournalRecord> {
    for await (const batch of this.readBatches(fromSeq, options)) yield* batch;
  }

  /** As `read`, a stored batch at a time (replay's and recovery's path: one await per batch). */
  async *readBatches(
    fromSeq: number,
    options: { untilSeq?: number; topics?: readonly string[] } = {},
  ): AsyncIterable<JournalRecord[]> {
    const dbs = this.dbs;
    if (dbs === undefined)
      throw new JournalError('JOURNAL_READ_FAILED', `the journal at ${this.path} is not open`);
    // A reader beside a live writer sees what is committed when each read starts.
    if (this.readOnly) dbs.root.resetReadTxn();
    const until = options.untilSeq ?? Number.MAX_SAFE_INTEGER;
    const wanted = options.topics ? new Set(options.topics) : null;
    const starts = wanted ? this.batchStartsFor(dbs, wanted, fromSeq, until) : null;
    let start = fromSeq;
    for (const { key } of dbs.batches.getRange({ start: fromSeq, reverse: true, limit: 1 }))
      start = key;
    let expect: number | null = null;
    let reached = start - 1;
    try {
      for (const { key, value } of dbs.batches.getRange({ start })) {
        if (key > until) break;
        if (expect !== null && key !== expect)
          throw this.damaged(
            Math.min(key, expect),
            key > expect
              ? `seqs ${expect}..${key - 1} are missing: no stored batch holds them`
              : `the batch stored under seq ${key} overlaps the batch before it, which ends at seq ${expect - 1}`,
          );
        expect = key + (batchSpan(value)?.count ?? 0);
        if (starts && !starts.has(key)) continue;
        let records: JournalRecord[];
        try {
          records = decodeBatch(value, this.nonce);
        } catch (err) {
          throw this.damaged(
            key,
            (err as Error).message.replace(/^journal batch is not intact: /, ''),
          );
        }
        reached = expect - 1;
        if (records.length === 0) continue;
        const whole = records[0]!.seq >= fromSeq && records.at(-1)!.seq <= until && !wanted;
        const out = whole
          ? records
          : records.filter(
              (r) => r.seq >= fromSeq && r.seq <= until && (!wanted || wanted.has(r.topic)),
            );
        if (out.length > 0) yield out;
        if (records.at(-1)!.seq >= until) return;
      }
    } catch (err) {
      throw this.lmdbFailed(err, reached);
    }
  }

  private batchStartsFor(dbs: JournalDbs, topics: Set<string>, from: number, until: number) {
    const out = new Set<number>();
    for (const t of topics) {
      for (const { key, value } of dbs.index.getRange({ start: [t, 0], end: [t, until + 1] })) {
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
    const dbs = this.dbs;
    if (dbs === undefined) return;
    this.dbs = undefined;
    try {
      await Promise.resolve(dbs.root.flushed).catch(() => undefined);
      await dbs.root.close();
      if (!this.readOnly && !this.failing) markClosedCleanly(this.path);
    } finally {
      if (!this.readOnly) releaseWriter(this.path);
    }
  }
}
