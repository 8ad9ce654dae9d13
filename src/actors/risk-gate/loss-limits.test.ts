import { describe, expect, it } from 'vitest';
import { DAY, MONDAY_10_IST, S1, TCS, gateRig } from '../../../test/helpers/risk-gate.js';

// Every strategy starts with ₹10,00,000 (100,000,000 paise); trades are at ₹1,000.00.

describe('loss limits: a strategy’s daily loss', () => {
  const limits = { dailyLossLimitPerStrategy: 500_000 };

  it('moves the strategy to REDUCING when it loses its limit, then only reducing orders pass', () => {
    const g = gateRig({ limits });
    g.tick(100_000);
    g.trade('BUY', 100);
    g.tick(96_000); // −400,000
    expect(g.changes()).toEqual([]);
    g.tick(95_000); // −500,000
    expect(g.changes()).toEqual([
      {
        type: 'TradingStateChanged',
        broker: 'paper',
        strategyId: 's1',
        from: 'ACTIVE',
        to: 'REDUCING',
        reason:
          'loss limit dailyLossLimitPerStrategy: strategy s1 lost 500000 paise since the start of 2026-01-05 (equity 100000000 → 99500000 paise), limit 500000 paise: REDUCING',
      },
    ]);
    expect(g.outcome('BUY', 1, { price: 95_000 })).toBe('REDUCE_ONLY');
    expect(g.outcome('SELL', 50, { price: 95_000 })).toBe('VALIDATED');
    expect(g.outcome('BUY', 1, { price: 95_000, strategy: 's2' })).toBe('VALIDATED');
  });

  it('counts fees: a fill alone can breach the limit', () => {
    const g = gateRig({ limits: { dailyLossLimitPerStrategy: 1_000 } });
    g.tick(100_000);
    g.trade('BUY', 10, {}, 999);
    expect(g.changes()).toEqual([]);
    g.trade('SELL', 10, {}, 1);
    expect(g.changes()).toMatchObject([{ strategyId: 's1', to: 'REDUCING' }]);
    expect(g.changes()[0]!.reason).toContain('lost 1000 paise');
  });

  it('is released on the next trading day, whose loss counts from that day’s start', () => {
    const g = gateRig({ limits });
    g.tick(100_000);
    g.trade('BUY', 100);
    g.tick(95_000);
    g.clock.set(MONDAY_10_IST + DAY);
    g.tick(94_500); // −50,000 today
    expect(g.changes().map((c) => [c.to, c.reason])).toEqual([
      ['REDUCING', expect.stringContaining('dailyLossLimitPerStrategy')],
      ['ACTIVE', 'trading day 2026-01-06 began: the daily loss limit is released'],
    ]);
    expect(g.ctx().equity[S1]).toMatchObject({
      day: '2026-01-06',
      dayStart: 99_500_000,
      equity: 99_450_000,
    });
    expect(g.outcome('BUY', 1, { price: 94_500 })).toBe('VALIDATED');
  });

  it('is released by an IST_MIDNIGHT timer, which also takes the day’s start equity', () => {
    const g = gateRig({ limits });
    g.tick(100_000);
    g.trade('BUY', 100);
    g.tick(95_000);
    g.actor.send({
      type: 'MarketTimerFired',
      kind: 'IST_MIDNIGHT',
      at: MONDAY_10_IST + 14 * 3_600_000,
      tradingDay: '2026-01-06',
    });
    expect(g.changes().at(-1)).toMatchObject({ strategyId: 's1', to: 'ACTIVE' });
    expect(g.ctx().equity[S1]).toMatchObject({ day: '2026-01-06', dayStart: 99_500_000 });
  });

  it('is cleared by ResumeTrading, and then counts the loss from the resume', () => {
    const g = gateRig({ limits });
    g.tick(100_000);
    g.trade('BUY', 100);
    g.tick(95_000);
    g.actor.send({ type: 'ResumeTrading', broker: 'paper', strategyId: S1, reason: 'accepted' });
    expect(g.changes().at(-1)).toMatchObject({
      from: 'REDUCING',
      to: 'ACTIVE',
      reason: 'accepted',
    });
    g.tick(90_100); // −490,000 since the resume
    expect(g.outcome('BUY', 1, { price: 90_100 })).toBe('VALIDATED');
    g.tick(90_000); // −500,000 since the resume
    expect(g.changes().at(-1)).toMatchObject({ to: 'REDUCING' });
  });

  it('re-values only strategies holding a ticked instrument', () => {
    const g = gateRig({ limits });
    g.tick(100_000);
    g.trade('BUY', 100);
    const equity = g.ctx().equity;
    g.tick(300_000, TCS);
    expect(g.ctx().equity).toBe(equity);
    g.tick(99_000);
    expect(g.ctx().equity[S1]!.equity).toBe(99_900_000);
  });
});

