import { describe, expect, it } from 'vitest';
import type { JournalRecord, MarketTick, PortfolioSnapshot } from '../model/index.js';
import { PortfolioReadModel } from '../readmodel/index.js';
import { PortfolioChanges } from './portfolio-changes.js';

const RELIANCE = 738561;
const TCS = 2953217;

function snapshot(strategyId: string, tokens: number[]): PortfolioSnapshot {
  return {
    type: 'PortfolioSnapshot',
    broker: 'paper',
    strategyId,
    cash: 1_000_000,
    fees: 0,
    realizedPnl: 0,
    unrealizedPnl: 0,
    positions: tokens.map((token) => ({
      token,
      quantity: 10,
      averagePrice: 100_000,
      costBasis: 1_000_000,
      lastPrice: 100_000,
      realizedPnl: 0,
      unrealizedPnl: 0,
    })),
    fills: tokens.length,
    dayPnl: 0,
  } as unknown as PortfolioSnapshot;
}

const rec = (seq: number, type: string, data: unknown): JournalRecord => ({
  seq,
  ts: 0,
  type,
  topic: 'x',
  source: 'test',
  target: null,
  correlationSeq: seq,
  causationSeq: 0,
  broker: 'paper',
  key: 'k',
  data,
});

const tick = (token: number, lastPrice: number) => ({ token, lastPrice }) as MarketTick;

/** A read model and its changes, fed in the daemon's order: the read model first. */
function rig() {
  const views = new PortfolioReadModel();
  views.declare(snapshot('a', []), 5);
  views.declare(snapshot('b', []), 5);
  const changes = new PortfolioChanges(views);
  const heard: string[] = [];
  changes.subscribe((k) => heard.push(k));
  return {
    changes,
    heard,
    apply(r: JournalRecord) {
      views.apply(r);
      changes.apply(r);
    },
    ticks(ts: MarketTick[], firstSeq: number) {
      views.applyTicks(ts);
      changes.applyTicks(ts, firstSeq);
    },
  };
}

describe('PortfolioChanges', () => {
  it('starts with the portfolios the read model holds, changed as of their seq', () => {
    const { changes } = rig();
    expect(changes.changedAfter(null).map((c) => [c.key, c.changedSeq])).toEqual([
      ['paper:a', 5],
      ['paper:b', 5],
    ]);
    expect(changes.changedAfter(5)).toEqual([]);
    expect(changes.get('paper:a')?.view.strategyId).toBe('a');
    expect(changes.get('paper:nope')).toBeUndefined();
  });

  it('dates a change by its snapshot, its orders and the ticks of what it holds, and only those', () => {
    const r = rig();
    r.apply(rec(10, 'PortfolioSnapshot', snapshot('a', [RELIANCE])));
    r.apply(
      rec(11, 'SubmitOrder', { broker: 'paper', strategyId: 'b', clientOrderId: 'X', token: TCS }),
    );
    r.apply(rec(12, 'PnlSnapshot', { broker: 'paper', strategyId: 'b' }));
    r.ticks([tick(TCS, 1), tick(RELIANCE, 100_500), tick(TCS, 2)], 13);
    expect(r.heard).toEqual(['paper:a', 'paper:b', 'paper:a']);
    expect(r.changes.changedAfter(10).map((c) => [c.key, c.changedSeq])).toEqual([
      ['paper:b', 11],
      ['paper:a', 14],
    ]);
    // The view is the read model's, marked to the tick.
    expect(r.changes.get('paper:a')?.view.positions[0]?.lastPrice).toBe(100_500);

    // Once a's snapshot no longer holds RELIANCE, its ticks change nothing.
    r.apply(rec(20, 'PortfolioSnapshot', snapshot('a', [TCS])));
    r.ticks([tick(RELIANCE, 101_000)], 21);
    expect(r.changes.changedAfter(19).map((c) => [c.key, c.changedSeq])).toEqual([['paper:a', 20]]);
    r.ticks([tick(TCS, 3)], 22);
    expect(r.changes.get('paper:a')?.changedSeq).toBe(22);
  });

  it('stops telling a listener once it unsubscribes', () => {
    const views = new PortfolioReadModel();
    const changes = new PortfolioChanges(views);
    const heard: string[] = [];
    const stop = changes.subscribe((k) => heard.push(k));
    changes.apply(rec(1, 'OrderFilled', { broker: 'paper', strategyId: 'a' }));
    stop();
    changes.apply(rec(2, 'OrderFilled', { broker: 'paper', strategyId: 'a' }));
    expect(heard).toEqual(['paper:a']);
    // A portfolio the read model does not list is not reported.
    expect(changes.changedAfter(null)).toEqual([]);
  });
});
