/**
 * Recovery across configuration changes: live changes (StrategyConfigured) are part of the run,
 * so a restart with the configuration they left recovers the run; enabled flags or parameters
 * changed while the process was down are applied to the recovered run as live inputs; any other
 * change starts a new run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MockMarket } from '../../src/feed/index.js';
import { compareRuns } from '../../src/system/run-config.js';
import { strategyId, type RunStarted, type StrategyConfigured } from '../../src/model/index.js';
import { SimulatedClock } from '../../src/runtime/clock.js';
import { SeededRandom } from '../../src/runtime/ids.js';
import { life, spec, T0 } from '../helpers/lives.js';
import { instruments, readLmdbJournal, tempDir } from '../helpers/system.js';

function withParams(run: RunStarted, id: string, params: Record<string, unknown>): RunStarted {
  return {
    ...run,
    strategies: run.strategies.map((s) => (s.id === id ? { ...s, params } : s)),
  };
}

describe('recovery across configuration changes', () => {
  const dirs: { remove: () => void }[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  it('keeps the run through live changes, changes made while down and a restart', async () => {
    const dir = tempDir('ap-recfg-');
    dirs.push(dir);
    const base = spec(3);
    const mom = base.strategies.find((s) => s.id === 'mom')!;
    const ema = base.strategies.find((s) => s.id === 'ema')!;
    const market = new MockMarket(instruments(), new SeededRandom(3).fork('market'));
    const wall = new SimulatedClock(T0);
    const log: Record<string, unknown>[] = [];
    const common = { dir: dir.path, market, store: null, snapshotAtEnd: false, log, wall };

    // Life 1: momentum's size is changed live, halfway.
    const momLive = { ...mom.params, position_size: 7 };
    await life({
      ...common,
      run: base,
      ticks: 2000,
      midway: (system) =>
        expect(
          system.configureStrategy(
            {
              ...mom,
              id: strategyId('mom'),
              instruments: mom.instruments as never,
              params: momLive,
            },
            'config:test',
          ).ok,
        ).toBe(true),
    });

    // Life 2: started with the configuration the live change left: the same run goes on.
    const afterLive = withParams(base, 'mom', momLive);
    const two = await life({ ...common, run: afterLive, ticks: 1000 });
    expect(two.opened.recovered).toMatchObject({ divergences: 0, reconfigured: [] });
    expect(two.opened.recovered!.runStartSeq).toBe(1);

    // Life 3: ema's quantity was edited while the process was down: recovered, then applied live.
    const emaDown = { ...ema.params, quantity: 3 };
    const three = await life({
      ...common,
      run: withParams(afterLive, 'ema', emaDown),
      ticks: 1000,
    });
    expect(three.opened.recovered).toMatchObject({ divergences: 0, reconfigured: ['ema'] });
    const j = await readLmdbJournal(dir.path);
    expect(j.filter((r) => r.type === 'RunStarted')).toHaveLength(1);
    const applied = j.filter((r) => r.type === 'StrategyConfigured');
    expect(applied.map((r) => [r.source, (r.data as StrategyConfigured).strategyId])).toEqual([
      ['config:test', 'mom'],
      ['config:restart', 'ema'],
    ]);
    // Its signals after the change carry the new quantity.
    const after = j.filter(
      (r) =>
        r.type === 'TradingSignal' &&
        r.seq > applied[1]!.seq &&
        (r.data as { strategyId: string }).strategyId === 'ema',
    );
    expect(after.length).toBeGreaterThan(0);
    for (const r of after) expect((r.data as { quantity: number }).quantity).toBe(3);

    // Life 4: an instrument list changed: that takes a new run.
    const moved: RunStarted = {
      ...base,
      strategies: base.strategies.map((s) =>
        s.id === 'mom' ? { ...s, instruments: s.instruments.slice(0, 1) } : s,
      ),
    };
    const four = await life({ ...common, run: moved, ticks: 100 });
    expect(four.opened.recovered).toBeNull();
    expect(log.some((l) => l.msg === 'starting a new run: the last one cannot be continued')).toBe(
      true,
    );
  });

  it('compares parameters after their defaults, and names what needs a new run', () => {
    const base = spec(3);
    // The same parameters with a default spelled out are not a change; another value is.
    const sparse = withParams(base, 'mom', { lookback_periods: 5, position_size: 5 });
    const spelled = withParams(base, 'mom', {
      lookback_periods: 5,
      position_size: 5,
      threshold: 0.01,
    });
    expect(compareRuns(sparse, spelled)).toEqual({ kind: 'same' });
    const other = withParams(base, 'mom', {
      lookback_periods: 5,
      position_size: 5,
      threshold: 0.02,
    });
    expect(compareRuns(sparse, other)).toMatchObject({ kind: 'live', changes: [{ id: 'mom' }] });
    const budget = { ...base, budget: { maxRestarts: 9, windowMs: 1000 } };
    expect(compareRuns(base, budget)).toMatchObject({ kind: 'new', why: /restart budget/ });
    // A strategy rejected at the run's start (unknown type) never ran: fixing it takes a new run.
    expect(compareRuns(base, withParams(base, 'broken', { any: 1 }))).toMatchObject({
      kind: 'new',
      why: /strategy broken was rejected when the run started \(.*no_such_type/,
    });
    const older = { ...base, machines: { ...base.machines, strategy: 0 } };
    expect(compareRuns(older, base)).toMatchObject({ kind: 'new', why: /strategy v0/ });
  });
});
