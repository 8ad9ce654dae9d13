/**
 * Snapshots (ARCHITECTURE "Recovery, replay, backtest"): the state of every actor at a journal
 * seq, with the version of each machine, so recovery replays only the records after it. A
 * snapshot belongs to one journal (its identity) and one run (the seq of its RunStarted); a store
 * keeps the newest per journal. Stored as JSON: the embedded store in LMDB beside the journal,
 * the Kafka one on the compacted `alpha.snapshots` topic (transports/*-snapshots.ts).
 */
import { JournalError } from './errors.js';
import type { JournalMeta } from './transport.js';

export const SNAPSHOT_FORMAT = 1;

export interface Snapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  /** The journal it belongs to (`journalId`). */
  readonly journal: string;
  /** Seq of the RunStarted of the run it continues. */
  readonly runStartSeq: number;
  /** The last journal seq it reflects; the journal was durable through it when it was saved. */
  readonly seq: number;
  /** The run's clock at `seq`, epoch ms. */
  readonly ts: number;
  /** The machine versions that wrote `state`; a build with others replays instead. */
  readonly machines: Readonly<Record<string, number>>;
  /** Wall-clock time it was taken, ISO-8601 (for operators; nothing depends on it). */
  readonly takenAt: string;
  readonly state: unknown;
}

export interface SnapshotStore {
  readonly kind: string;
  /** Saves `text` (an encoded Snapshot of `journal`) as that journal's newest. */
  save(journal: string, text: string): Promise<void>;
  /** The newest snapshot saved for `journal`, or null. */
  latest(journal: string): Promise<Snapshot | null>;
  close(): Promise<void>;
}

/** A journal's identity, the same for every process that opens it. */
export function journalId(meta: Pick<JournalMeta, 'nonce' | 'createdMs'>): string {
  return `${meta.nonce}-${meta.createdMs}`;
}

/** Parses a stored snapshot, or says what is wrong with it. */
export function parseSnapshot(text: string, where: string): Snapshot {
  let v: Partial<Snapshot>;
  try {
    v = JSON.parse(text) as Partial<Snapshot>;
  } catch (err) {
    throw new JournalError(
      'SNAPSHOT_INVALID',
      `the snapshot in ${where} is not JSON: ${String(err)}`,
    );
  }
  if (
    v.format !== SNAPSHOT_FORMAT ||
    typeof v.journal !== 'string' ||
    !Number.isSafeInteger(v.runStartSeq) ||
    !Number.isSafeInteger(v.seq) ||
    typeof v.ts !== 'number' ||
    typeof v.machines !== 'object' ||
    v.state === undefined
  )
    throw new JournalError(
      'SNAPSHOT_INVALID',
      `the snapshot in ${where} is not a format-${SNAPSHOT_FORMAT} snapshot (format ${String(v.format)})`,
    );
  return v as Snapshot;
}
