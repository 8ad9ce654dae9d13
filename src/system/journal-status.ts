/**
 * The journal's status for the API: how far it is written (last seq, durable seq, backlog), when
 * a write last landed, the newest snapshot, and what keeps it from taking records, if anything.
 */
import type { TradingSystem } from './trading-system.js';

export type JournalKind = 'lmdb' | 'kafka';

export interface JournalStatus {
  readonly transport: JournalKind;
  /** The highest seq handed to the journal. */
  readonly lastSeq: number;
  /** The highest seq known durable. */
  readonly durableSeq: number;
  /** Records handed over but not yet durable. */
  readonly backlog: number;
  /** When a write last landed, ISO-8601 UTC; null before this process's first. */
  readonly lastFlushAt: string | null;
  /** Seq and time of the newest snapshot this process saved; null before its first. */
  readonly snapshotSeq: number | null;
  readonly snapshotAt: string | null;
  /** What keeps the journal from taking records now (unwritable, backlog); null when healthy. */
  readonly problem: string | null;
}

/**
 * Watches `system`'s journal and returns its status on each call. `snapshot` gives the newest
 * saved snapshot (Snapshotter.lastSaved); `now` is the wall clock, epoch ms, that dates writes.
 */
export function journalStatus(
  system: TradingSystem,
  kind: JournalKind,
  snapshot: () => { seq: number; atMs: number } | null,
  now: () => number,
): () => JournalStatus {
  const { bridge, switchboard } = system;
  let lastFlushMs: number | null = null;
  let watching = false;
  // One wait at a time, for everything handed over so far: the time a write lands is noted
  // without a timer and without a promise per record.
  const watch = () => {
    if (watching || bridge.backlog === 0) return;
    watching = true;
    void bridge.whenDurable(bridge.lastSeq).then(() => {
      watching = false;
      lastFlushMs = now();
      watch();
    });
  };
  switchboard.tap(watch);
  switchboard.tapTicks(watch);
  return () => {
    const snap = snapshot();
    return {
      transport: kind,
      lastSeq: bridge.lastSeq,
      durableSeq: bridge.durableSeq,
      backlog: bridge.backlog,
      lastFlushAt: lastFlushMs === null ? null : new Date(lastFlushMs).toISOString(),
      snapshotSeq: snap?.seq ?? null,
      snapshotAt: snap === null ? null : new Date(snap.atMs).toISOString(),
      problem: system.journalProblem(),
    };
  };
}
