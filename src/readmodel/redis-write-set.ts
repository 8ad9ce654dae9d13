/** What one write of the Redis read model covers, and the Redis commands that carry it out. */
import type { Redis } from 'ioredis';
import { OWNED_KEY_PATTERNS } from './redis-keys.js';

/** A MULTI being queued. */
export type Multi = ReturnType<Redis['multi']>;

/** Portfolio members, stage ids (`stage:broker`) and whether readmodel:seq is written. */
export interface WriteSet {
  readonly portfolios: Set<string>;
  readonly stages: Set<string>;
  seq: boolean;
}

export const emptyWriteSet = (): WriteSet => ({
  portfolios: new Set(),
  stages: new Set(),
  seq: false,
});

export function isEmptyWriteSet(w: WriteSet): boolean {
  return w.portfolios.size === 0 && w.stages.size === 0 && !w.seq;
}

/** Adds `from` to `into` (a failed write's keys go back next to what became dirty meanwhile). */
export function mergeWriteSet(into: WriteSet, from: WriteSet): void {
  for (const p of from.portfolios) into.portfolios.add(p);
  for (const s of from.stages) into.stages.add(s);
  into.seq ||= from.seq;
}

/** The number of keys a write set writes: two per portfolio and per stage, plus the seq. */
export function keyCount(w: WriteSet): number {
  return w.portfolios.size * 2 + w.stages.size * 2 + (w.seq ? 1 : 0);
}

/** SCAN page size when looking for the keys the projection owns. */
const SCAN_COUNT = 1_000;
/** Keys per UNLINK command, so one command never carries an unbounded argument list. */
const UNLINK_CHUNK = 500;

/** Every key of the selected database that matches OWNED_KEY_PATTERNS. */
export async function scanOwnedKeys(redis: Redis): Promise<string[]> {
  const out = new Set<string>();
  for (const pattern of OWNED_KEY_PATTERNS) {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      for (const k of found) out.add(k);
      cursor = next;
    } while (cursor !== '0');
  }
  return [...out];
}

/** Queues UNLINKs of `keys`, a bounded number of keys per command. */
export function queueUnlinks(m: Multi, keys: readonly string[]): void {
  for (let i = 0; i < keys.length; i += UNLINK_CHUNK) m.unlink(...keys.slice(i, i + UNLINK_CHUNK));
}

/**
 * Runs a MULTI and resolves with the replies of its commands in order; rejects when EXEC does or
 * when any command inside it failed.
 */
export async function execOrThrow(m: Multi): Promise<unknown[]> {
  const results = await m.exec();
  if (results === null) throw new Error('the transaction was discarded (EXEC returned null)');
  for (const [err] of results) if (err) throw err;
  return results.map(([, reply]) => reply);
}
