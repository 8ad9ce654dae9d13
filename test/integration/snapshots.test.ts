/**
 * Snapshots (ARCHITECTURE "Recovery, replay, backtest"): a run recovered from a snapshot plus the
 * records after it ends exactly where the run that never stopped ends (fingerprint, portfolios,
 * counts), replaying only the records after the snapshot; a snapshot recovery cannot use is
 * reported and the run is replayed from its start instead, with the same result.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MockMarket } from '../../src/feed/index.js';
import { SimulatedClock } from '../../src/runtime/clock.js';
import { SeededRandom } from '../../src/runtime/ids.js';
import { parseSnapshot } from '../../src/runtime/snapshots.js';
import { LmdbSnapshotStore } from '../../src/runtime/transports/lmdb-snapshots.js';
import { life, spec, T0 } from '../helpers/lives.js';
import { instruments, tempDir } from '../helpers/system.js';

describe('snapshots', () => {
  const cleanup: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0)) await f();
  });

  /** A journal directory with its snapshot store, the run of `seed`, its market and clock. */
  function fresh(seed: number) {
    const dir = tempDir('ap-snap-');
    const store = new LmdbSnapshotStore(join(dir.path, 'snapshots'));
    cleanup.push(async () => {
      await store.close();
      dir.remove();
    });
    const run = spec(seed);
    const market = new MockMarket(instruments(), new SeededRandom(seed).fork('market'));
    const log: Record<string, unknown>[] = [];
    return { dir, store, run, market, log, wall: new SimulatedClock(T0) };
  }

  async function scenario(useSnapshot: boolean, damage?: (s: Record<string, unknown>) => void) {
    const { dir, store, run, market, log, wall } = fresh(7);
    const first = await life({
      dir: dir.path,
      run,
      market,
      ticks: 3000,
      store,
      snapshotAtEnd: useSnapshot,
      log,
      wall,
    });
    if (damage) {
      const snap = await store.latest(first.opened.journal);
      const raw = JSON.parse(JSON.stringify(snap)) as Record<string, unknown>;
      damage(raw);
      await store.save(first.opened.journal, JSON.stringify(raw));
    }
    const second = await life({
      dir: dir.path,
      run,
      market,
      ticks: 3000,
      store,
      snapshotAtEnd: false,
      log,
      wall,
    });
    return { first, second, log };
  }

  it('recovers from a snapshot to the same state as a full replay, replaying only what follows it', async () => {
    const full = await scenario(false);
    const snap = await scenario(true);
    const rec = snap.second.opened.recovered!;
    expect(full.second.opened.recovered!.snapshotSeq).toBeNull();
    // A full replay also compares what the system journals as it opens (the rejected config's fault).
    expect(full.second.opened.recovered!.divergences).toBe(0);
    expect(rec.snapshotSeq).toBe(snap.first.opened.system.switchboard.lastSeq);
    // Nothing came after the snapshot: nothing to replay.
    expect(rec.records).toBe(0);
    expect(full.second.opened.recovered!.records).toBeGreaterThan(3000);
    expect(rec.ticks).toBe(3000);
    expect(rec.divergences).toBe(0);
    expect(snap.second.fingerprint).toBe(full.second.fingerprint);
    expect(snap.second.portfolios).toEqual(full.second.portfolios);
    expect(snap.second.stats).toEqual(full.second.stats);
    const faults = (s: { byType: Record<string, number> }) => s.byType.ActorFaulted;
    expect(faults(snap.second.stats as never)).toBe(1);
    // The run traded, so the snapshot carried positions, cash and pending strategy state.
    expect(JSON.stringify(snap.second.portfolios)).toMatch(/"fills":[1-9]/);
  });

  it('takes a snapshot mid-run and replays the records after it', async () => {
    const setup = fresh(11);
    const { dir, store, run, market, log } = setup;
    let wall = setup.wall;
    const a = await life({
      dir: dir.path,
      run,
      market,
      ticks: 2000,
      store,
      snapshotAtEnd: true,
      log,
      wall,
    });
    // A second life that snapshots nothing: its records are replayed after a's snapshot.
    await life({ dir: dir.path, run, market, ticks: 1500, store, snapshotAtEnd: false, log, wall });
    const c = await life({
      dir: dir.path,
      run,
      market,
      ticks: 500,
      store,
      snapshotAtEnd: false,
      log,
      wall,
    });
    expect(c.opened.recovered!.snapshotSeq).toBe(a.opened.system.switchboard.lastSeq);
    expect(c.opened.recovered!.records).toBeGreaterThanOrEqual(1500);
    expect(c.opened.recovered!.divergences).toBe(0);
    expect(c.opened.recovered!.ticks).toBe(3500);

    // The same journal without the snapshot store: a full replay reaches the same state.
    const dir2 = tempDir('ap-snap-');
    cleanup.push(() => dir2.remove());
    const m2 = new MockMarket(instruments(), new SeededRandom(11).fork('market'));
    wall = new SimulatedClock(T0);
    await life({
      dir: dir2.path,
      run,
      market: m2,
      ticks: 2000,
      store: null,
      snapshotAtEnd: false,
      log,
      wall,
    });
    await life({
      dir: dir2.path,
      run,
      market: m2,
      ticks: 1500,
      store: null,
      snapshotAtEnd: false,
      log,
      wall,
    });
    const c2 = await life({
      dir: dir2.path,
      run,
      market: m2,
      ticks: 500,
      store: null,
      snapshotAtEnd: false,
      log,
      wall,
    });
    expect(c.fingerprint).toBe(c2.fingerprint);
    expect(c.portfolios).toEqual(c2.portfolios);
  });

  it('replays from the run start when the snapshot is of other machine versions, with the same result', async () => {
    const full = await scenario(false);
    const other = await scenario(true, (s) => {
      s.machines = { ...(s.machines as object), strategy: 99 };
    });
    expect(other.second.opened.recovered!.snapshotSeq).toBeNull();
    const warn = other.log.find(
      (l) => l.msg === 'snapshot not used; replaying the run from its start',
    );
    expect(String(warn?.reason)).toMatch(/strategy":99/);
    expect(other.second.fingerprint).toBe(full.second.fingerprint);
  });

  it('replays from the run start when the snapshot cannot be restored', async () => {
    const full = await scenario(false);
    const bad = await scenario(true, (s) => {
      (s.state as { brokers: Record<string, unknown> }).brokers.paper = { version: 42 };
    });
    expect(bad.second.opened.recovered!.snapshotSeq).toBeNull();
    const warn = bad.log.find(
      (l) => l.msg === 'the snapshot cannot be restored; replaying the run from its start instead',
    );
    expect(String(warn?.error)).toMatch(/paper broker snapshot is invalid/);
    expect(bad.second.fingerprint).toBe(full.second.fingerprint);
    expect(bad.second.portfolios).toEqual(full.second.portfolios);
  });

  it('refuses a stored value that is not a snapshot, naming where it is', () => {
    expect(() => parseSnapshot('{"format":7}', 'data/snapshots')).toThrow(
      /data\/snapshots is not a format-1 snapshot \(format 7\)/,
    );
    expect(() => parseSnapshot('nope', 'data/snapshots')).toThrow(/not JSON/);
  });
});
