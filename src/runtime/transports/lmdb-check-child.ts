/**
 * A child process that reads a journal directory with lmdb, read-only, and reports on stdout one
 * JSON line per event: `{meta}`, `{i: lastSeq, n: count}` after each intact batch, `{bad: range}`,
 * then `{done: report}` or `{error}`. It runs apart because LMDB trusts its pages: on a damaged
 * file it may die by a signal, and then its parent still knows the last seq it read intact.
 *
 * Usage: node lmdb-check-child.js <journal dir> first|all
 */
import { nonceBytes } from '../batch-header.js';
import { JournalDamaged, JournalError } from '../errors.js';
import { walkChain } from './lmdb-chain.js';
import { openJournalDbs, osErrorCode, readIdentity } from './lmdb-env.js';

// Pipes are written synchronously on Linux, so every line reaches the parent before a crash.
const emit = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** The highest seq reported so far, intact or bad: an LMDB failure is placed after it. */
let reached = 0;

function main(dir: string, all: boolean): void {
  const dbs = openJournalDbs(dir, true);
  try {
    const id = readIdentity(dbs, dir);
    emit({ meta: id ?? null });
    if (id === undefined) {
      for (const { key } of dbs.batches.getRange({ limit: 1 }))
        throw new JournalDamaged(
          dir,
          Number(key),
          'its meta record (the journal identity) is missing',
        );
      // No identity and no batch: an empty journal, reported as the walk of nothing.
      emit({ done: walkChain([], new Uint8Array(8), { all }) });
      return;
    }
    const report = walkChain(dbs.batches.getRange({}), nonceBytes(id.nonce), {
      all,
      onIntact: (i, n) => {
        reached = i;
        emit({ i, n });
      },
      onBad: (bad) => {
        reached = Math.max(reached, bad.toSeq ?? bad.fromSeq);
        emit({ bad });
      },
    });
    emit({ done: report });
  } finally {
    void dbs.root.close();
  }
}

/**
 * An error LMDB raised while reading: its own codes (MDB_CORRUPTED, MDB_PAGE_NOTFOUND, ...) and
 * anything that is not the OS refusing access mean its file is damaged from where it stopped.
 */
function lmdbDamage(err: unknown): { firstBadSeq: number; problem: string } | null {
  if (err instanceof JournalDamaged) return { firstBadSeq: err.firstBadSeq, problem: err.problem };
  const cause = err instanceof JournalError && err.cause !== undefined ? err.cause : err;
  const code = osErrorCode(cause);
  if (/^E[A-Z]+$/.test(code) && code !== 'EIO' && code !== 'EINVAL') return null;
  const message = cause instanceof Error ? cause.message : String(cause);
  return {
    firstBadSeq: reached + 1,
    problem: `the LMDB data file is damaged: reading it failed after seq ${reached} with ${message}`,
  };
}

const [dir, mode] = process.argv.slice(2);
if (dir === undefined || (mode !== 'first' && mode !== 'all')) {
  process.stderr.write('usage: lmdb-check-child <journal dir> first|all\n');
  process.exit(2);
}
try {
  main(dir, mode === 'all');
} catch (err) {
  const damage = lmdbDamage(err);
  emit({
    error: {
      message: (err as Error).message,
      code: err instanceof JournalError ? err.code : 'JOURNAL_READ_FAILED',
      ...(damage ?? {}),
    },
  });
  process.exitCode = 1;
}
