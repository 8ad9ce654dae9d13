/**
 * Replay (ARCHITECTURE invariant 3, SPEC §10 `replay`): a journal written by the live daemon,
 * replayed through fresh actors, reproduces the daemon's fingerprint with no divergence, across
 * a restart; `--set` runs a counterfactual whose order diff is empty exactly when the change
 * does not matter; bad input is refused with the fix.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult } from '../../src/system/replay.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { TradingSystem } from '../../src/system/index.js';
import { MockMarket } from '../../src/feed/index.js';
import { runReplay } from '../../src/system/replay.js';
import { loadStrategies } from '../../src/config/config-files.js';
import { runSpec, systemOptions } from '../../src/system/run-spec.js';
import { loadSettings } from '../../src/config/index.js';
import type { MarketTick } from '../../src/model/index.js';
import { SimulatedClock } from '../../src/runtime/clock.js';
import { SeededRandom } from '../../src/runtime/ids.js';
import { startDaemon, until, type Daemon } from '../helpers/daemon.js';
import { instruments, ROOT, tempDir } from '../helpers/system.js';

const dir = tempDir('ap-replay-');
const fingerprints: string[] = [];
let lastSeq = 0;

function replay(...args: string[]): { status: number | null; out: ReplayResult; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), 'replay', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dir.path },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return {
    status: r.status,
    out: (r.status === 0 ? JSON.parse(r.stdout) : null) as ReplayResult,
    stderr: r.stderr,
  };
}

/** Runs the daemon on the shared data dir until it has filled orders, then stops it. */
async function liveRun(seed: number, slippagePercent: string): Promise<void> {
  const d: Daemon = await startDaemon({
    DATA_DIR: dir.path,
    FEED__SEED: String(seed),
    FEED__TICKS_PER_SECOND: '2000',
    PAPER_TRADING__SLIPPAGE_PERCENT: slippagePercent,
  });
  try {
    await until(
      async () => {
        const { body } = await d.get('/api/v1/portfolios');
        const fills = (body as { portfolios: { fills: number }[] }).portfolios.reduce(
          (n, p) => n + p.fills,
          0,
        );
        return fills >= 6 ? true : undefined;
      },
      60_000,
      'six fills',
    );
  } finally {
    d.child.kill('SIGTERM');
  }
  expect((await d.exited).code).toBe(0);
  const stopped = d
    .output()
    .split('\n')
    .filter((l) => l.includes('journal flushed; stopped'))
    .map((l) => JSON.parse(l) as { fingerprint: string; lastSeq: number })[0]!;
  fingerprints.push(stopped.fingerprint);
  lastSeq = stopped.lastSeq;
}

beforeAll(async () => {
  // A changed configuration makes the second process start a run of its own (the same one would
  // recover and continue the first).
  await liveRun(11, '0.05');
  await liveRun(12, '0.1');
}, 180_000);

afterAll(() => dir.remove());

describe('replay of a live journal', () => {
  it('reproduces both runs of the daemon, fingerprint included, with no divergence', () => {
    const { status, out, stderr } = replay();
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(out.runs).toBe(2);
    expect(out.records).toBe(lastSeq);
    expect(out.inputs + out.derived).toBe(lastSeq);
    expect(out.derived).toBeGreaterThan(0);
    expect(out.divergences).toBe(0);
    expect(out.fingerprint).toBe(out.recordedFingerprint);
    expect(out.portfolios.length).toBeGreaterThan(0);
  });

  it('reproduces each run’s own fingerprint as the daemon reported it', async () => {
    // The first run alone: up to the record before the second RunStarted.
    const firstRun = replay('--until', String(await firstRunEnd()));
    expect(firstRun.out.runs).toBe(1);
    expect(firstRun.out.fingerprint).toBe(fingerprints[0]);
  });

  it('counts and compares from --from on (the run is still rebuilt from its start)', () => {
    const from = Math.floor(lastSeq / 2);
    const { out } = replay('--from', String(from));
    expect(out.from).toBe(from);
    expect(out.records).toBe(lastSeq - from + 1);
    expect(out.divergences).toBe(0);
  });

  it('runs a counterfactual: a change that matters changes orders, one that does not, none', () => {
    const matters = replay('--set', 'strategy.ema_cross_reliance.quantity=37');
    expect(matters.status).toBe(0);
    const d = matters.out.orderDiff!;
    expect(d.added.length + d.removed.length + d.changed.length).toBeGreaterThan(0);
    for (const c of d.changed) expect(c.replayed.quantity).toBe(37);

    const same = replay('--set', 'strategy.ema_cross_reliance.quantity=10');
    expect(same.out.orderDiff).toEqual({ added: [], removed: [], changed: [] });
    expect(same.out.fingerprint).toBe(same.out.recordedFingerprint);
  });

  it('refuses bad options with what to do', () => {
    const bad = replay('--set', 'quantity=5');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/expected strategy\.<id>\.<param>=<value>/);
    const unknown = replay('--set', 'strategy.nope.quantity=5');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/the run has no strategy nope/);
    const invalid = replay('--set', 'strategy.ema_cross_reliance.quantity=-5');
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/invalid parameters/);
    const misspelled = replay('--set', 'strategy.ema_cross_reliance.fast_perod=5');
    expect(misspelled.status).toBe(2);
    expect(misspelled.stderr).toMatch(/unknown parameter "fast_perod"; did you mean "fast_period"/);
    const time = replay('--from', 'yesterday');
    expect(time.status).toBe(2);
    expect(time.stderr).toMatch(/ISO-8601/);
  });
});

