/** Snapshots in LMDB: the embedded store, one value (the newest snapshot) per journal. */
import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';
import { parseSnapshot, type Snapshot, type SnapshotStore } from '../snapshots.js';

/** The store under `path` (a directory, created when missing). */
export class LmdbSnapshotStore implements SnapshotStore {
  readonly kind = 'lmdb';
  private root: RootDatabase | null = null;
  private db!: Database<string, string>;

  constructor(private readonly path: string) {}

  private opened(): Database<string, string> {
    if (this.root === null) {
      mkdirSync(this.path, { recursive: true });
      this.root = open({ path: this.path, maxDbs: 2 });
      this.db = this.root.openDB<string, string>({ name: 'snapshots', encoding: 'string' });
    }
    return this.db;
  }

  async save(journal: string, text: string): Promise<void> {
    await this.opened().put(journal, text);
  }

  latest(journal: string): Promise<Snapshot | null> {
    const text = this.opened().get(journal);
    return Promise.resolve(text === undefined ? null : parseSnapshot(text, this.path));
  }

  async close(): Promise<void> {
    await this.root?.close();
    this.root = null;
  }
}
