/** Snapshots in LMDB: the embedded store, one value (the newest snapshot) per journal. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { JournalError } from '../errors.js';
import { parseSnapshot, type Snapshot, type SnapshotStore } from '../snapshots.js';
import { commitErrorOf, describeOsError, ensureLockFile } from './lmdb-env.js';

/** The store under `path` (a directory, created when missing). */
export class LmdbSnapshotStore implements SnapshotStore {
  readonly kind = 'lmdb';
  private root: RootDatabase | null = null;
  private db!: Database<string, string>;

  constructor(private readonly path: string) {}

  private opened(): Database<string, string> {
    if (this.root === null) {
      mkdirSync(this.path, { recursive: true });
      ensureLockFile(this.path, 'the LMDB snapshot store');
      // As the journal's: without overlapping sync, whose flush of a failed commit never settles
      // (close would hang), and without event-turn batching, whose commit promise nobody holds
      // (a failed commit would reject it unhandled).
      this.root = open({
        path: this.path,
        maxDbs: 2,
        overlappingSync: false,
        eventTurnBatching: false,
      });
      this.db = this.root.openDB<string, string>({ name: 'snapshots', encoding: 'string' });
    }
    return this.db;
  }

  /** Rejects with a retriable JournalError naming the directory and the OS error (a full disk). */
  async save(journal: string, text: string): Promise<void> {
    try {
      await this.opened().put(journal, text);
    } catch (err) {
      const cause = await commitErrorOf(err);
      const why = cause instanceof JournalError ? cause.message : describeOsError(cause);
      throw new JournalError(
        'SNAPSHOT_WRITE_FAILED',
        `cannot save a snapshot in ${this.path}: ${why}`,
        {
          cause,
          retriable: true,
        },
      );
    }
  }

  latest(journal: string): Promise<Snapshot | null> {
    // A store never written to has no snapshot; not creating it here lets the daemon start
    // (and recover from its journal) on a full disk, where creating it would fail.
    if (this.root === null && !existsSync(join(this.path, 'data.mdb')))
      return Promise.resolve(null);
    const text = this.opened().get(journal);
    return Promise.resolve(text === undefined ? null : parseSnapshot(text, this.path));
  }

  async close(): Promise<void> {
    await this.root?.close();
    this.root = null;
  }
}
