/**
 * The LMDB environment of a journal: its three databases (batches by first seq, the topic index,
 * the meta record holding the journal's identity and epoch) and how its errors are named.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { checksum } from '../checksum.js';
import { JournalDamaged, JournalUnusable } from '../errors.js';

export interface JournalDbs {
  readonly root: RootDatabase;
  readonly batches: Database<Buffer, number>;
  /** `[topic, firstSeq] -> lastSeq` for every topic present in a batch. */
  readonly index: Database<number, [string, number]>;
  readonly meta: Database<StoredMeta, string>;
}

/** Who the journal is: `nonce` seals its batches; `epoch` advances with every repair. */
export interface JournalIdentity {
  readonly nonce: number;
  readonly createdMs: number;
  readonly epoch: number;
}

/** The meta record as stored (`format` 1 and no `check`: written by an earlier build). */
interface StoredMeta {
  readonly nonce: number;
  readonly createdMs: number;
  readonly format: number;
  readonly epoch?: number;
  readonly check?: number;
}

const META_KEY = 'journal';
const FORMAT = 3;

/** Opens the environment at `path` (an existing directory); throws JournalUnusable naming the OS error. */
export function openJournalDbs(path: string, readOnly: boolean): JournalDbs {
  if (!readOnly) ensureLockFile(path, 'the LMDB journal');
  let root: RootDatabase;
  try {
    root = open({
      path,
      compression: false,
      maxDbs: 8,
      noMemInit: true,
      // Commit and fsync before an append resolves. With overlapping sync, lmdb leaves the flush
      // of a failed commit pending forever, so `flushed` and `close` never settle after a write
      // error (a full disk).
      overlappingSync: false,
      // Start committing as soon as writes are queued, not at the end of the event turn: the
      // backtest loop yields rarely, and the write thread should work beside it. (The event-turn
      // batch would also hold a commit promise of its own that a failed commit rejects unhandled.)
      eventTurnBatching: false,
      readOnly,
    });
  } catch (err) {
    throw new JournalUnusable(
      'JOURNAL_OPEN_FAILED',
      `cannot open the LMDB journal at ${path}: ${describeOsError(err)}`,
      { cause: err },
    );
  }
  try {
    return {
      root,
      batches: root.openDB<Buffer, number>({ name: 'batches', encoding: 'binary' }),
      index: root.openDB<number, [string, number]>({
        name: 'topic-index',
        encoding: 'ordered-binary',
      }),
      meta: root.openDB<StoredMeta, string>({ name: 'meta', encoding: 'msgpack' }),
    };
  } catch (err) {
    void root.close();
    throw new JournalUnusable(
      'JOURNAL_OPEN_FAILED',
      `cannot open the databases of the LMDB journal at ${path}: ${describeOsError(err)}`,
      { cause: err },
    );
  }
}

/** Bytes written ahead for a new lock file: more than LMDB's table for its 126 default readers. */
const LOCK_BYTES = 16 * 1024;

/**
 * Creates the lock file of a new LMDB environment in `dir` with real writes. LMDB would size it
 * with ftruncate and fill it through a memory map; on a full disk that write faults with SIGBUS
 * and ends the process. Written ahead, a full disk is an ENOSPC here. An existing lock file is
 * left alone: another process may be using it.
 */
export function ensureLockFile(dir: string, what: string): void {
  const file = join(dir, 'lock.mdb');
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new JournalUnusable(
      'JOURNAL_OPEN_FAILED',
      `cannot create the lock file of ${what} at ${dir}: ${describeOsError(err)}`,
      { cause: err },
    );
  }
  try {
    const zeros = Buffer.alloc(LOCK_BYTES);
    // A nearly full disk takes part of a write: go on until it refuses the rest.
    for (let at = 0; at < zeros.byteLength;) at += writeSync(fd, zeros, at);
  } catch (err) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw new JournalUnusable(
      'JOURNAL_OPEN_FAILED',
      `cannot create the lock file of ${what} at ${dir}: ${describeOsError(err)}; free some space there`,
      { cause: err },
    );
  }
  closeSync(fd);
}

