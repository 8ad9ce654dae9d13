import { afterEach, describe, expect, it } from 'vitest';
import type { Registry } from 'prom-client';
import type {
  DeadLettered,
  JournalRecord,
  OrderFilled,
  SignalRejected,
  TradingSignal,
} from '../../model/index.js';
import {
  faultyStrategy,
  RELIANCE,
  steadyAndFaulty,
} from '../../../test/helpers/faulty-strategy.js';
import { instruments, startTestSystem, type TestSystem } from '../../../test/helpers/system.js';
import { startPortfolioView } from '../read-models.js';
import { HOPS, startMetrics, type Metrics } from './index.js';

const START = Date.UTC(2026, 0, 5, 3, 45);

interface Sample {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName?: string;
}

/** The samples of metric `name` (histograms: of its `_count`, `_sum` or `_bucket` by `part`). */
async function samples(registry: Registry, name: string, part?: string): Promise<Sample[]> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name} in the registry`);
  const { values } = await metric.get();
  return (values as Sample[]).filter((v) => part === undefined || v.metricName === name + part);
}

/** The sum of the samples of `name` whose labels include `where`. */
async function total(
  registry: Registry,
  name: string,
  where: Record<string, string> = {},
  part?: string,
): Promise<number> {
  return (await samples(registry, name, part))
    .filter((s) => Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

/** Counts of `records` by a key. */
function countBy(records: readonly JournalRecord[], key: (r: JournalRecord) => string) {
  const out = new Map<string, number>();
  for (const r of records) out.set(key(r), (out.get(key(r)) ?? 0) + 1);
  return out;
}

let t: TestSystem | undefined;
let metrics: Metrics | undefined;
afterEach(async () => {
  metrics?.close();
  metrics = undefined;
  await t?.close();
  t = undefined;
});

describe('startMetrics on a running system', () => {
  it('counts what the journal holds: signals, orders, fills, rejections, dead letters, restarts, faults, halts, ticks', async () => {
    const idx = instruments().findIndex((i) => i.token === RELIANCE);
    const poisonTs = START + 10 * (20 * 100 + idx + 1);
    t = await startTestSystem({
      strategies: steadyAndFaulty(poisonTs, true),
      extraStrategies: [faultyStrategy],
      clockStart: START,
      budget: { maxRestarts: 1, windowMs: 60_000 },
    });
    const sys = t.system;
    const startSeq = sys.switchboard.lastSeq;
    const portfolios = startPortfolioView(sys, null);
    let mono = 0;
    metrics = startMetrics(sys, {
      enabled: true,
      // Every read moves the clock 1 ms on: each measured hop takes a whole number of ms > 0.
      monotonicMs: () => ++mono,
      wallMs: () => t!.clock.now(),
      portfolios,
      lastSnapshot: () => ({ seq: 7, atMs: START }),
      feed: () => ({ source: 'mock', connections: [{ connection: 0, open: true }] }),
    });
    const reg = metrics.registry;

    t.feed(10_000);
    sys.setTradingState('paper', 'HALTED', 'halted by the operator');
    t.feed(5_000);
    sys.setTradingState('paper', 'ACTIVE', 'resumed by the operator');
    t.feed(5_000);
    const journal = (await t.journal()).filter((r) => r.seq > startSeq);
    const of = (type: string) => journal.filter((r) => r.type === type);

    expect(await total(reg, 'alpha_panda_events_total')).toBe(journal.length);
    expect(
      await total(reg, 'alpha_panda_events_total', { type: 'MarketTick', actor: 'feed' }),
    ).toBe(of('MarketTick').length);
    expect(await total(reg, 'alpha_panda_feed_ticks_total')).toBe(of('MarketTick').length);
    const events = await samples(reg, 'alpha_panda_events_total');
    expect(new Set(events.map((s) => s.labels['actor']))).toEqual(
      new Set(['feed', 'strategy', 'risk-gate', 'trader', 'portfolio', 'supervisor', 'operator']),
    );

    const signals = countBy(of('TradingSignal'), (r) => (r.data as TradingSignal).strategyId);
    expect(signals.get('steady_ema')).toBeGreaterThan(0);
    for (const [strategy, n] of signals)
      expect(await total(reg, 'alpha_panda_signals_total', { broker: 'paper', strategy })).toBe(n);
    const denials = countBy(of('SignalRejected'), (r) => (r.data as SignalRejected).code);
    expect(denials.get('TRADING_HALTED')).toBeGreaterThan(0);
    for (const [code, n] of denials)
      expect(await total(reg, 'alpha_panda_signal_rejections_total', { code })).toBe(n);

    expect(of('SubmitOrder').length).toBeGreaterThan(0);
    expect(of('OrderFilled').length).toBeGreaterThan(0);
    const orders = (status: string) =>
      total(reg, 'alpha_panda_orders_total', { broker: 'paper', status });
    expect(await orders('submitted')).toBe(of('SubmitOrder').length);
    expect(await orders('accepted')).toBe(of('OrderAccepted').length);
    expect((await orders('filled')) + (await orders('partially_filled'))).toBe(
      of('OrderFilled').length,
    );
    expect(await orders('rejected')).toBe(of('OrderRejected').length);
    expect(await orders('canceled')).toBe(of('OrderCanceled').length);

    const dlq = countBy(of('DeadLettered'), (r) => r.topic);
    expect(dlq.get('market.ticks.dlq')).toBeGreaterThan(0);
    for (const [topic, n] of dlq)
      expect(await total(reg, 'alpha_panda_dead_letters_total', { topic })).toBe(n);
    expect((of('DeadLettered')[0]!.data as DeadLettered).actorId).toBe('strategy:faulty_one');
    const actor = { broker: 'shared', actor: 'strategy:faulty_one' };
    expect(await total(reg, 'alpha_panda_supervisor_restarts_total', actor)).toBe(
      of('ActorRestarted').length,
    );
    expect(await total(reg, 'alpha_panda_actor_faults_total', actor)).toBe(1);
    expect(await total(reg, 'alpha_panda_strategy_faulted', { strategy: 'faulty_one' })).toBe(1);
    expect(await total(reg, 'alpha_panda_strategy_faulted', { strategy: 'steady_ema' })).toBe(0);
    expect(await samples(reg, 'alpha_panda_trading_halts_total')).toMatchObject([
      { labels: { broker: 'paper', reason_kind: 'operator' }, value: 1 },
    ]);
    const state = await samples(reg, 'alpha_panda_trading_state');
    expect(state.filter((s) => s.value === 1).map((s) => s.labels)).toEqual([
      { broker: 'paper', state: 'ACTIVE' },
    ]);
    expect(state).toHaveLength(4);

    // Every hop of the paper pipeline, one observation per record measured.
    const hopCount = (hop: string) =>
      total(reg, 'alpha_panda_hop_latency_seconds', { broker: 'paper', hop }, '_count');
    expect(await hopCount('tick_to_signal')).toBe(of('TradingSignal').length);
    expect(await hopCount('signal_to_validated')).toBe(of('SignalValidated').length);
    expect(await hopCount('validated_to_order')).toBe(of('SubmitOrder').length);
    expect(await hopCount('order_to_fill')).toBe(of('OrderFilled').length);
    expect(await hopCount('broker_round_trip')).toBe(of('SubmitOrder').length);
    for (const hop of HOPS)
      expect(
        await total(reg, 'alpha_panda_hop_latency_seconds', { hop }, '_sum'),
        hop,
      ).toBeGreaterThanOrEqual(0.001 * (await hopCount(hop)));
    expect(await total(reg, 'alpha_panda_paper_fill_slippage_ratio', {}, '_count')).toBe(
      of('OrderFilled').length,
    );

    // The journal: every write since the start observed, and the gauges at scrape time.
    expect(await total(reg, 'alpha_panda_journal_last_seq')).toBe(sys.bridge.lastSeq);
    expect(await total(reg, 'alpha_panda_journal_durable_seq')).toBe(sys.bridge.durableSeq);
    expect(await total(reg, 'alpha_panda_journal_backlog_records')).toBe(0);
    expect(await total(reg, 'alpha_panda_journal_flushed_records_total')).toBe(
      sys.bridge.durableSeq,
    );
    expect(await total(reg, 'alpha_panda_journal_flushed_bytes_total')).toBeGreaterThan(
      sys.bridge.durableSeq,
    );
    expect(await total(reg, 'alpha_panda_journal_flush_seconds', {}, '_count')).toBeGreaterThan(0);
    expect(await total(reg, 'alpha_panda_snapshot_seq')).toBe(7);
    expect(await total(reg, 'alpha_panda_snapshot_age_seconds')).toBe(
      (t.clock.now() - START) / 1000,
    );
    expect(await samples(reg, 'alpha_panda_feed_connected')).toMatchObject([
      { labels: { source: 'mock', connection: '0' }, value: 1 },
    ]);

    // Cash and PnL from the read model, in rupees.
    const steady = portfolios.get('paper', 'steady_ema')!;
    expect(steady.fills).toBe(
      of('OrderFilled').filter((r) => (r.data as OrderFilled).strategyId === 'steady_ema').length,
    );
    const where = { broker: 'paper', strategy: 'steady_ema' };
    expect(await total(reg, 'alpha_panda_cash_rupees', where)).toBe(steady.cash / 100);
    expect(await total(reg, 'alpha_panda_pnl_rupees', { ...where, kind: 'realized' })).toBe(
      steady.realizedPnl / 100,
    );
    expect(await total(reg, 'alpha_panda_pnl_rupees', { ...where, kind: 'total' })).toBe(
      steady.totalPnl / 100,
    );

    const text = await metrics.render();
    expect(metrics.contentType).toMatch(/^text\/plain/);
    expect(text).toContain('# TYPE alpha_panda_hop_latency_seconds histogram');
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });

  it('disabled: taps nothing, reads no clock, and serves the process metrics only', async () => {
    t = await startTestSystem({ strategies: steadyAndFaulty(0, false).slice(0, 1) });
    const portfolios = startPortfolioView(t.system, null);
    const sb = t.system.switchboard as unknown as { taps: unknown[]; tickTaps: unknown[] };
    const taps = [sb.taps.length, sb.tickTaps.length];
    metrics = startMetrics(t.system, {
      enabled: false,
      monotonicMs: () => {
        throw new Error('the monotonic clock is read with metrics disabled');
      },
      wallMs: () => 0,
      portfolios,
      lastSnapshot: () => null,
      feed: () => ({ source: 'mock', connections: [] }),
    });
    expect([sb.taps.length, sb.tickTaps.length]).toEqual(taps);
    t.feed(2_000);
    await t.system.bridge.flush();
    const text = await metrics.render();
    expect(text).not.toContain('alpha_panda_');
    expect(text).toContain('process_cpu_seconds_total');
    expect(metrics.registry.getSingleMetric('alpha_panda_events_total')).toBeUndefined();
  });
});
