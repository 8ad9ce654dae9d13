import { beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { JournalRecord } from '../../model/index.js';
import { recordCatalogue } from './catalogue.js';
import { brokerOfActor, RecordMetrics } from './record-metrics.js';

let registry: Registry;
let now: number;
let m: RecordMetrics;
beforeEach(() => {
  registry = new Registry();
  now = 0;
  m = new RecordMetrics(recordCatalogue(registry), () => now);
});

/** A journal record of `type` at `seq`; `data` gets the type too. */
function rec(
  seq: number,
  type: string,
  data: Record<string, unknown>,
  o: { cause?: number; broker?: JournalRecord['broker']; source?: string; topic?: string } = {},
): JournalRecord {
  return {
    seq,
    ts: 0,
    type,
    topic: o.topic ?? 'paper.x',
    source: o.source ?? 'trader:paper',
    target: null,
    correlationSeq: o.cause ?? seq,
    causationSeq: o.cause ?? 0,
    broker: o.broker ?? 'paper',
    key: '',
    data: { type, ...data },
  };
}

async function values(name: string) {
  const { values } = await registry.getSingleMetric(name)!.get();
  return values as {
    labels: Record<string, string | number>;
    value: number;
    metricName?: string;
  }[];
}

/** Label sets and values of a counter (or a histogram's `_sum` / `_count`), as `k=v,k=v` → value. */
async function byLabels(name: string, part = ''): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of await values(name)) {
    if (part !== '' && v.metricName !== name + part) continue;
    const key = Object.entries(v.labels)
      .filter(([k]) => k !== 'le')
      .map(([k, x]) => `${k}=${x}`)
      .join(',');
    out[key] = (out[key] ?? 0) + v.value;
  }
  return out;
}

const order = { broker: 'paper', clientOrderId: 'P1', strategyId: 's1', token: 738561 };