/** The journal's identity, or undefined for a journal that has none yet. */
export function readIdentity(dbs: JournalDbs, location: string): JournalIdentity | undefined {
  let m: StoredMeta | undefined;
  try {
    m = dbs.meta.get(META_KEY);
  } catch (err) {
    throw new JournalDamaged(location, 1, `its meta record does not decode (${String(err)})`);
  }
  if (m === undefined) return undefined;
  const epoch = m.epoch ?? 0;
  const shaped =
    typeof m === 'object' &&
    Number.isSafeInteger(m.nonce) &&
    Number.isSafeInteger(m.createdMs) &&
    Number.isSafeInteger(epoch);
  // An earlier build wrote format 1 without a check; its batches are refused on their own.
  const legacy = m.format === 1 && m.check === undefined;
  if (!shaped || (!legacy && m.check !== metaCheck(m.nonce, m.createdMs, epoch)))
    throw new JournalDamaged(location, 1, 'its meta record (the journal identity) is damaged');
  return { nonce: m.nonce, createdMs: m.createdMs, epoch };
}

/** Writes the meta record of `id`, with its check (in the current transaction, if there is one). */
export function writeIdentity(dbs: JournalDbs, id: JournalIdentity): Promise<boolean> {
  return dbs.meta.put(META_KEY, identityValue(id));
}

/** Writes the meta record of `id` inside a `transactionSync`. */
export function writeIdentitySync(dbs: JournalDbs, id: JournalIdentity): void {
  dbs.meta.putSync(META_KEY, identityValue(id));
}

function identityValue(id: JournalIdentity): StoredMeta {
  return {
    nonce: id.nonce,
    createdMs: id.createdMs,
    format: FORMAT,
    epoch: id.epoch,
    check: metaCheck(id.nonce, id.createdMs, id.epoch),
  };
}

function metaCheck(nonce: number, createdMs: number, epoch: number): number {
  return checksum(Buffer.from(`${nonce}/${createdMs}/${FORMAT}/${epoch}`));
}

/** LMDB's own error codes (negative), by name. */
const LMDB_CODES: Record<number, string> = {
  [-30799]: 'MDB_KEYEXIST',
  [-30798]: 'MDB_NOTFOUND',
  [-30797]: 'MDB_PAGE_NOTFOUND',
  [-30796]: 'MDB_CORRUPTED',
  [-30795]: 'MDB_PANIC',
  [-30794]: 'MDB_VERSION_MISMATCH',
  [-30793]: 'MDB_INVALID',
  [-30792]: 'MDB_MAP_FULL',
  [-30787]: 'MDB_BAD_TXN',
};

/** The OS (or LMDB) error code of `err`, by name: `ENOSPC`, `EIO`, `MDB_MAP_FULL`, or `UNKNOWN`. */
export function osErrorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  if (typeof code === 'number') {
    if (LMDB_CODES[code]) return LMDB_CODES[code];
    for (const [name, n] of Object.entries(constants.errno)) if (n === code) return name;
    return `error ${code}`;
  }
  return 'UNKNOWN';
}

/** `CODE (message)` for an error from the OS or LMDB. */
export function describeOsError(err: unknown): string {
  return `${osErrorCode(err)} (${messageOf(err)})`;
}

/**
 * lmdb rejects a failed commit with a generic error whose `commitError` promise carries the OS
 * error; nothing may leave that promise unhandled. It is usually settled by the time the
 * commit's own rejection is handled; it is given a second at most.
 */
export async function commitErrorOf(err: unknown): Promise<unknown> {
  const inner = (err as { commitError?: unknown } | null)?.commitError;
  if (!(inner instanceof Promise)) return err;
  const settled = inner.then(
    () => err,
    (e: unknown) => e,
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<unknown>((resolve) => {
    timer = setTimeout(() => resolve(err), 1000);
    timer.unref();
  });
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

export const messageOf = (err: unknown): string =>
  err instanceof Error ? err.message : String(err);
