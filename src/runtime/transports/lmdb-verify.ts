/**
 * Verifies a whole LMDB journal without changing it: its data file's meta pages in plain JS,
 * then every batch in a child process (lmdb-check.ts). Lists every bad range.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { JournalUnusable } from '../errors.js';
import type { BadRange } from './lmdb-chain.js';
import { checkInChild } from './lmdb-check.js';
import type { JournalIdentity } from './lmdb-env.js';
import { lmdbFileProblem } from './lmdb-file.js';

export interface JournalVerdict {
  readonly journal: string;
  readonly intact: boolean;
  /** The last seq of the intact prefix: what opening it would keep. */
  readonly lastIntactSeq: number;
  /** Stored batches and the records of the intact ones. */
  readonly batches: number;
  readonly records: number;
  readonly badBatches: number;
  readonly bad: readonly BadRange[];
  readonly identity: JournalIdentity | null;
  /** The last seq of every intact batch, in order. */
  readonly intactEnds: readonly number[];
  /** The LMDB file itself is damaged (its meta pages, or pages that stopped the reader). */
  readonly fileDamaged: boolean;
}

/** Reads everything in the journal directory `dir`; throws JournalUnusable when there is none. */
export async function verifyJournal(dir: string): Promise<JournalVerdict> {
  const file = join(dir, 'data.mdb');
  if (!existsSync(file) || !statSync(file).isFile())
    throw new JournalUnusable(
      'JOURNAL_MISSING',
      `there is no journal at ${dir} (no data.mdb there); give the data directory of the daemon that wrote it`,
    );
  const problem = lmdbFileProblem(file);
  if (problem !== null)
    return {
      journal: dir,
      intact: false,
      lastIntactSeq: 0,
      batches: 0,
      records: 0,
      badBatches: 0,
      bad: [{ fromSeq: 1, toSeq: null, problem: `its LMDB data file is damaged: ${problem}` }],
      identity: null,
      intactEnds: [],
      fileDamaged: true,
    };
  const c = await checkInChild(dir, true);
  const bad = mergeRanges(c.bad);
  return {
    journal: dir,
    intact: bad.length === 0,
    lastIntactSeq: c.lastIntact,
    batches: c.batches,
    records: c.records,
    badBatches: c.badBatches,
    bad,
    identity: c.identity,
    intactEnds: c.intactEnds,
    fileDamaged: c.stoppedBy !== null,
  };
}

/** Joins adjacent ranges with the same problem (a run of batches of an earlier build, say). */
function mergeRanges(ranges: readonly BadRange[]): BadRange[] {
  const out: BadRange[] = [];
  for (const r of ranges) {
    const prev = out.at(-1);
    if (prev && prev.problem === r.problem && prev.toSeq !== null && prev.toSeq + 1 === r.fromSeq)
      out[out.length - 1] = { ...prev, toSeq: r.toSeq };
    else out.push(r);
  }
  return out;
}
