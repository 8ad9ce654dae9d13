import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/helpers/system.js';
import type { StrategyChange } from '../config/index.js';
import type { JournalRecord, StrategyConfig, StrategyConfigured } from '../model/index.js';
import { strategyControl, type StrategyControl } from './strategy-control.js';

const TCS = 2953217;
const RELIANCE = 738561;
const PARAMS = { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 10 };

const ema = (id: string, token: number): StrategyConfig => ({
  id,
  type: 'ema_cross',
  params: PARAMS,
  instruments: [token],
  brokers: ['paper'],
  enabled: true,
});

/** A Postgres store stand-in that records each write and answers with `answer`. */
function fakeStore(t: TestSystem, answer: () => Promise<void> = () => Promise.resolve()) {
  const writes: { id: string; enabled: boolean; params: unknown; lastSeq: number }[] = [];
  const updateStrategy = vi.fn((id: string, enabled: boolean, params: Record<string, unknown>) => {
    writes.push({ id, enabled, params, lastSeq: t.system.bridge.lastSeq });
    return answer();
  });
  return { store: { updateStrategy }, writes };
}

function configured(records: readonly JournalRecord[]) {
  return records
    .filter((r) => r.type === 'StrategyConfigured')
    .map((r) => {
      const d = r.data as StrategyConfigured;
      return { seq: r.seq, key: r.key, source: r.source, enabled: d.enabled, params: d.params };
    });
}

let t: TestSystem | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function open(): Promise<{ t: TestSystem; control: StrategyControl }> {
  t = await startTestSystem({ strategies: [ema('a', TCS), ema('b', RELIANCE)] });
  return { t, control: strategyControl(t.system, null) };
}