/** The seq before the second run's RunStarted, read from the journal. */
async function firstRunEnd(): Promise<number> {
  const t = new LmdbTransport(join(dir.path, 'journal'));
  await t.open({ nonce: 0, createdMs: 0 });
  try {
    const starts: number[] = [];
    for await (const r of t.read(1, { topics: ['system.events'] }))
      if (r.type === 'RunStarted') starts.push(r.seq);
    expect(starts.length).toBe(2);
    return starts[1]! - 1;
  } finally {
    await t.close();
  }
}

describe('replay detects what it cannot reproduce', () => {
  it('reports a divergence, with both records, when the recorded run differs from its RunStarted', async () => {
    const d = tempDir('ap-replay-diverge-');
    try {
      const inst = instruments();
      const strategies = loadStrategies(join(ROOT, 'config'));
      const run = runSpec(loadSettings({}), inst, strategies, 5);
      const clock = new SimulatedClock(Date.UTC(2026, 0, 5, 3, 45));
      const random = new SeededRandom(5);
      const transport = new LmdbTransport(join(d.path, 'journal'));
      // The run journals one configuration and trades another: what a code change between
      // recording and replay looks like.
      const opts = systemOptions(run, { clock, random, transport });
      const sys = await TradingSystem.open({
        ...opts,
        strategies: opts.strategies.map((s) =>
          s.id === 'ema_cross_reliance' ? { ...s, params: { ...s.params, quantity: 11 } } : s,
        ),
      });
      const market = new MockMarket(inst, random.fork('market'));
      for (let b = 0; b < 300; b++) {
        const ticks: MarketTick[] = [];
        for (let i = 0; i < 100; i++) {
          clock.advance(10);
          ticks.push(market.next(clock.now()));
        }
        sys.ingestTicks(ticks);
      }
      await sys.close();

      const t = new LmdbTransport(join(d.path, 'journal'));
      await t.open({ nonce: 0, createdMs: 0 });
      try {
        const out = await runReplay(t);
        expect(out.divergences).toBeGreaterThan(0);
        expect(out.fingerprint).not.toBe(out.recordedFingerprint);
        const first = out.firstDivergences[0]!;
        expect(first.recorded?.type).toBe('TradingSignal');
        expect((first.recorded?.data as { quantity: number }).quantity).toBe(11);
        expect((first.replayed?.data as { quantity: number }).quantity).toBe(10);
      } finally {
        await t.close();
      }
    } finally {
      d.remove();
    }
  });

  it('refuses a run recorded by another machine version, saying which and what to do', async () => {
    const d = tempDir('ap-replay-version-');
    try {
      const run = runSpec(loadSettings({}), instruments(), loadStrategies(join(ROOT, 'config')), 5);
      const transport = new LmdbTransport(join(d.path, 'journal'));
      const sys = await TradingSystem.open(
        systemOptions(
          { ...run, machines: { ...run.machines, 'risk-gate': 0 } },
          {
            clock: new SimulatedClock(Date.UTC(2026, 0, 5, 3, 45)),
            random: new SeededRandom(5),
            transport,
          },
        ),
      );
      await sys.close();
      const t = new LmdbTransport(join(d.path, 'journal'));
      await t.open({ nonce: 0, createdMs: 0 });
      try {
        await expect(runReplay(t)).rejects.toMatchObject({
          code: 'REPLAY_VERSION_MISMATCH',
          message: expect.stringMatching(
            /seq 1: it was recorded by risk-gate v0 \(this build runs v3\) and this build has no migration from that version; replay it with the build that wrote it/,
          ),
        });
      } finally {
        await t.close();
      }
    } finally {
      d.remove();
    }
  });
});
