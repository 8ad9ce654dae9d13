/**
 * Recovery from the journal (ARCHITECTURE invariant 3): 20 times, a daemon on a seeded mock feed
 * is SIGKILLed at a random moment and restarted; it recovers its run from the journal and goes
 * on until the run holds a fixed number of ticks. Its fingerprint and portfolios then equal those
 * of a run that was never killed over the same inputs (`replay` of the journal as one run), and
 * neither the recovery nor the replay found a divergence. Half the iterations snapshot often, so
 * their recovery starts from a snapshot; the other half take none and replay the whole run.
 */
import { describe, expect, it } from 'vitest';
import type { PortfolioSnapshot } from '../../src/model/index.js';
import { SeededRandom } from '../../src/runtime/ids.js';
import {
  feedDone,
  logLine,
  replayJournal,
  startDaemon,
  started,
  until,
  type Daemon,
} from '../helpers/daemon.js';
import { readLmdbJournal, tempDir } from '../helpers/system.js';

const ITERATIONS = Number(process.env.CRASH_ITERATIONS ?? 20);
const MAX_TICKS = 8000;

interface Portfolio {
  broker: string;
  strategyId: string;
  cash: { paise: number };
  fees: { paise: number };
  realizedPnl: { paise: number };
  fills: number;
  positions: { instrumentToken: number; quantity: number }[];
}

describe('crash recovery', () => {
  it(`recovers ${ITERATIONS} SIGKILLs at random moments to exactly the never-killed run`, async () => {
    const rnd = new SeededRandom(20_261_125);
    const fromSnapshot: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const dir = tempDir('ap-crash-');
      const env = {
        DATA_DIR: dir.path,
        FEED__SEED: String(100 + i),
        FEED__TICKS_PER_SECOND: '4000',
        FEED__MAX_TICKS: String(MAX_TICKS),
        SNAPSHOT__EVERY_RECORDS: i % 2 === 0 ? '1500' : '0',
        SNAPSHOT__EVERY_SECONDS: '0',
      };
      let d: Daemon | undefined;
      try {
        // The first process: killed without warning somewhere in its first two seconds.
        d = await startDaemon(env);
        const first = d;
        await started(first, 30_000);
        await new Promise((r) => setTimeout(r, Math.floor(rnd.next() * 2000)));
        first.child.kill('SIGKILL');
        expect((await first.exited).signal).toBe('SIGKILL');

        // The second: recovers, runs to MAX_TICKS in all, and is stopped.
        d = await startDaemon(env);
        const second = d;
        const recovered = await until(
          async () =>
            logLine(second, 'recovered the last run from the journal') ??
            (logLine(second, 'journal opened') ? {} : undefined),
          30_000,
          'the journal opened',
        );
        expect(recovered, `iteration ${i}: recovered`).toMatchObject({ divergences: 0 });
        const snapSeq = (recovered as { snapshotSeq?: number | null }).snapshotSeq;
        if (i % 2 === 1) expect(snapSeq ?? null, `iteration ${i}: no snapshots`).toBeNull();
        if (typeof snapSeq === 'number') fromSnapshot.push(i);
        await feedDone(second);
        const live = ((await second.get('/api/v1/portfolios')).body as { portfolios: Portfolio[] })
          .portfolios;
        second.child.kill('SIGTERM');
        expect((await second.exited).code).toBe(0);
        const stopped = logLine(second, 'journal flushed; stopped')!;

        // The never-killed run over the same inputs.
        const r = replayJournal(dir.path);
        expect(r.stderr, `iteration ${i}`).toBe('');
        const replay = r.result;
        expect(replay.runs, `iteration ${i}: one run across the crash`).toBe(1);
        expect(replay.divergences, `iteration ${i}`).toBe(0);
        // Inputs: RunStarted, the ticks, and the market timers the run journaled (PnL intervals).
        const timers = (await readLmdbJournal(dir.path)).filter(
          (x) => x.type === 'MarketTimerFired',
        ).length;
        expect(replay.inputs - 1 - timers, `iteration ${i}: ticks`).toBe(MAX_TICKS);
        expect(replay.fingerprint, `iteration ${i}: fingerprint`).toBe(stopped.fingerprint);
        const replayed = new Map(
          replay.portfolios.map((p: PortfolioSnapshot) => [`${p.broker}:${p.strategyId}`, p]),
        );
        for (const p of live) {
          const q = replayed.get(`${p.broker}:${p.strategyId}`)!;
          expect(
            {
              cash: p.cash.paise,
              fees: p.fees.paise,
              realized: p.realizedPnl.paise,
              fills: p.fills,
              positions: p.positions.map((x) => [x.instrumentToken, x.quantity]),
            },
            `iteration ${i}: ${p.strategyId}`,
          ).toEqual({
            cash: q.cash,
            fees: q.fees,
            realized: q.realizedPnl,
            fills: q.fills,
            positions: q.positions.map((x) => [x.token, x.quantity]),
          });
        }
      } finally {
        d?.remove();
        dir.remove();
      }
    }
    // Kills land at random moments; most of the snapshotting half die after a snapshot.
    if (ITERATIONS >= 10)
      expect(fromSnapshot.length, 'recoveries from a snapshot').toBeGreaterThan(1);
  }, 900_000);
});
