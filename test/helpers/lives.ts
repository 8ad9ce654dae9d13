/**
 * Process lives for recovery tests: each opens the journal as the daemon does (recovering the
 * last run), feeds seeded mock ticks on a simulated wall clock, optionally snapshots, and closes.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { expect } from 'vitest';
import type { TradingSystem } from '../../src/system/index.js';
import type { MockMarket } from '../../src/feed/index.js';
import { loadSettings } from '../../src/config/index.js';
import { openTradingSystem, type Opened } from '../../src/system/recovery.js';
import { runSpec } from '../../src/system/run-spec.js';
import { Snapshotter } from '../../src/system/snapshotter.js';
import { strategyId, type MarketTick, type RunStarted } from '../../src/model/index.js';
import type { SimulatedClock } from '../../src/runtime/clock.js';
import type { SnapshotStore } from '../../src/runtime/snapshots.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { instruments } from './system.js';

export const T0 = Date.UTC(2026, 0, 5, 3, 45);

export function logger(lines: Record<string, unknown>[]) {
  return pino(
    { level: 'info' },
    { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  );
}

export function spec(seed: number): RunStarted {
  const inst = instruments();
  const tokens = (syms: string[]) => syms.map((s) => inst.find((i) => i.symbol === s)!.token);
  return runSpec(
    loadSettings({}),
    inst,
    [
      {
        id: strategyId('ema'),
        type: 'ema_cross',
        params: { fast_period: 3, slow_period: 8, bar_ticks: 3, quantity: 10 },
        instruments: tokens(['RELIANCE', 'TCS', 'TITAN']),
        brokers: ['paper'],
        enabled: true,
      },
      {
        id: strategyId('mom'),
        type: 'momentum',
        params: { lookback_periods: 5, threshold: 0.0005, position_size: 5, max_position: 20 },
        instruments: tokens(['ICICIBANK', 'KOTAKBANK']),
        brokers: ['paper'],
        enabled: true,
      },
      // Rejected at start (unknown type): its fault is journaled once, not again on restore.
      {
        id: strategyId('broken'),
        type: 'no_such_type',
        params: {},
        instruments: tokens(['WIPRO']),
        brokers: ['paper'],
        enabled: true,
      },
    ],
    seed,
  );
}

/** One process's life: open (recovering), feed `ticks` mock ticks, optionally snapshot, close. */
export async function life(p: {
  dir: string;
  run: RunStarted;
  market: MockMarket;
  ticks: number;
  store: SnapshotStore | null;
  snapshotAtEnd: boolean;
  log: Record<string, unknown>[];
  wall: SimulatedClock;
  /** Runs halfway through the ticks (a live change, say). */
  midway?: (system: TradingSystem) => void;
}): Promise<{ opened: Opened; fingerprint: string; portfolios: unknown; stats: unknown }> {
  const transport = new LmdbTransport(join(p.dir, 'journal'));
  const opened = await openTradingSystem({
    transport,
    current: p.run,
    bridge: { batchRecords: 500, maxBacklog: 1_000_000 },
    log: logger(p.log),
    nowMs: p.wall.now(),
    snapshots: p.store,
    wall: p.wall,
  });
  const { system, clock } = opened;
  for (let done = 0; done < p.ticks; done += 50) {
    if (done === Math.floor(p.ticks / 100) * 50) p.midway?.(system);
    const batch: MarketTick[] = [];
    for (let i = 0; i < 50; i++) {
      p.wall.advance(20);
      batch.push(p.market.next(p.wall.now()));
    }
    system.ingestTicks(batch);
  }
  if (p.snapshotAtEnd && p.store) {
    const s = new Snapshotter({
      store: p.store,
      system,
      journal: opened.journal,
      runStartSeq: opened.runStartSeq,
      clock,
      wallNow: () => p.wall.now(),
      everyRecords: 0,
      everySeconds: 0,
      log: logger(p.log),
      lastSnapshotSeq: 0,
    });
    await s.take();
    expect(s.saved).toBe(1);
  }
  const out = {
    opened,
    fingerprint: system.switchboard.fingerprint(),
    portfolios: system.portfolios(),
    stats: system.switchboard.stats(),
  };
  await system.close();
  return out;
}