describe('RecordMetrics hop latencies', () => {
  it('measures each hop from the tap time of its cause, on the monotonic clock', async () => {
    now = 10;
    m.ticks(100, 1); // ticks 1..100
    now = 10.25;
    m.record(rec(101, 'TradingSignal', { ...order }, { cause: 50, source: 'strategy:s1' }));
    now = 10.5;
    m.record(rec(102, 'SignalValidated', {}, { cause: 101, source: 'risk-gate:paper' }));
    now = 11;
    m.record(rec(103, 'SubmitOrder', { ...order, quantity: 10 }, { cause: 102 }));
    now = 12;
    m.record(rec(104, 'OrderAccepted', { ...order }, { cause: 103 }));
    now = 13;
    m.record(
      rec(
        105,
        'OrderFilled',
        { ...order, quantity: 4, side: 'BUY', price: 100, slippage: 0 },
        { cause: 103 },
      ),
    );
    now = 15;
    m.record(
      rec(
        106,
        'OrderFilled',
        { ...order, quantity: 6, side: 'BUY', price: 100, slippage: 0 },
        { cause: 1 },
      ),
    );
    // Causes that are not the hop's (a signal caused by a fill, a validation of no known signal).
    m.record(rec(107, 'TradingSignal', { ...order }, { cause: 106, source: 'strategy:s1' }));
    m.record(rec(108, 'SignalValidated', {}, { cause: 50, source: 'risk-gate:paper' }));

    const sums = await byLabels('alpha_panda_hop_latency_seconds', '_sum');
    const counts = await byLabels('alpha_panda_hop_latency_seconds', '_count');
    expect(counts).toEqual({
      'broker=paper,hop=tick_to_signal': 1,
      'broker=paper,hop=signal_to_validated': 1,
      'broker=paper,hop=validated_to_order': 1,
      'broker=paper,hop=broker_round_trip': 1,
      'broker=paper,hop=order_to_fill': 2,
      'broker=paper,hop=tick_to_order': 1,
      'broker=paper,hop=tick_to_fill': 2,
    });
    expect(sums['broker=paper,hop=tick_to_signal']).toBeCloseTo(0.00025, 12);
    expect(sums['broker=paper,hop=signal_to_validated']).toBeCloseTo(0.00025, 12);
    expect(sums['broker=paper,hop=validated_to_order']).toBeCloseTo(0.0005, 12);
    expect(sums['broker=paper,hop=broker_round_trip']).toBeCloseTo(0.001, 12);
    expect(sums['broker=paper,hop=order_to_fill']).toBeCloseTo(0.002 + 0.004, 12);
    // From the tick batch's journaling (10 ms) to the order (11 ms) and to each fill (13, 15 ms).
    expect(sums['broker=paper,hop=tick_to_order']).toBeCloseTo(0.001, 12);
    expect(sums['broker=paper,hop=tick_to_fill']).toBeCloseTo(0.003 + 0.005, 12);
    expect(await byLabels('alpha_panda_orders_total')).toEqual({
      'broker=paper,status=submitted': 1,
      'broker=paper,status=accepted': 1,
      'broker=paper,status=partially_filled': 1,
      'broker=paper,status=filled': 1,
    });
    expect(await byLabels('alpha_panda_signals_total')).toEqual({ 'broker=paper,strategy=s1': 2 });
  });

  it('times the ticks of an announced batch from its arrival, once', async () => {
    now = 1;
    m.arrived();
    now = 3; // ingress journals the batch 2 ms after it arrived
    m.ticks(10, 1); // ticks 1..10
    now = 4;
    m.record(rec(11, 'TradingSignal', { ...order }, { cause: 5, source: 'strategy:s1' }));
    now = 5;
    m.ticks(10, 12); // ticks 12..21, not announced: timed from the tap
    now = 6;
    m.record(rec(22, 'TradingSignal', { ...order }, { cause: 15, source: 'strategy:s1' }));
    const sums = await byLabels('alpha_panda_hop_latency_seconds', '_sum');
    expect(sums['broker=paper,hop=tick_to_signal']).toBeCloseTo(0.003 + 0.001, 12);
    expect(m.lastTickAt).toBe(5);
  });

  it("times a remote broker's round trip to its reply input, once per order", async () => {
    const z = { ...order, broker: 'zerodha', clientOrderId: 'Z1' };
    now = 100;
    m.record(rec(1, 'SubmitOrder', { ...z, quantity: 5 }, { broker: 'zerodha' }));
    now = 140;
    const reply = { type: 'OrderAccepted', ...z, brokerOrderId: 'X' };
    m.record(rec(2, 'BrokerReplied', { reply }, { broker: 'zerodha', source: 'broker:zerodha' }));
    now = 141;
    m.record(rec(3, 'OrderAccepted', { ...z }, { broker: 'zerodha', cause: 2 }));
    m.record(rec(4, 'OrderRejected', { ...z, code: 'BROKER_ERROR' }, { broker: 'zerodha' }));
    const sums = await byLabels('alpha_panda_hop_latency_seconds', '_sum');
    expect(sums).toEqual({ 'broker=zerodha,hop=broker_round_trip': 0.04 });
    expect(await byLabels('alpha_panda_order_rejections_total')).toEqual({
      'broker=zerodha,code=BROKER_ERROR': 1,
    });
    expect((await byLabels('alpha_panda_orders_total'))['broker=zerodha,status=rejected']).toBe(1);
  });
});

describe('RecordMetrics halts and loss limits', () => {
  const changed = (seq: number, cause: number, to: string, reason: string, strategyId?: string) =>
    rec(
      seq,
      'TradingStateChanged',
      { broker: 'paper', from: 'ACTIVE', to, reason, ...(strategyId ? { strategyId } : {}) },
      { cause, broker: 'paper', source: 'risk-gate:paper', topic: 'system.events' },
    );

  it('names what halted trading from the input that caused the change, or the loss limit', async () => {
    const input = (seq: number, type: string, data: Record<string, unknown> = {}) =>
      m.record(rec(seq, type, { broker: 'paper', reason: 'r', ...data }, { source: 'operator' }));
    input(1, 'KillSwitch');
    m.record(changed(2, 1, 'HALTED', 'kill switch: r'));
    input(3, 'SetTradingState', { state: 'HALTED', authority: 'journal' });
    m.record(changed(4, 3, 'HALTED', 'journal backlog'));
    input(5, 'SetTradingState', { state: 'HALTED', authority: 'broker' });
    m.record(changed(6, 5, 'HALTED', 'session expired'));
    input(7, 'HaltTrading');
    m.record(changed(8, 7, 'HALTED', 'r', 's1'));
    input(9, 'SetTradingState', { state: 'HALTED' });
    m.record(changed(10, 9, 'HALTED', 'r'));
    m.record(changed(11, 0, 'HALTED', 'loss limit dailyLossLimitPerStrategy: ...: HALTED', 's1'));
    m.record(changed(12, 0, 'REDUCING', 'loss limit dailyLossLimitPerBroker: ...: REDUCING'));
    m.record(changed(13, 3, 'ACTIVE', 'journal drained'));
    m.record(changed(14, 99, 'HALTED', 'something else'));
    expect(await byLabels('alpha_panda_trading_halts_total')).toEqual({
      'broker=paper,reason_kind=kill_switch': 1,
      'broker=paper,reason_kind=journal': 1,
      'broker=paper,reason_kind=session': 1,
      'broker=paper,reason_kind=operator': 2,
      'broker=paper,reason_kind=loss_limit': 1,
      'broker=paper,reason_kind=other': 1,
    });
    expect(await byLabels('alpha_panda_loss_limit_hits_total')).toEqual({
      'broker=paper,strategy=s1': 1,
      'broker=paper,strategy=_broker': 1,
    });
  });
});