describe('loss limits: the broker’s daily loss', () => {
  it('moves the broker to its action when its strategies together lose the limit', () => {
    const g = gateRig({ limits: { dailyLossLimitPerBroker: 500_000, lossLimitAction: 'HALTED' } });
    g.tick(100_000);
    g.trade('BUY', 100);
    g.trade('BUY', 100, { strategy: 's2' });
    g.tick(97_600); // −240,000 each
    expect(g.changes()).toEqual([]);
    g.tick(97_500); // −250,000 each
    expect(g.changes()).toEqual([
      {
        type: 'TradingStateChanged',
        broker: 'paper',
        from: 'ACTIVE',
        to: 'HALTED',
        reason:
          'loss limit dailyLossLimitPerBroker: the strategies of broker paper lost 500000 paise together since the start of 2026-01-05, limit 500000 paise: HALTED',
      },
    ]);
    expect(g.outcome('SELL', 1, { price: 97_500 })).toBe('TRADING_HALTED');
    expect(g.outcome('SELL', 1, { price: 97_500, strategy: 's2' })).toBe('TRADING_HALTED');
    // A broker-wide resume forgives the loss so far; the next limit's worth halts it again.
    g.actor.send({ type: 'ResumeTrading', broker: 'paper', reason: 'accepted' });
    expect(g.outcome('SELL', 1, { price: 97_500 })).toBe('VALIDATED');
    g.tick(95_000);
    expect(g.changes().map((c) => c.to)).toEqual(['HALTED', 'ACTIVE', 'HALTED']);
  });
});

describe('loss limits: drawdown', () => {
  const limits = { maxDrawdownPerStrategy: 300_000, lossLimitAction: 'HALTED' as const };

  it('halts a strategy that falls its limit below its peak, until ResumeTrading', () => {
    const g = gateRig({ limits });
    g.tick(100_000);
    g.trade('BUY', 100);
    g.tick(110_000); // peak 101,000,000
    g.tick(107_100);
    expect(g.changes()).toEqual([]);
    g.tick(107_000); // 300,000 below the peak, though 700,000 up on the day
    expect(g.changes()).toEqual([
      {
        type: 'TradingStateChanged',
        broker: 'paper',
        strategyId: 's1',
        from: 'ACTIVE',
        to: 'HALTED',
        reason:
          'loss limit maxDrawdownPerStrategy: strategy s1 is 300000 paise below its peak (equity 101000000 → 100700000 paise), limit 300000 paise: HALTED',
      },
    ]);
    expect(g.outcome('SELL', 1, { price: 107_000 })).toBe('TRADING_HALTED');
    // A new day does not release a drawdown.
    g.clock.set(MONDAY_10_IST + DAY);
    g.tick(107_000);
    expect(g.changes()).toHaveLength(1);
    expect(g.outcome('SELL', 1, { price: 107_000 })).toBe('TRADING_HALTED');
    // ResumeTrading does, and the peak starts again from the equity then.
    g.actor.send({ type: 'ResumeTrading', broker: 'paper', strategyId: S1, reason: 'reviewed' });
    g.tick(104_100);
    expect(g.outcome('SELL', 1, { price: 104_100 })).toBe('VALIDATED');
    g.tick(104_000);
    expect(g.changes().map((c) => c.to)).toEqual(['HALTED', 'ACTIVE', 'HALTED']);
  });
});
