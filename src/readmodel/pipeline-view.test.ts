import { describe, expect, it } from 'vitest';
import type { JournalRecord, MarketTick } from '../model/index.js';
import { PipelineReadModel } from './pipeline-view.js';

const T0 = Date.UTC(2026, 0, 5, 3, 45);

const rec = (seq: number, type: string, broker: string, ts = T0 + seq * 1000): JournalRecord => ({
  seq,
  ts,
  type,
  topic: 'x',
  source: 'test',
  target: null,
  correlationSeq: seq,
  causationSeq: 0,
  broker: broker as JournalRecord['broker'],
  key: 'k',
  data: {},
});

const ticks = (n: number) => Array.from({ length: n }, () => ({}) as MarketTick);

describe('PipelineReadModel', () => {
  it('lists every stage of the given brokers from the start, none active yet', () => {
    const m = new PipelineReadModel(['paper']);
    const s = m.stages(T0);
    expect(s.map((x) => `${x.broker}/${x.stage}`)).toEqual([
      'paper/signals',
      'paper/validated',
      'paper/rejected',
      'paper/orders',
      'paper/fills',
      'paper/failed',
      'shared/ticks',
    ]);
    expect(s[0]).toEqual({
      broker: 'paper',
      stage: 'signals',
      count: 0,
      lastSeq: null,
      lastAt: null,
      ageSeconds: null,
    });
  });

  it('counts each stage per broker with its last record, and ages it against the time given', () => {
    const m = new PipelineReadModel(['paper']);
    m.applyTicks(ticks(3), 1, T0);
    m.apply(rec(4, 'TradingSignal', 'paper'));
    m.apply(rec(5, 'SignalRejected', 'paper'));
    m.apply(rec(6, 'TradingSignal', 'zerodha'));
    m.apply(rec(7, 'SignalValidated', 'zerodha'));
    m.apply(rec(8, 'SubmitOrder', 'zerodha'));
    m.apply(rec(9, 'OrderAccepted', 'zerodha'));
    m.apply(rec(10, 'OrderFilled', 'zerodha'));
    m.apply(rec(11, 'TradingSignal', 'paper'));
    // A tick read back from the journal counts like one from the tap.
    m.apply(rec(12, 'MarketTick', 'shared', T0 + 20_000));
    const by = new Map(m.stages(T0 + 30_500).map((s) => [`${s.broker}/${s.stage}`, s]));
    expect(by.get('paper/signals')).toEqual({
      broker: 'paper',
      stage: 'signals',
      count: 2,
      lastSeq: 11,
      lastAt: new Date(T0 + 11_000).toISOString(),
      ageSeconds: 19,
    });
    expect(by.get('paper/rejected')).toMatchObject({ count: 1, lastSeq: 5 });
    expect(by.get('zerodha/signals')).toMatchObject({ count: 1, lastSeq: 6 });
    expect(by.get('zerodha/validated')).toMatchObject({ count: 1, lastSeq: 7 });
    expect(by.get('zerodha/orders')).toMatchObject({ count: 1, lastSeq: 8 });
    expect(by.get('zerodha/fills')).toMatchObject({ count: 1, lastSeq: 10 });
    expect(by.get('zerodha/failed')).toMatchObject({ count: 0, lastSeq: null });
    expect(by.get('shared/ticks')).toMatchObject({ count: 4, lastSeq: 12, ageSeconds: 10 });
    // OrderAccepted is no stage, as in the Redis projection.
    expect([...by.values()].reduce((n, s) => n + s.count, 0)).toBe(11);
    // A clock behind the last record never gives a negative age.
    expect(m.stages(T0).find((s) => s.stage === 'ticks')?.ageSeconds).toBe(0);
  });

  it('takes a tick batch as the tap gives it: its size, its last seq and its time', () => {
    const m = new PipelineReadModel();
    m.applyTicks(ticks(100), 41, T0 + 5000);
    m.applyTicks([], 141, T0 + 9000);
    expect(m.stages(T0 + 5000)).toEqual([
      {
        broker: 'shared',
        stage: 'ticks',
        count: 100,
        lastSeq: 140,
        lastAt: new Date(T0 + 5000).toISOString(),
        ageSeconds: 0,
      },
    ]);
  });
});
