/**
 * Reads a whole LMDB journal in a child process (lmdb-check-child.ts) and reports what it found.
 * A damaged page can make LMDB die by a signal; here that is one more bad range, starting after
 * the last seq the child read intact, and this process goes on.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { JournalError } from '../errors.js';
import type { BadRange, ChainReport } from './lmdb-chain.js';
import type { JournalIdentity } from './lmdb-env.js';

export interface JournalCheck extends ChainReport {
  /** The journal's identity; null when it has none yet (or it could not be read). */
  readonly identity: JournalIdentity | null;
  /** The last seq of every intact batch, in order (the batch boundaries a repair may keep). */
  readonly intactEnds: number[];
  /**
   * Why the child stopped before the end: a signal, or LMDB's error code (the data file is
   * damaged where it stopped); null when it read everything it meant to.
   */
  readonly stoppedBy: string | null;
}

interface ChildLine {
  meta?: JournalIdentity | null;
  i?: number;
  n?: number;
  bad?: BadRange;
  done?: ChainReport;
  error?: { message: string; code: string; firstBadSeq?: number; problem?: string };
}

/**
 * The command that runs the child: from dist/ plain JavaScript; from src/ (tests run TypeScript)
 * with the TypeScript loader, which a child process does not inherit.
 */
function childCommand(): string[] {
  const ts = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(
    new URL(ts ? './lmdb-check-child.ts' : './lmdb-check-child.js', import.meta.url),
  );
  if (!ts) return [script];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', tsx, script];
}

/** Reads the journal in `dir` in a child: up to its first problem (`all` false), or all of it. */
export function checkInChild(dir: string, all: boolean): Promise<JournalCheck> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...childCommand(), dir, all ? 'all' : 'first'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const state = {
      identity: null as JournalIdentity | null,
      done: null as ChainReport | null,
      error: null as NonNullable<ChildLine['error']> | null,
      bad: [] as BadRange[],
      intactEnds: [] as number[],
      records: 0,
    };
    let rest = '';
    let stderr = '';
    const take = (line: string) => {
      if (line === '') return;
      const m = JSON.parse(line) as ChildLine;
      if (m.meta !== undefined) state.identity = m.meta;
      if (m.i !== undefined) state.intactEnds.push(m.i);
      if (m.n !== undefined) state.records += m.n;
      if (m.bad !== undefined) state.bad.push(m.bad);
      if (m.done !== undefined) state.done = m.done;
      if (m.error !== undefined) state.error = m.error;
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) take(l);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.on('error', (err) =>
      reject(
        new JournalError(
          'JOURNAL_READ_FAILED',
          `cannot start a process to read the journal at ${dir}: ${err.message}`,
          { cause: err },
        ),
      ),
    );
    child.on('close', (code, signal) => {
      take(rest);
      const base = { identity: state.identity, intactEnds: state.intactEnds };
      if (state.done !== null) return resolve({ ...state.done, ...base, stoppedBy: null });
      const e = state.error;
      if (e !== null && e.firstBadSeq === undefined)
        return reject(new JournalError(e.code, e.message));
      if (e === null && signal === null)
        return reject(
          new JournalError(
            'JOURNAL_READ_FAILED',
            `the process reading the journal at ${dir} ended with code ${code}: ${stderr.trim() || 'no output'}`,
          ),
        );
      const read = state.intactEnds.at(-1) ?? 0;
      const bad =
        e !== null
          ? { fromSeq: e.firstBadSeq!, toSeq: null, problem: e.problem ?? e.message }
          : {
              fromSeq: read + 1,
              toSeq: null,
              problem: `the LMDB file's pages are damaged: reading it ended with ${signal} after seq ${read}`,
            };
      const all = [...state.bad, bad];
      resolve({
        ...base,
        lastIntact: Math.min(...all.map((r) => r.fromSeq)) - 1,
        lastKey: null,
        batches: state.intactEnds.length + state.bad.length,
        records: state.records,
        badBatches: state.bad.length + 1,
        bad: all,
        earlierFormat: false,
        stoppedBy: signal ?? e?.code ?? null,
      });
    });
  });
}
