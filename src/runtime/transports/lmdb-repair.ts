/**
 * `journal repair --truncate-after SEQ`: the operator's decision to keep seqs 1..SEQ of an LMDB
 * journal and set the rest aside. Nothing else ever removes journal records.
 *
 * It verifies the whole journal first (lmdb-verify.ts) and refuses unless SEQ ends a batch of
 * the intact prefix. It copies every stored batch after SEQ, as stored (damaged ones too), to a
 * side file, fsyncs it, then removes those batches and their index entries, journals a
 * JournalRepaired input at SEQ + 1 (so recovery and replay move client order ids to the new
 * epoch there) and advances the journal's epoch, in one transaction.
 *
 * Side file: one JSON line (the journal, its identity, what was removed and why), then for each
 * batch in key order `f64 key | u32 length | its stored bytes`, little-endian.
 */
import { closeSync, existsSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SYSTEM_EVENTS, type JournalRepaired } from '../../model/index.js';
import { batchProblem, batchSpan, nonceBytes } from '../batch-header.js';
import { SystemClock } from '../clock.js';
import { BatchWriter } from '../codec.js';
import { JournalError, JournalUnusable } from '../errors.js';
import {
  describeOsError,
  openJournalDbs,
  readIdentity,
  writeIdentitySync,
  type JournalDbs,
  type JournalIdentity,
} from './lmdb-env.js';
import { forgetClosedCleanly, refuseOtherWriter, releaseWriter, takeWriter } from './lmdb-marks.js';
import { verifyJournal, type JournalVerdict } from './lmdb-verify.js';

export interface RepairResult {
  readonly journal: string;
  readonly keptThrough: number;
  /** The journal's epoch now (advanced only when something was removed). */
  readonly epoch: number;
  /** Where the removed batches are; null when there was nothing after SEQ. */
  readonly sideFile: string | null;
  readonly moved: {
    readonly batches: number;
    readonly damagedBatches: number;
    readonly bytes: number;
    readonly fromSeq: number;
    /** The highest seq the removed batches are known to hold. */
    readonly toSeq: number;
  };
}

/** A stored batch after SEQ: its key, its length, what is wrong with it, the records it holds. */
interface Removed {
  readonly key: number;
  readonly length: number;
  readonly problem: string | null;
  readonly count: number | null;
}

const refuse = (message: string) =>
  new JournalUnusable('JOURNAL_REPAIR_REFUSED', `journal repair: ${message}`);

/** Keeps seqs 1..`after` of the journal in `dir`; the side file goes to `sideDir`. */
export async function repairJournal(
  dir: string,
  sideDir: string,
  after: number,
): Promise<RepairResult> {
  refuseOtherWriter(dir, 'journal repair');
  takeWriter(dir);
  try {
    const verdict = await verifyJournal(dir);
    if (verdict.fileDamaged)
      throw refuse(
        `the LMDB data file of ${dir} is itself damaged (${verdict.bad.at(-1)!.problem}), so no batch can be removed from it safely. ` +
          `Move ${dir} aside (for example \`mv ${dir} ${dir}-damaged\`) to start a new journal`,
      );
    checkBoundary(verdict, after);
    const dbs = openJournalDbs(dir, false);
    try {
      return removeAfter(dbs, dir, sideDir, after);
    } finally {
      await dbs.root.close();
    }
  } finally {
    releaseWriter(dir);
  }
}

function removeAfter(dbs: JournalDbs, dir: string, sideDir: string, after: number): RepairResult {
  const id = readIdentity(dbs, dir);
  if (id === undefined)
    throw refuse(`the journal at ${dir} has no identity yet: nothing to repair`);
  const removed = batchesAfter(dbs, id, after);
  if (removed.length === 0)
    return {
      journal: dir,
      keptThrough: after,
      epoch: id.epoch,
      sideFile: null,
      moved: none(after),
    };
  const next = { ...id, epoch: id.epoch + 1 };
  const sideFile = join(sideDir, `journal-removed-after-seq-${after}.epoch-${next.epoch}.batches`);
  if (existsSync(sideFile))
    throw refuse(`${sideFile} exists already; move it away first (it is never overwritten)`);
  const head = { journal: dir, identity: id, epochAfter: next.epoch, after };
  writeSideFile(sideFile, head, removed, dbs);
  const staleIndex = [...dbs.index.getKeys({})].filter((k) => k[1] > after);
  const moved = summary(removed, after);
  const mark = repairedRecord(id.nonce, after, {
    type: 'JournalRepaired',
    epoch: next.epoch,
    truncatedAfter: after,
    removedThrough: moved.toSeq,
    sideFile,
  });
  forgetClosedCleanly(dir);
  try {
    dbs.root.transactionSync(() => {
      for (const r of removed) dbs.batches.removeSync(r.key);
      for (const key of staleIndex) dbs.index.removeSync(key);
      // The repair itself is journaled right after what it kept.
      dbs.batches.putSync(after + 1, mark);
      dbs.index.putSync([SYSTEM_EVENTS, after + 1], after + 1);
      writeIdentitySync(dbs, next);
    });
  } catch (err) {
    rmSync(sideFile, { force: true });
    throw new JournalError(
      'JOURNAL_REPAIR_FAILED',
      `journal repair: removing the batches after seq ${after} from ${dir} failed, so nothing was changed: ${describeOsError(err)}`,
      { cause: err },
    );
  }
  return {
    journal: dir,
    keptThrough: after,
    epoch: next.epoch,
    sideFile,
    moved,
  };
}

