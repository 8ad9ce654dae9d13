import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../model/index.js';
import { SignalReadModel } from './signal-view.js';

const T0 = Date.UTC(2026, 0, 5, 3, 45);

function signal(broker: string, strategyId: string, token: number, side = 'BUY') {
  return {
    type: 'TradingSignal',
    broker,
    strategyId,
    token,
    side,
    quantity: 10,
    price: 123_405,
    confidence: 0.7,
    reasoning: 'crossed',
    tickSeq: 1,
  };
}

function rec(seq: number, type: string, data: unknown, broker = 'paper'): JournalRecord {
  return {
    seq,
    ts: T0 + seq * 1000,
    type,
    topic: `${broker}.signals.x`,
    source: 'test',
    target: null,
    correlationSeq: seq - 1,
    causationSeq: seq - 1,
    broker: broker as JournalRecord['broker'],
    key: 'k',
    data,
  };
}

const raw = (seq: number, b: string, s: string, t: number) =>
  rec(seq, 'TradingSignal', signal(b, s, t), b);
const validated = (seq: number, b: string, s: string, t: number) =>
  rec(seq, 'SignalValidated', { type: 'SignalValidated', broker: b, signal: signal(b, s, t) }, b);
const rejected = (seq: number, b: string, s: string, t: number, code: string) =>
  rec(
    seq,
    'SignalRejected',
    { type: 'SignalRejected', broker: b, signal: signal(b, s, t), code, detail: `why ${seq}` },
    b,
  );

describe('SignalReadModel', () => {
  it('keeps signals, validations and rejections as rows, newest first, and ignores the rest', () => {
    const m = new SignalReadModel();
    m.apply(raw(1, 'paper', 'a', 738561));
    m.apply(rec(2, 'MarketTick', { token: 738561 }, 'shared'));
    m.apply(validated(3, 'paper', 'a', 738561));
    m.apply(rejected(4, 'zerodha', 'b', 408065, 'PRICE_OUTSIDE_BAND'));
    m.apply(rec(5, 'SubmitOrder', { broker: 'paper' }));
    const page = m.list({ limit: 10 });
    expect(page.nextBeforeSeq).toBeNull();
    expect(page.signals.map((r) => [r.seq, r.type])).toEqual([
      [4, 'SignalRejected'],
      [3, 'SignalValidated'],
      [1, 'TradingSignal'],
    ]);
    expect(page.signals[0]).toEqual({
      seq: 4,
      at: new Date(T0 + 4000).toISOString(),
      type: 'SignalRejected',
      broker: 'zerodha',
      strategyId: 'b',
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 10,
      price: { rupees: '1234.05', paise: 123_405 },
      confidence: 0.7,
      reasoning: 'crossed',
      code: 'PRICE_OUTSIDE_BAND',
      detail: 'why 4',
      correlationSeq: 3,
    });
    expect(page.signals[1]).not.toHaveProperty('code');
  });

  it('filters by broker, strategy, instrument, type and code', () => {
    const m = new SignalReadModel();
    m.apply(raw(1, 'paper', 'a', 1));
    m.apply(raw(2, 'paper', 'b', 2));
    m.apply(rejected(3, 'paper', 'a', 1, 'MAX_DAILY_TRADES'));
    m.apply(rejected(4, 'zerodha', 'a', 1, 'PRICE_OUTSIDE_BAND'));
    m.apply(validated(5, 'zerodha', 'a', 2));
    const seqs = (f: Parameters<SignalReadModel['list']>[0]) => m.list(f).signals.map((r) => r.seq);
    expect(seqs({ limit: 10, broker: 'zerodha' })).toEqual([5, 4]);
    expect(seqs({ limit: 10, strategyId: 'b' })).toEqual([2]);
    expect(seqs({ limit: 10, instrumentToken: 1 })).toEqual([4, 3, 1]);
    expect(seqs({ limit: 10, type: 'SignalRejected' })).toEqual([4, 3]);
    expect(seqs({ limit: 10, code: 'MAX_DAILY_TRADES' })).toEqual([3]);
    expect(seqs({ limit: 10, broker: 'paper', type: 'TradingSignal', strategyId: 'a' })).toEqual([
      1,
    ]);
  });

  it('pages by seq: each page continues below the last, and the last page says so', () => {
    const m = new SignalReadModel();
    for (let s = 1; s <= 7; s++) m.apply(raw(s * 2, 'paper', 'a', 1));
    const p1 = m.list({ limit: 3 });
    expect(p1.signals.map((r) => r.seq)).toEqual([14, 12, 10]);
    expect(p1.nextBeforeSeq).toBe(10);
    const p2 = m.list({ limit: 3, beforeSeq: p1.nextBeforeSeq! });
    expect(p2.signals.map((r) => r.seq)).toEqual([8, 6, 4]);
    const p3 = m.list({ limit: 3, beforeSeq: p2.nextBeforeSeq! });
    expect(p3).toEqual({ signals: [expect.objectContaining({ seq: 2 })], nextBeforeSeq: null });
    // Exactly a page left: no next page is promised.
    expect(m.list({ limit: 1, beforeSeq: 4 }).nextBeforeSeq).toBeNull();
    // A beforeSeq between rows, or below all of them.
    expect(m.list({ limit: 2, beforeSeq: 9 }).signals.map((r) => r.seq)).toEqual([8, 6]);
    expect(m.list({ limit: 2, beforeSeq: 1 })).toEqual({ signals: [], nextBeforeSeq: null });
  });

  it('keeps only the latest `capacity` rows', () => {
    const m = new SignalReadModel(3);
    for (let s = 1; s <= 20; s++) m.apply(raw(s, 'paper', 'a', 1));
    expect(m.list({ limit: 10 }).signals.map((r) => r.seq)).toEqual([20, 19, 18]);
    expect(m.list({ limit: 10, beforeSeq: 18 })).toEqual({ signals: [], nextBeforeSeq: null });
    expect(() => new SignalReadModel(0)).toThrow(/capacity/);
  });
});
