/**
 * A repaired journal never hands out a client order id again: a daemon trades and stops;
 * `journal repair --truncate-after` cuts the journal in the middle of its orders; the next start
 * recovers the run and trades on over the seqs the removed records had, yet none of its order ids
 * is one they had used (all are of the new epoch), and a replay of the repaired journal finds no
 * divergence.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalRepaired, SubmitOrder } from '../../src/model/index.js';
import { feedDone, replayJournal, startDaemon, started, type Daemon } from '../helpers/daemon.js';
import { storedState } from '../helpers/lmdb-damage.js';
import { readLmdbJournal, ROOT, tempDir } from '../helpers/system.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/** Runs a daemon until its feed has reached FEED__MAX_TICKS, then stops it. */
async function runUntilFed(env: Record<string, string>, dataDir: string): Promise<void> {
  let d: Daemon | undefined;
  try {
    d = await startDaemon(env, { dataDir });
    const daemon = d;
    await started(daemon);
    await feedDone(daemon);
    daemon.child.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  } finally {
    d?.remove();
  }
}

const orders = (records: Awaited<ReturnType<typeof readLmdbJournal>>) =>
  records
    .filter((r) => r.type === 'SubmitOrder')
    .map((r) => ({ seq: r.seq, id: (r.data as SubmitOrder).clientOrderId }));

describe('client order ids across a journal repair', () => {
  it('are never handed out twice, though the recovered run reuses the removed seqs', async () => {
    const dir = tempDir('ap-repair-ids-');
    dirs.push(dir);
    const env = {
      FEED__SEED: '31',
      FEED__TICKS_PER_SECOND: '4000',
      SNAPSHOT__EVERY_RECORDS: '0',
      SNAPSHOT__EVERY_SECONDS: '0',
    };
    await runUntilFed({ ...env, FEED__MAX_TICKS: '6000' }, dir.path);
    const before = orders(await readLmdbJournal(dir.path));
    expect(before.length).toBeGreaterThan(10);

    // Cut at the batch boundary nearest the middle of the orders.
    const journal = join(dir.path, 'journal');
    const keys = [...(await storedState(journal)).batches.keys()];
    const middle = before[Math.floor(before.length / 2)]!.seq;
    const cutAt = keys.filter((k) => k <= middle).at(-1)! - 1;
    const removed = before.filter((o) => o.seq > cutAt);
    expect(removed.length).toBeGreaterThan(3);
    const repair = cli(
      'journal',
      'repair',
      '--truncate-after',
      String(cutAt),
      '--data-dir',
      dir.path,
    );
    expect(repair.stderr).toBe('');
    expect(repair.status).toBe(0);

    // The same run goes on: the seed repeats the removed stretch, order for order.
    await runUntilFed({ ...env, FEED__MAX_TICKS: '9000' }, dir.path);
    const records = await readLmdbJournal(dir.path);
    const mark = records.find((r) => r.type === 'JournalRepaired')!;
    expect(mark.seq).toBe(cutAt + 1);
    expect((mark.data as JournalRepaired).epoch).toBe(1);
    expect(records.filter((r) => r.type === 'RunStarted')).toHaveLength(1);
    const after = orders(records).filter((o) => o.seq > cutAt);
    expect(after.length).toBeGreaterThan(removed.length);
    // An id is P + nonce (7) + epoch (2) + seq (8): the removed ids were of epoch 0, every id
    // after the cut is of epoch 1, so none can be one of theirs whatever seq it answers.
    const epochOf = (id: string) => parseInt(id.slice(8, 10), 36);
    expect(new Set(removed.map((o) => epochOf(o.id)))).toEqual(new Set([0]));
    expect(new Set(after.map((o) => epochOf(o.id)))).toEqual(new Set([1]));
    const removedIds = new Set(removed.map((o) => o.id));
    expect(after.filter((o) => removedIds.has(o.id))).toEqual([]);
    const all = orders(records).map((o) => o.id);
    expect(new Set(all).size).toBe(all.length);

    const r = replayJournal(dir.path);
    expect(r.stderr).toBe('');
    const replay = r.result;
    expect(replay.divergences).toBe(0);
    expect(replay.records).toBe(records.length);
  }, 180_000);
});