/** The batch of one JournalRepaired input at seq `after` + 1, sealed for the journal's nonce. */
function repairedRecord(nonce: number, after: number, msg: JournalRepaired): Buffer {
  const w = new BatchWriter(nonce, 1 << 12);
  const seq = after + 1;
  w.addRecord({
    seq,
    ts: new SystemClock().now(),
    type: msg.type,
    topic: SYSTEM_EVENTS,
    source: 'operator:journal-repair',
    target: null,
    correlationSeq: seq,
    causationSeq: 0,
    broker: 'system',
    key: 'journal',
    data: msg,
  });
  return Buffer.from(w.finish());
}

/** Refuses a SEQ that is not the end of a batch of the intact prefix, naming the nearest that is. */
function checkBoundary(v: JournalVerdict, after: number): void {
  const ends = [0, ...v.intactEnds.filter((e) => e <= v.lastIntactSeq)];
  if (ends.includes(after)) return;
  const firstBad = v.bad[0];
  if (after > v.lastIntactSeq) {
    const why = firstBad
      ? `seq ${firstBad.fromSeq} is not intact (${firstBad.problem})`
      : `the journal ends at seq ${v.lastIntactSeq}`;
    throw refuse(
      `--truncate-after ${after} is past the intact part of the journal: ${why}. The highest SEQ that keeps only intact batches is ${v.lastIntactSeq}`,
    );
  }
  const below = Math.max(...ends.filter((e) => e < after));
  const above = Math.min(...ends.filter((e) => e > after));
  throw refuse(
    `--truncate-after ${after} is not a batch boundary: seqs ${below + 1}..${above} are one batch, kept or removed whole. Use ${below} (the nearest below) or ${above}`,
  );
}

function batchesAfter(dbs: JournalDbs, id: JournalIdentity, after: number): Removed[] {
  const nonce = nonceBytes(id.nonce);
  const out: Removed[] = [];
  for (const { key, value } of dbs.batches.getRange({ start: after + 1 })) {
    const problem = batchProblem(value, nonce, key);
    const count = problem === null ? batchSpan(value)!.count : null;
    out.push({ key, length: value.byteLength, problem, count });
  }
  return out;
}

function writeSideFile(
  file: string,
  head: { journal: string; identity: JournalIdentity; epochAfter: number; after: number },
  removed: readonly Removed[],
  dbs: JournalDbs,
): void {
  const header = {
    sideFileOf: 'an Alpha Panda LMDB journal (journal repair --truncate-after)',
    journal: head.journal,
    nonce: head.identity.nonce,
    createdMs: head.identity.createdMs,
    epochBefore: head.identity.epoch,
    epochAfter: head.epochAfter,
    truncatedAfterSeq: head.after,
    layout:
      'after this line, per batch in key order: f64 key | u32 length | the stored bytes (little-endian)',
    batches: removed.map((r) => ({ key: r.key, bytes: r.length, problem: r.problem })),
  };
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    throw refuse(`cannot create the side file ${file}: ${describeOsError(err)}`);
  }
  try {
    writeAll(fd, Buffer.from(`${JSON.stringify(header)}\n`));
    for (const r of removed) {
      const bytes = dbs.batches.getBinary(r.key);
      if (bytes === undefined || bytes.byteLength !== r.length)
        throw new Error(`the batch stored under seq ${r.key} changed while it was copied`);
      const frame = Buffer.alloc(12);
      frame.writeDoubleLE(r.key, 0);
      frame.writeUInt32LE(bytes.byteLength, 8);
      writeAll(fd, frame);
      writeAll(fd, bytes);
    }
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw new JournalError(
      'JOURNAL_REPAIR_FAILED',
      `journal repair: writing the side file ${file} failed, so nothing was changed: ${describeOsError(err)}`,
      { cause: err },
    );
  }
  closeSync(fd);
  syncDirectory(dirname(file));
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.byteLength;) at += writeSync(fd, bytes, at);
}

/** Makes the side file's directory entry durable too. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function summary(removed: readonly Removed[], after: number): RepairResult['moved'] {
  let toSeq = after;
  let bytes = 0;
  for (const r of removed) {
    bytes += r.length;
    toSeq = Math.max(toSeq, r.key + (r.count ?? 1) - 1);
  }
  const damagedBatches = removed.filter((r) => r.problem !== null).length;
  return { batches: removed.length, damagedBatches, bytes, fromSeq: after + 1, toSeq };
}

function none(after: number): RepairResult['moved'] {
  return { batches: 0, damagedBatches: 0, bytes: 0, fromSeq: after + 1, toSeq: after };
}
