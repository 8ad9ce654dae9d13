/**
 * Recovery refuses to go live on a state that differs from the journal: when its replay derives
 * something other than what the journal records, every gate is halted (journaled, with why) and
 * the run's numbers are not traded on. A journal that reads back differently from what the code
 * derives stands in for one edited behind the checksums' back (or a code change that slipped
 * past the machine versions).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MockMarket } from '../../src/feed/index.js';
import type { JournalRecord, MarketTick, SetTradingState } from '../../src/model/index.js';
import { SimulatedClock } from '../../src/runtime/clock.js';
import { SeededRandom } from '../../src/runtime/ids.js';
import type { LogTransport } from '../../src/runtime/transport.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { openTradingSystem } from '../../src/system/recovery.js';
import { life, logger, spec, T0 } from '../helpers/lives.js';
import { instruments, readLmdbJournal, tempDir } from '../helpers/system.js';

/** A journal whose ticks of `token` from `seq` on read back with their price raised by 42%. */
function tampered(inner: LogTransport, token: number, seq: number): LogTransport {
  return {
    kind: inner.kind,
    maxInFlight: inner.maxInFlight,
    open: (init) => inner.open(init),
    append: (batches) => inner.append(batches),
    lastSeq: () => inner.lastSeq(),
    bytesWritten: () => inner.bytesWritten(),
    close: () => inner.close(),
    async *read(from, options) {
      for await (const r of inner.read(from, options)) {
        const t = r.data as MarketTick;
        if (r.seq < seq || r.type !== 'MarketTick' || t.token !== token) {
          yield r;
          continue;
        }
        const lastPrice = Math.round((t.lastPrice * 1.42) / 5) * 5;
        yield { ...r, data: { ...t, lastPrice } } as JournalRecord;
      }
    },
  };
}

describe('recovery that diverges from the journal', () => {
  const dirs: { remove: () => void }[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  /** A stopped process's journal of `ticks` mock ticks, and what recovering it needs. */
  async function journalOf(ticks: number) {
    const dir = tempDir('ap-diverge-');
    dirs.push(dir);
    const run = spec(5);
    const market = new MockMarket(instruments(), new SeededRandom(5).fork('market'));
    const wall = new SimulatedClock(T0);
    const log: Record<string, unknown>[] = [];
    await life({ dir: dir.path, run, market, ticks, store: null, snapshotAtEnd: false, log, wall });
    return { dir, run, wall, log };
  }

  it('halts every gate, journals why, and does not trade on the rebuilt state', async () => {
    const { dir, run, wall, log } = await journalOf(3000);
    const recorded = await readLmdbJournal(dir.path);
    // From a tick of an instrument a strategy trades on, early enough to change what follows.
    const reliance = instruments().find((i) => i.symbol === 'RELIANCE')!.token;
    const tick = recorded.find(
      (r) => r.type === 'MarketTick' && (r.data as MarketTick).token === reliance && r.seq > 200,
    )!;

    const inner = new LmdbTransport(join(dir.path, 'journal'));
    const opened = await openTradingSystem({
      transport: tampered(inner, reliance, tick.seq),
      current: run,
      bridge: { batchRecords: 500, maxBacklog: 1_000_000 },
      log: logger(log),
      nowMs: wall.now(),
      wall,
    });
    try {
      expect(opened.recovered?.divergences).toBeGreaterThan(0);
      expect(Object.values(opened.system.tradingStates())).toEqual(['HALTED']);
      await opened.system.bridge.flush();
    } finally {
      await opened.system.close();
    }
    const after = await readLmdbJournal(dir.path);
    const halts = after
      .filter((r) => r.seq > recorded.length && r.type === 'SetTradingState')
      .map((r) => r.data as SetTradingState);
    expect(halts).toHaveLength(1);
    expect(halts[0]).toMatchObject({ broker: 'paper', state: 'HALTED' });
    expect(halts[0]!.reason).toMatch(/^recovery-diverged: .*first at seq \d+/);
    expect(after.some((r) => r.type === 'ReplayDivergence')).toBe(true);
  }, 60_000);

  it('goes live with its gates as they were when the replay matches', async () => {
    const { dir, run, wall, log } = await journalOf(1000);
    const opened = await openTradingSystem({
      transport: new LmdbTransport(join(dir.path, 'journal')),
      current: run,
      bridge: { batchRecords: 500, maxBacklog: 1_000_000 },
      log: logger(log),
      nowMs: wall.now(),
      wall,
    });
    try {
      expect(opened.recovered?.divergences).toBe(0);
      expect(Object.values(opened.system.tradingStates())).toEqual(['ACTIVE']);
    } finally {
      await opened.system.close();
    }
  }, 60_000);
});