describe('RecordMetrics other records', () => {
  it("observes paper fills' slippage as a ratio of the reference price, only paper's", async () => {
    const fill = (seq: number, broker: string, side: string, price: number, slippage: number) =>
      m.record(
        rec(seq, 'OrderFilled', {
          ...order,
          broker,
          clientOrderId: `C${seq}`,
          side,
          price,
          slippage,
          quantity: 1,
        }),
      );
    fill(1, 'paper', 'BUY', 100_050, 50); // reference 100,000
    fill(2, 'paper', 'SELL', 99_900, 100); // reference 100,000
    fill(3, 'paper', 'BUY', 100_000, 0);
    fill(4, 'zerodha', 'BUY', 100_050, 50);
    const sums = await byLabels('alpha_panda_paper_fill_slippage_ratio', '_sum');
    const counts = await byLabels('alpha_panda_paper_fill_slippage_ratio', '_count');
    expect(counts).toEqual({ 'strategy=s1': 3 });
    expect(sums['strategy=s1']).toBeCloseTo(0.0005 + 0.001, 12);
    // Fills of orders submitted before metrics started count as complete.
    expect(await byLabels('alpha_panda_orders_total')).toEqual({
      'broker=paper,status=filled': 3,
      'broker=zerodha,status=filled': 1,
    });
  });

  it('counts feed gaps as they open, dead letters by DLQ topic, restarts and faults by actor', async () => {
    const gap = (seq: number, phase: string) =>
      m.record(
        rec(
          seq,
          'FeedGap',
          { phase },
          { broker: 'shared', source: 'feed:kite', topic: 'market.feed' },
        ),
      );
    gap(1, 'opened');
    gap(2, 'closed');
    m.record(rec(3, 'DeadLettered', {}, { topic: 'paper.signals.raw.dlq', broker: 'system' }));
    m.record(rec(4, 'ActorRestarted', { actorId: 'portfolio:paper:s1' }, { broker: 'system' }));
    m.record(rec(5, 'ActorFaulted', { actorId: 'strategy:s1' }, { broker: 'system' }));
    m.ticks(10, 6);
    expect(await byLabels('alpha_panda_feed_gaps_total')).toEqual({ 'broker=shared': 1 });
    expect(await byLabels('alpha_panda_dead_letters_total')).toEqual({
      'topic=paper.signals.raw.dlq': 1,
    });
    expect(await byLabels('alpha_panda_supervisor_restarts_total')).toEqual({
      'broker=paper,actor=portfolio:paper:s1': 1,
    });
    expect(await byLabels('alpha_panda_actor_faults_total')).toEqual({
      'broker=shared,actor=strategy:s1': 1,
    });
    expect(await byLabels('alpha_panda_feed_ticks_total')).toEqual({ '': 10 });
    expect(await byLabels('alpha_panda_events_total')).toEqual({
      'broker=shared,actor=feed,type=FeedGap': 2,
      'broker=shared,actor=feed,type=MarketTick': 10,
      'broker=shared,actor=trader,type=DeadLettered': 1,
      'broker=shared,actor=trader,type=ActorRestarted': 1,
      'broker=shared,actor=trader,type=ActorFaulted': 1,
    });
  });

  it('finds the broker of an actor id', () => {
    expect(brokerOfActor('risk-gate:paper')).toBe('paper');
    expect(brokerOfActor('portfolio:zerodha:s1')).toBe('zerodha');
    expect(brokerOfActor('strategy:paper')).toBe('shared');
    expect(brokerOfActor('supervisor:root')).toBe('shared');
    expect(brokerOfActor('feed')).toBe('shared');
  });
});
