import { afterEach, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/helpers/system.js';
import { journalStatus } from './journal-status.js';

const T0 = Date.UTC(2026, 0, 5, 4, 0);

let t: TestSystem | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('journalStatus', () => {
  it('reports seqs, backlog, the time the last write landed and the newest snapshot', async () => {
    t = await startTestSystem({ strategies: [] });
    const s = t;
    let wall = T0;
    let snap: { seq: number; atMs: number } | null = null;
    const status = journalStatus(
      s.system,
      'lmdb',
      () => snap,
      () => wall,
    );
    expect(status()).toEqual({
      transport: 'lmdb',
      lastSeq: 0,
      durableSeq: 0,
      backlog: 0,
      lastFlushAt: null,
      snapshotSeq: null,
      snapshotAt: null,
      problem: null,
    });

    s.feed(250, 50);
    // Handed over, not yet written.
    expect(status()).toMatchObject({
      lastSeq: 250,
      durableSeq: 0,
      backlog: 250,
      lastFlushAt: null,
    });
    await s.system.bridge.flush();
    await Promise.resolve();
    expect(status()).toMatchObject({
      lastSeq: 250,
      durableSeq: 250,
      backlog: 0,
      lastFlushAt: new Date(T0).toISOString(),
    });

    wall = T0 + 60_000;
    snap = { seq: 250, atMs: T0 + 30_000 };
    s.system.setTradingState('paper', 'HALTED', 'closing');
    await s.system.bridge.flush();
    await Promise.resolve();
    expect(status()).toMatchObject({
      lastSeq: 252,
      durableSeq: 252,
      lastFlushAt: new Date(T0 + 60_000).toISOString(),
      snapshotSeq: 250,
      snapshotAt: new Date(T0 + 30_000).toISOString(),
    });
    // Nothing new written: the time stays that of the last write.
    wall = T0 + 120_000;
    await s.system.bridge.flush();
    expect(status().lastFlushAt).toBe(new Date(T0 + 60_000).toISOString());
  });
});
