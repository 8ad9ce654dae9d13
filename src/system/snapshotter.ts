/**
 * Takes the daemon's snapshots: every SNAPSHOT__EVERY_RECORDS records or SNAPSHOT__EVERY_SECONDS
 * seconds, whichever comes first, and once more at a graceful stop. A snapshot is encoded between
 * inputs (when nothing is half-delivered) and saved only once the journal is durable through its
 * seq, so a crash can never leave a snapshot ahead of the journal it belongs to.
 */
import type { Logger } from 'pino';
import { MACHINE_VERSIONS } from './versions.js';
import { type TradingSystem } from './trading-system.js';
import type { Clock } from '../runtime/index.js';
import { hrtimeNs, SNAPSHOT_FORMAT, type Snapshot, type SnapshotStore } from '../runtime/index.js';

export interface SnapshotterOptions {
  readonly store: SnapshotStore;
  readonly system: TradingSystem;
  readonly journal: string;
  readonly runStartSeq: number;
  /** The run's clock: a snapshot records its time. */
  readonly clock: Clock;
  /** Wall-clock ms, for the interval and `takenAt`. */
  readonly wallNow: () => number;
  readonly everyRecords: number;
  readonly everySeconds: number;
  readonly log: Logger;
  /** Seq of the newest stored snapshot (the one recovery started from); 0 for none. */
  readonly lastSnapshotSeq: number;
}

export class Snapshotter {
  private lastSeq: number;
  private lastAt: number;
  private busy: Promise<void> | null = null;
  /** Snapshots saved by this process. */
  saved = 0;
  private lastSavedAt: { seq: number; atMs: number } | null = null;

  constructor(private readonly o: SnapshotterOptions) {
    this.lastSeq = o.lastSnapshotSeq;
    this.lastAt = o.wallNow();
  }

  /** The newest snapshot this process saved: its seq and wall-clock time (ms); null before the first. */
  get lastSaved(): { seq: number; atMs: number } | null {
    return this.lastSavedAt;
  }

  /** Whether a snapshot is due; takes it in the background when it is. Call between inputs. */
  poll(): void {
    if (this.busy !== null) return;
    const seq = this.o.system.switchboard.lastSeq;
    if (seq === this.lastSeq) return;
    const { everyRecords, everySeconds } = this.o;
    const byCount = everyRecords > 0 && seq - this.lastSeq >= everyRecords;
    const byTime = everySeconds > 0 && this.o.wallNow() - this.lastAt >= everySeconds * 1000;
    if (byCount || byTime) void this.take();
  }

  /** Takes a snapshot now (unless nothing happened since the last); resolves once it is saved. */
  async take(): Promise<void> {
    while (this.busy !== null) await this.busy;
    const seq = this.o.system.switchboard.lastSeq;
    if (seq === this.lastSeq) return;
    const t0 = hrtimeNs();
    const snap: Snapshot = {
      format: SNAPSHOT_FORMAT,
      journal: this.o.journal,
      runStartSeq: this.o.runStartSeq,
      seq,
      ts: this.o.clock.now(),
      machines: MACHINE_VERSIONS,
      takenAt: new Date(this.o.wallNow()).toISOString(),
      state: this.o.system.snapshotState(),
    };
    // Encoded now, between inputs: what is saved is the state at `seq`, whatever runs meanwhile.
    const text = JSON.stringify(snap);
    const encodeMs = Number(hrtimeNs() - t0) / 1e6;
    this.busy = (async () => {
      try {
        await this.o.system.bridge.whenDurable(seq);
        await this.o.store.save(this.o.journal, text);
        this.lastSeq = seq;
        this.saved++;
        this.lastSavedAt = { seq, atMs: this.o.wallNow() };
        this.o.log.info(
          {
            seq,
            bytes: text.length,
            encodeMs: Math.round(encodeMs * 10) / 10,
            store: this.o.store.kind,
          },
          'snapshot saved',
        );
      } catch (err) {
        this.o.log.warn(
          { seq, error: String(err) },
          'snapshot not saved; recovery replays from the previous one',
        );
      } finally {
        // A failed save is retried after a full interval, not on every poll.
        this.lastAt = this.o.wallNow();
        this.busy = null;
      }
    })();
    await this.busy;
  }
}
