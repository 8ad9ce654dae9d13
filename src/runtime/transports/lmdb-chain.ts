/**
 * Walks a journal's stored batches in key order and checks that they form one intact chain from
 * seq 1: every batch intact (batch-header.ts) and each starting right after the one before.
 * Reports each bad range; it changes nothing.
 */
import { batchProblem, batchSpan, batchVersion } from '../batch-header.js';

/** A run of seqs that cannot be read intact. `toSeq` is null when its end is unknown. */
export interface BadRange {
  readonly fromSeq: number;
  readonly toSeq: number | null;
  readonly problem: string;
}

export interface ChainReport {
  /** The last seq of the intact prefix (0 when seq 1 is already bad). */
  lastIntact: number;
  /** The first seq (key) of the intact prefix's last batch; null when the prefix is empty. */
  lastKey: number | null;
  /** Stored batches seen, intact or not. */
  batches: number;
  /** Records in the intact batches. */
  records: number;
  badBatches: number;
  bad: BadRange[];
  /** The first batch is in the format of an earlier build (v2). */
  earlierFormat: boolean;
}

export interface WalkOptions {
  /** Keep going after the first problem (verify), or stop there (open). */
  readonly all: boolean;
  /** Called after each intact batch with its last seq and record count. */
  readonly onIntact?: (lastSeq: number, count: number) => void;
  readonly onBad?: (range: BadRange) => void;
}

interface Pending {
  readonly fromSeq: number;
  readonly problem: string;
  /** The end its header claims, when that is plausible. */
  readonly claimedEnd: number | null;
}

/** Walks `entries` (the batches database in key order) for the journal sealed with `nonce`. */
export function walkChain(
  entries: Iterable<{ key: unknown; value: Uint8Array }>,
  nonce: Uint8Array,
  options: WalkOptions,
): ChainReport {
  const report: ChainReport = {
    lastIntact: 0,
    lastKey: null,
    batches: 0,
    records: 0,
    badBatches: 0,
    bad: [],
    earlierFormat: false,
  };
  const add = (r: BadRange) => {
    report.bad.push(r);
    options.onBad?.(r);
  };
  let expect = 1;
  let prefix = true;
  let pending: Pending | null = null;
  for (const { key, value } of entries) {
    report.batches++;
    if (report.batches === 1 && batchVersion(value) === 2) report.earlierFormat = true;
    if (typeof key !== 'number' || !Number.isSafeInteger(key) || key < 1) {
      pending ??= {
        fromSeq: expect,
        problem: `a batch is stored under ${String(key)}, not a seq`,
        claimedEnd: null,
      };
      report.badBatches++;
      continue;
    }
    if (pending !== null) {
      add({
        fromSeq: pending.fromSeq,
        toSeq: Math.max(pending.fromSeq, key - 1),
        problem: pending.problem,
      });
      pending = null;
      expect = key;
    }
    if (key > expect) {
      add({
        fromSeq: expect,
        toSeq: key - 1,
        problem: `seqs ${expect}..${key - 1} are missing: no stored batch holds them`,
      });
      prefix = false;
      expect = key;
      if (!options.all) break;
    }
    let problem = batchProblem(value, nonce, key);
    if (problem === null && key < expect)
      problem = `it overlaps the batch before it, which ends at seq ${expect - 1}`;
    if (problem !== null) {
      report.badBatches++;
      prefix = false;
      pending = { fromSeq: key, problem, claimedEnd: claimedEnd(value, key) };
      if (!options.all) break;
      continue;
    }
    const count = batchSpan(value)!.count;
    report.records += count;
    expect = key + count;
    if (prefix) {
      report.lastIntact = expect - 1;
      report.lastKey = key;
    }
    options.onIntact?.(expect - 1, count);
  }
  if (pending !== null)
    add({ fromSeq: pending.fromSeq, toSeq: pending.claimedEnd, problem: pending.problem });
  return report;
}

/** The last seq a damaged batch's header claims, when it starts where it is stored and is not absurd. */
function claimedEnd(value: Uint8Array, key: number): number | null {
  const span = batchSpan(value);
  if (span === null || span.firstSeq !== key || span.count === 0 || span.count > value.byteLength)
    return null;
  return key + span.count - 1;
}
