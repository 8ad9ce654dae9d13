/**
 * Two small files an LMDB journal's writer keeps beside data.mdb: `writer.pid` (which process
 * writes it, so a second writer or a repair is refused while it runs) and `closed-cleanly.json`
 * (data.mdb's size and change time when its writer last closed it). A journal whose data file
 * is exactly as its writer left it is walked in-process on open; any other (a crash, a copy, a
 * change by anything else) is first read in a child process, which LMDB's trust in its pages
 * cannot take down with it.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JournalUnusable } from '../errors.js';

const CLEAN = 'closed-cleanly.json';
const WRITER = 'writer.pid';

interface CleanMark {
  readonly size: string;
  readonly mtimeNs: string;
  readonly ino: string;
}

function fileMark(dir: string): CleanMark {
  const s = statSync(join(dir, 'data.mdb'), { bigint: true });
  return { size: String(s.size), mtimeNs: String(s.mtimeNs), ino: String(s.ino) };
}

/**
 * Records that data.mdb in `dir` is, as of now, exactly as its writer closed it. Best effort:
 * without the mark the next open reads the journal in a child process first, which is safe.
 */
export function markClosedCleanly(dir: string): void {
  try {
    writeFileSync(join(dir, CLEAN), JSON.stringify(fileMark(dir)));
  } catch {
    forget(join(dir, CLEAN));
  }
}

/** True when data.mdb is unchanged since its writer last closed it cleanly. */
export function closedCleanly(dir: string): boolean {
  try {
    const mark = JSON.parse(readFileSync(join(dir, CLEAN), 'utf8')) as CleanMark;
    const now = fileMark(dir);
    return mark.size === now.size && mark.mtimeNs === now.mtimeNs && mark.ino === now.ino;
  } catch {
    return false;
  }
}

/** Forgets the clean close (before the first write of a writer). */
export function forgetClosedCleanly(dir: string): void {
  forget(join(dir, CLEAN));
}

/** The id of another live process that writes the journal in `dir`, or null. */
export function otherWriter(dir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, WRITER), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/** Refuses when another live process writes the journal in `dir`; `what` names the refused act. */
export function refuseOtherWriter(dir: string, what: string): void {
  const pid = otherWriter(dir);
  if (pid !== null)
    throw new JournalUnusable(
      'JOURNAL_LOCKED',
      `${what}: the journal at ${dir} is being written by process ${pid}; stop that process first (or, if it is not ours, remove ${join(dir, WRITER)})`,
    );
}

/**
 * Marks this process as the journal's writer (after `refuseOtherWriter`). Best effort: on a full
 * disk the mark cannot be written, and the journal must still open (its appends then fail and
 * are retried until there is room).
 */
export function takeWriter(dir: string): void {
  try {
    writeFileSync(join(dir, WRITER), String(process.pid));
  } catch {
    forget(join(dir, WRITER));
  }
}

function forget(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Nothing more to do: a mark that cannot be written or removed is ignored when stale.
  }
}

/** Gives up the writer mark, if it is this process's. */
export function releaseWriter(dir: string): void {
  const file = join(dir, WRITER);
  try {
    if (existsSync(file) && Number(readFileSync(file, 'utf8').trim()) === process.pid)
      rmSync(file, { force: true });
  } catch {
    // Best effort: a stale mark names a dead process and is ignored.
  }
}
