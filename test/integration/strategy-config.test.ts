/** SPEC §3: a strategy is enabled, disabled and re-parameterized live by a journaled input. */
import { afterEach, describe, expect, it } from 'vitest';
import type { StrategyConfig } from '../../src/model/index.js';
import type { StrategyConfigured, TradingSignal } from '../../src/model/index.js';
import type { AnyStrategyDefinition } from '../../src/strategies/index.js';
import { z } from 'zod';
import { startTestSystem, type TestSystem } from '../helpers/system.js';

const TCS = 2953217;
const RELIANCE = 738561;

const ema = (id: string, token: number, enabled = true): StrategyConfig => ({
  id,
  type: 'ema_cross',
  params: { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 10 },
  instruments: [token],
  brokers: ['paper'],
  enabled,
});

let t: TestSystem | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function signalsOf(sys: TestSystem, id: string, afterSeq = 0): Promise<number> {
  return (await sys.journal()).filter(
    (r) =>
      r.type === 'TradingSignal' && r.seq > afterSeq && (r.data as TradingSignal).strategyId === id,
  ).length;
}

describe('live strategy configuration', () => {
  it('disables a strategy (no new signals, the other trades on) and re-enables it, journaled', async () => {
    t = await startTestSystem({ strategies: [ema('a', TCS), ema('b', RELIANCE)] });
    t.feed(20_000);
    expect(await signalsOf(t, 'a')).toBeGreaterThan(0);

    const off = t.system.configureStrategy({ ...ema('a', TCS), enabled: false }, 'config:test');
    expect(off.ok).toBe(true);
    const offSeq = (off as { seq: number }).seq;
    expect(t.system.strategies().find((s) => s.id === 'a')?.status).toBe('DISABLED');
    t.feed(20_000);
    expect(await signalsOf(t, 'a', offSeq)).toBe(0);
    expect(await signalsOf(t, 'b', offSeq)).toBeGreaterThan(0);

    const on = t.system.configureStrategy(ema('a', TCS), 'config:test');
    expect(on.ok).toBe(true);
    expect(t.system.strategies().find((s) => s.id === 'a')?.status).toBe('RUNNING');
    t.feed(20_000);
    expect(await signalsOf(t, 'a', (on as { seq: number }).seq)).toBeGreaterThan(0);

    const inputs = (await t.journal()).filter((r) => r.type === 'StrategyConfigured');
    expect(
      inputs.map((r) => [
        r.seq,
        r.topic,
        r.target,
        r.source,
        (r.data as StrategyConfigured).enabled,
      ]),
    ).toEqual([
      [offSeq, 'control.commands', 'strategy:a', 'config:test', false],
      [(on as { seq: number }).seq, 'control.commands', 'strategy:a', 'config:test', true],
    ]);
  });

  it('starts a strategy configured disabled and enables it live', async () => {
    t = await startTestSystem({ strategies: [ema('a', TCS, false)] });
    expect(t.system.strategies()[0]?.status).toBe('DISABLED');
    t.feed(10_000);
    expect(await signalsOf(t, 'a')).toBe(0);
    expect(t.system.configureStrategy(ema('a', TCS)).ok).toBe(true);
    t.feed(10_000);
    expect(await signalsOf(t, 'a')).toBeGreaterThan(0);
  });

  it('re-parameterizes live: new parameters, fresh indicator state', async () => {
    t = await startTestSystem({ strategies: [ema('a', TCS)] });
    t.feed(10_000);
    const r = t.system.configureStrategy({
      ...ema('a', TCS),
      params: { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 25 },
    });
    expect(r.ok).toBe(true);
    t.feed(20_000);
    const after = (await t.journal()).filter(
      (x) => x.type === 'TradingSignal' && x.seq > (r as { seq: number }).seq,
    );
    expect(after.length).toBeGreaterThan(0);
    for (const x of after) expect((x.data as TradingSignal).quantity).toBe(25);
  });

  it('refuses what needs a restart, and bad parameters, journaling nothing', async () => {
    t = await startTestSystem({ strategies: [ema('a', TCS)] });
    const before = t.system.bridge.lastSeq;
    expect(t.system.configureStrategy({ ...ema('a', RELIANCE) })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/restart/),
    });
    expect(t.system.configureStrategy({ ...ema('a', TCS), type: 'momentum' })).toMatchObject({
      ok: false,
    });
    expect(
      t.system.configureStrategy({ ...ema('a', TCS), params: { fast_period: -1 } }),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/invalid parameters/) });
    expect(t.system.configureStrategy(ema('zzz', TCS))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not configured at start/),
    });
    expect(t.system.bridge.lastSeq).toBe(before);
  });

  it('revives a faulted strategy from its last good context when its configuration is fixed', async () => {
    // A strategy that throws on every tick while `fail` is set; with no restarts allowed, the
    // first tick faults it.
    const fragile: AnyStrategyDefinition = {
      type: 'fragile',
      params: z.object({ fail: z.boolean(), quantity: z.number().int().min(1) }),
      init: () => ({ n: 0 }),
      clone: (st: { n: number }) => ({ ...st }),
      onTick(st: { n: number }, _tick: unknown, p: { fail: boolean; quantity: number }) {
        if (p.fail) throw new Error('fragile: told to fail');
        return ++st.n % 50 === 0
          ? { side: 'BUY', quantity: p.quantity, confidence: 1, reasoning: 'every 50 ticks' }
          : null;
      },
    };
    const cfg = (fail: boolean): StrategyConfig => ({
      id: 'f',
      type: 'fragile',
      params: { fail, quantity: 1 },
      instruments: [TCS],
      brokers: ['paper'],
      enabled: true,
    });
    t = await startTestSystem({
      strategies: [cfg(true), ema('b', RELIANCE)],
      extraStrategies: [fragile],
      budget: { maxRestarts: 0, windowMs: 60_000 },
    });
    t.feed(2_000);
    expect(t.system.strategies().find((s) => s.id === 'f')).toMatchObject({
      status: 'FAULTED',
      error: 'Error: fragile: told to fail',
    });
    const dead = (await t.journal()).filter((r) => r.type === 'DeadLettered');
    expect(dead.length).toBe(1);

    const r = t.system.configureStrategy(cfg(false), 'config:test');
    expect(r.ok).toBe(true);
    const seq = (r as { seq: number }).seq;
    expect(t.system.strategies().find((s) => s.id === 'f')?.status).toBe('RUNNING');
    t.feed(2_000);
    expect(await signalsOf(t, 'f', seq)).toBeGreaterThan(0);
    const j = await t.journal();
    // The revival is journaled, caused by the configuration input, before that input is delivered.
    const revived = j.find((x) => x.type === 'ActorRestarted' && x.seq > seq)!;
    expect(revived).toMatchObject({ causationSeq: seq, correlationSeq: seq });
    expect((revived.data as { error: string }).error).toMatch(
      /^revived \(configuration changed by config:test\) after it faulted with Error: fragile/,
    );
    // Nothing for it was dead-lettered by the change: the revived strategy took the input.
    expect(j.filter((x) => x.type === 'DeadLettered').length).toBe(1);
    // A second fault and a second fix work the same way (a fresh budget each time).
    expect(t.system.configureStrategy(cfg(true), 'config:test').ok).toBe(true);
    t.feed(500);
    expect(t.system.strategies().find((s) => s.id === 'f')?.status).toBe('FAULTED');
    expect(t.system.configureStrategy(cfg(false), 'config:test').ok).toBe(true);
    expect(t.system.strategies().find((s) => s.id === 'f')?.status).toBe('RUNNING');
  });
});
