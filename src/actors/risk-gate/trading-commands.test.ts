import { describe, expect, it } from 'vitest';
import type { TradingState } from '../../model/index.js';
import { S1, S2, gateRig, signalOf } from '../../../test/helpers/risk-gate.js';

type Rig = ReturnType<typeof gateRig>;

const halt = (g: Rig, strategyId?: typeof S1, reason = 'operator halt') =>
  g.actor.send({
    type: 'HaltTrading',
    broker: 'paper',
    reason,
    ...(strategyId ? { strategyId } : {}),
  });
const reduce = (g: Rig, strategyId?: typeof S1, reason = 'operator reduce') =>
  g.actor.send({
    type: 'ReduceOnly',
    broker: 'paper',
    reason,
    ...(strategyId ? { strategyId } : {}),
  });
const resume = (g: Rig, strategyId?: typeof S1, reason = 'operator resume') =>
  g.actor.send({
    type: 'ResumeTrading',
    broker: 'paper',
    reason,
    ...(strategyId ? { strategyId } : {}),
  });
const journal = (g: Rig, state: 'HALTED' | 'ACTIVE') =>
  g.actor.send({
    type: 'SetTradingState',
    broker: 'paper',
    state,
    reason: state === 'HALTED' ? 'JournalBacklogExceeded' : 'journal backlog drained',
    authority: 'journal',
  });
const operator = (g: Rig, state: TradingState, reason = 'operator') =>
  g.actor.send({ type: 'SetTradingState', broker: 'paper', state, reason });

describe('risk gate: strategy trading states', () => {
  it('halting one strategy leaves another trading', () => {
    const g = gateRig();
    g.tick();
    halt(g, S1, 'risk review');
    expect(g.changes()).toEqual([
      {
        type: 'TradingStateChanged',
        broker: 'paper',
        strategyId: 's1',
        from: 'ACTIVE',
        to: 'HALTED',
        reason: 'risk review',
      },
    ]);
    const d = g.decide(signalOf('BUY', 1));
    expect(d).toMatchObject({
      code: 'TRADING_HALTED',
      detail: 'trading is HALTED for strategy s1 on paper (operator: risk review)',
    });
    expect(g.outcome('SELL', 1)).toBe('TRADING_HALTED');
    expect(g.outcome('BUY', 1, { strategy: 's2' })).toBe('VALIDATED');
    resume(g, S1);
    expect(g.outcome('BUY', 1)).toBe('VALIDATED');
    expect(g.changes().at(-1)).toMatchObject({ strategyId: 's1', from: 'HALTED', to: 'ACTIVE' });
  });

  it('REDUCING a strategy lets only orders that shrink its position through', () => {
    const g = gateRig();
    g.tick();
    g.trade('BUY', 50);
    g.trade('BUY', 50, { strategy: 's2' });
    reduce(g, S1);
    expect(g.outcome('BUY', 1)).toBe('REDUCE_ONLY');
    expect(g.outcome('SELL', 51)).toBe('REDUCE_ONLY');
    expect(g.outcome('SELL', 20)).toBe('VALIDATED');
    // 20 is pending: only 30 more can be sold.
    expect(g.outcome('SELL', 31)).toBe('REDUCE_ONLY');
    expect(g.outcome('SELL', 30)).toBe('VALIDATED');
    expect(g.outcome('BUY', 10, { strategy: 's2' })).toBe('VALIDATED');
  });

  it('a broker halt applies to every strategy, whatever their own state', () => {
    const g = gateRig();
    g.tick();
    reduce(g, S2);
    halt(g);
    expect(g.changes().at(-1)).toEqual({
      type: 'TradingStateChanged',
      broker: 'paper',
      from: 'ACTIVE',
      to: 'HALTED',
      reason: 'operator halt',
    });
    expect(g.outcome('BUY', 1)).toBe('TRADING_HALTED');
    expect(g.outcome('BUY', 1, { strategy: 's2' })).toBe('TRADING_HALTED');
    resume(g);
    expect(g.outcome('BUY', 1)).toBe('VALIDATED');
    expect(g.outcome('BUY', 1, { strategy: 's2' })).toBe('REDUCE_ONLY');
  });

  it('ignores commands addressed to another broker', () => {
    const g = gateRig();
    g.actor.send({ type: 'HaltTrading', broker: 'zerodha', reason: 'not ours' });
    expect(g.emitted).toEqual([]);
    expect(g.ctx().brokerState.state).toBe('ACTIVE');
  });
});

describe('risk gate: kill switch', () => {
  it('halts the broker until an operator resumes it', () => {
    const g = gateRig();
    g.tick();
    g.actor.send({ type: 'KillSwitch', reason: 'exchange kill' });
    expect(g.changes()).toEqual([
      {
        type: 'TradingStateChanged',
        broker: 'paper',
        from: 'ACTIVE',
        to: 'HALTED',
        reason: 'kill switch: exchange kill',
      },
    ]);
    expect(g.outcome('SELL', 1)).toBe('TRADING_HALTED');
    resume(g);
    expect(g.outcome('SELL', 1)).toBe('VALIDATED');
  });
});

describe('risk gate: authorities', () => {
  it("ResumeTrading clears the operator's halt but never the journal's", () => {
    const g = gateRig();
    g.tick();
    journal(g, 'HALTED');
    halt(g);
    resume(g);
    expect(g.ctx().brokerState).toMatchObject({ state: 'HALTED', by: { journal: 'HALTED' } });
    expect(g.outcome('BUY', 1)).toBe('TRADING_HALTED');
    journal(g, 'ACTIVE');
    expect(g.outcome('BUY', 1)).toBe('VALIDATED');
    expect(g.changes().map((c) => [c.to, c.reason])).toEqual([
      ['HALTED', 'JournalBacklogExceeded'],
      ['ACTIVE', 'journal backlog drained'],
    ]);
  });

  it("keeps an operator's halt when the journal's backlog halt is released", () => {
    const g = gateRig();
    g.tick();
    operator(g, 'HALTED', 'operator halt');
    journal(g, 'HALTED');
    journal(g, 'ACTIVE');
    expect(g.changes().map((c) => c.to)).toEqual(['HALTED']);
    expect(g.outcome('BUY', 1)).toBe('TRADING_HALTED');
    operator(g, 'ACTIVE', 'operator resume');
    expect(g.outcome('BUY', 1)).toBe('VALIDATED');
  });

  it('stays HALTED while the journal is backed up, then takes the operator state', () => {
    const g = gateRig();
    g.tick();
    journal(g, 'HALTED');
    operator(g, 'ACTIVE', 'operator resume');
    operator(g, 'REDUCING', 'operator reduce');
    expect(g.outcome('BUY', 1)).toBe('TRADING_HALTED');
    journal(g, 'ACTIVE');
    expect(g.ctx().brokerState).toEqual({
      state: 'REDUCING',
      by: { operator: 'REDUCING' },
      reason: 'journal backlog drained',
    });
    expect(g.changes().map((c) => c.to)).toEqual(['HALTED', 'REDUCING']);
  });

  it('emits nothing when a command does not change the state', () => {
    const g = gateRig();
    operator(g, 'ACTIVE');
    resume(g);
    resume(g, S1);
    halt(g);
    halt(g);
    expect(g.changes()).toHaveLength(1);
  });
});