describe('strategyControl.change', () => {
  it('journals a disable, an enable and merged parameters, each with its source', async () => {
    const { t, control } = await open();
    const off = await control.change('a', { enabled: false }, 'operator:asha');
    expect(off).toMatchObject({ ok: true, strategy: { id: 'a', enabled: false, params: PARAMS } });
    expect(t.system.strategies().find((s) => s.id === 'a')?.status).toBe('DISABLED');
    const on = await control.change('a', { enabled: true }, 'operator:asha');
    expect(on).toMatchObject({ ok: true, strategy: { status: 'RUNNING', enabled: true } });
    const p = await control.change('a', { params: { quantity: 25 } }, 'operator:ravi');
    const merged = { ...PARAMS, quantity: 25 };
    expect(p).toMatchObject({ ok: true, strategy: { enabled: true, params: merged } });
    expect(control.get('a')?.params).toEqual(merged);
    // The other strategy is untouched.
    expect(control.get('b')?.params).toEqual(PARAMS);

    const seqs = [off, on, p].map((r) => (r as { seq: number }).seq);
    expect(configured(await t.journal())).toEqual([
      { seq: seqs[0], key: 'a', source: 'operator:asha', enabled: false, params: PARAMS },
      { seq: seqs[1], key: 'a', source: 'operator:asha', enabled: true, params: PARAMS },
      { seq: seqs[2], key: 'a', source: 'operator:ravi', enabled: true, params: merged },
    ]);
  });

  it('refuses a misspelt parameter, naming the nearest, and journals and writes nothing', async () => {
    const { t } = await open();
    const { store } = fakeStore(t);
    const control = strategyControl(t.system, store);
    const before = t.system.bridge.lastSeq;
    const r = await control.change('a', { params: { quantiy: 5 } }, 'operator:asha');
    expect(r).toMatchObject({ ok: false, why: 'refused' });
    expect((r as { error: string }).error).toMatch(
      /unknown parameter "quantiy"; did you mean "quantity"\?/,
    );
    expect(store.updateStrategy).not.toHaveBeenCalled();
    expect(t.system.bridge.lastSeq).toBe(before);
    expect(control.get('a')?.params).toEqual(PARAMS);
    expect(configured(await t.journal())).toEqual([]);
  });

  it('answers not_found for an unknown id, naming how to list them', async () => {
    const { t } = await open();
    const { store } = fakeStore(t);
    const control = strategyControl(t.system, store);
    const r = await control.change('nope', { enabled: false }, 'operator:asha');
    expect(r).toEqual({
      ok: false,
      why: 'not_found',
      error: 'no strategy "nope"; GET /api/v1/strategies lists them',
    });
    expect(store.updateStrategy).not.toHaveBeenCalled();
    expect(control.get('nope')).toBeUndefined();
    expect(configured(await t.journal())).toEqual([]);
  });

  it('changes nothing when Postgres refuses the write', async () => {
    const { t } = await open();
    let down = true;
    const { store, writes } = fakeStore(t, () =>
      down
        ? Promise.reject(new Error('permission denied for table strategy_configurations'))
        : Promise.resolve(),
    );
    const control = strategyControl(t.system, store);
    const before = t.system.bridge.lastSeq;
    const r = await control.change('a', { params: { quantity: 25 }, enabled: false }, 'op');
    expect(r).toEqual({
      ok: false,
      why: 'store',
      error:
        'the change was not written to Postgres, so nothing changed: permission denied for table strategy_configurations',
    });
    expect(t.system.bridge.lastSeq).toBe(before);
    expect(control.get('a')).toMatchObject({ status: 'RUNNING', enabled: true, params: PARAMS });
    expect(configured(await t.journal())).toEqual([]);
    // Once Postgres is back, the next change merges into what runs, not into the refused one.
    down = false;
    const next = { ...PARAMS, bar_ticks: 7 };
    expect(await control.change('a', { params: { bar_ticks: 7 } }, 'op')).toMatchObject({
      ok: true,
      strategy: { enabled: true, params: next },
    });
    expect(writes.map((w) => [w.enabled, w.params])).toEqual([
      [false, { ...PARAMS, quantity: 25 }],
      [true, next],
    ]);
  });

  it('writes the merged configuration to Postgres before journaling it', async () => {
    const { t } = await open();
    let release!: () => void;
    const { store, writes } = fakeStore(t, () => new Promise<void>((r) => (release = r)));
    const control = strategyControl(t.system, store);
    const before = t.system.bridge.lastSeq;
    const pending = control.change('a', { params: { quantity: 25 } }, 'operator:asha');
    // The row is being written: nothing is journaled or live yet.
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    expect(writes[0]).toEqual({
      id: 'a',
      enabled: true,
      params: { ...PARAMS, quantity: 25 },
      lastSeq: before,
    });
    expect(t.system.bridge.lastSeq).toBe(before);
    expect(control.get('a')?.params).toEqual(PARAMS);
    release();
    const r = await pending;
    expect(r).toMatchObject({ ok: true, seq: before + 1 });
    expect(configured(await t.journal())).toEqual([
      {
        seq: before + 1,
        key: 'a',
        source: 'operator:asha',
        enabled: true,
        params: { ...PARAMS, quantity: 25 },
      },
    ]);
  });
  it('applies two changes sent at once one after the other, losing neither', async () => {
    const { t } = await open();
    const { store, writes } = fakeStore(t);
    const control = strategyControl(t.system, store);
    // Both arrive before Postgres has answered the first: the second must merge into the first.
    const [a, b] = await Promise.all([
      control.change('a', { params: { quantity: 25 } }, 'operator:asha'),
      control.change('a', { enabled: false }, 'operator:ravi'),
    ]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    const merged = { ...PARAMS, quantity: 25 };
    expect(writes.map((w) => [w.enabled, w.params])).toEqual([
      [true, merged],
      [false, merged],
    ]);
    expect(control.get('a')).toMatchObject({ enabled: false, params: merged });
    expect(configured(await t.journal()).map((c) => [c.source, c.enabled, c.params])).toEqual([
      ['operator:asha', true, merged],
      ['operator:ravi', false, merged],
    ]);
  });
});

describe('strategyControl.applyRow', () => {
  const row = (cfg: StrategyConfig, over: Partial<StrategyChange> = {}): StrategyChange => ({
    id: cfg.id,
    config: cfg,
    ...over,
  });

  it('journals nothing for the row of a change the API has just applied', async () => {
    const { t } = await open();
    const { store } = fakeStore(t);
    const control = strategyControl(t.system, store);
    const r = await control.change('a', { params: { quantity: 25 } }, 'operator:asha');
    expect(r.ok).toBe(true);
    const after = t.system.bridge.lastSeq;
    // As Postgres notifies it: the same row, its parameters in another key order.
    const notified: StrategyConfig = {
      ...ema('a', TCS),
      params: { quantity: 25, bar_ticks: 5, slow_period: 8, fast_period: 3 },
    };
    expect(control.applyRow(row(notified))).toEqual({ seq: null });
    expect(control.applyRow(row(notified, { catchUp: true }))).toEqual({ seq: null });
    expect(t.system.bridge.lastSeq).toBe(after);
    expect(configured(await t.journal()).map((c) => c.source)).toEqual(['operator:asha']);
  });

  it("journals a change once when its row's notification arrives before the write returns", async () => {
    const { t } = await open();
    const ref: { control?: StrategyControl } = {};
    const notified: StrategyConfig = {
      ...ema('a', TCS),
      params: { ...ema('a', TCS).params, quantity: 30 },
    };
    // Postgres commits and notifies; the daemon reads the notification before the UPDATE returns.
    const { store } = fakeStore(t, () => {
      expect(ref.control!.applyRow(row(notified))).toEqual({ seq: null });
      return Promise.resolve();
    });
    const control = (ref.control = strategyControl(t.system, store));
    const r = await control.change('a', { params: { quantity: 30 } }, 'operator:asha');
    expect(r.ok).toBe(true);
    expect(configured(await t.journal()).map((c) => c.source)).toEqual(['operator:asha']);
  });

  it('journals a different row as a change from Postgres, and a deleted row as a disable', async () => {
    const { t, control } = await open();
    const changed: StrategyConfig = { ...ema('a', TCS), params: { ...PARAMS, quantity: 40 } };
    const r = control.applyRow(row(changed));
    expect(r).toEqual({ seq: expect.any(Number) });
    expect(control.get('a')?.params).toEqual(changed.params);
    // Applied once: the same row again is nothing new.
    expect(control.applyRow(row(changed))).toEqual({ seq: null });
    const gone = control.applyRow({ id: 'a', config: null });
    expect(gone).toEqual({ seq: expect.any(Number) });
    expect(control.get('a')).toMatchObject({ enabled: false, status: 'DISABLED' });
    expect(configured(await t.journal())).toEqual([
      {
        seq: (r as { seq: number }).seq,
        key: 'a',
        source: 'config:postgres',
        enabled: true,
        params: changed.params,
      },
      {
        seq: (gone as { seq: number }).seq,
        key: 'a',
        source: 'config:postgres',
        enabled: false,
        params: changed.params,
      },
    ]);
  });

  it('reports a row that cannot apply live, journaling nothing', async () => {
    const { t, control } = await open();
    const before = t.system.bridge.lastSeq;
    const r = control.applyRow(row({ ...ema('a', TCS), instruments: [RELIANCE] }));
    expect(r).toEqual({ error: expect.stringMatching(/only with a restart/) });
    expect(control.applyRow(row(ema('zzz', TCS)))).toEqual({
      error: expect.stringMatching(/not configured at start/),
    });
    expect(t.system.bridge.lastSeq).toBe(before);
  });
});
