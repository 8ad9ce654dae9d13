import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../model/index.js';
import { RecordNotifications, scopeOfActor } from './record-notifications.js';

/** Records in seq order; an input is its own correlation, a derived one names its chain. */
function journal() {
  let seq = 0;
  return (type: string, data: object, o: Partial<JournalRecord> = {}): JournalRecord => {
    seq = o.seq ?? seq + 1;
    return {
      seq,
      ts: 0,
      type,
      topic: 'system.events',
      source: 'test',
      target: null,
      correlationSeq: seq,
      causationSeq: 0,
      broker: 'system',
      key: '',
      ...o,
      data: { type, ...data },
    };
  };
}

const changed = (from: string, to: string, reason: string, extra: object = {}) => ({
  broker: 'paper',
  from,
  to,
  reason,
  ...extra,
});

describe('RecordNotifications', () => {
  it('reports a halt with the seq of the input that caused it (what the API answered)', () => {
    const rec = journal();
    const rules = new RecordNotifications();
    const halt = rec('HaltTrading', { broker: 'paper', reason: 'manual review' }, { seq: 41 });
    expect(rules.of(halt)).toBeNull();
    const change = rec('TradingStateChanged', changed('ACTIVE', 'HALTED', 'manual review'), {
      correlationSeq: 41,
      causationSeq: 41,
    });
    expect(rules.of(change)).toEqual({
      kind: 'halt',
      severity: 'critical',
      broker: 'paper',
      reason: 'manual review',
      seq: 41,
    });
  });

  it('reports a strategy halt with its strategy, and a resume only after a reported restriction', () => {
    const rec = journal();
    const rules = new RecordNotifications();
    const s1 = { strategyId: 's1' };
    expect(rules.of(rec('TradingStateChanged', changed('ACTIVE', 'HALTED', 'look', s1)))).toEqual(
      expect.objectContaining({ kind: 'halt', broker: 'paper', strategyId: 's1', reason: 'look' }),
    );
    // An operator's reduce-only is not a halt, and its end is no resume.
    expect(rules.of(rec('TradingStateChanged', changed('ACTIVE', 'REDUCING', 'calm')))).toBeNull();
    expect(rules.of(rec('TradingStateChanged', changed('REDUCING', 'ACTIVE', 'go')))).toBeNull();
    const resume = rules.of(rec('TradingStateChanged', changed('HALTED', 'ACTIVE', 'ok', s1)));
    expect(resume).toMatchObject({ kind: 'resume', severity: 'info', strategyId: 's1' });
    expect(resume!.reason).toBe('ok');
  });

  it('reports the kill switch once, not each halt it causes, and the resume after it', () => {
    const rec = journal();
    const rules = new RecordNotifications();
    const kill = rec('KillSwitch', { reason: 'runaway orders' }, { topic: 'control.commands' });
    expect(rules.of(kill)).toEqual({
      kind: 'kill_switch',
      severity: 'critical',
      reason: 'runaway orders',
      seq: kill.seq,
    });
    const halted = rec('TradingStateChanged', changed('ACTIVE', 'HALTED', 'kill switch: x'), {
      correlationSeq: kill.seq,
      causationSeq: kill.seq,
    });
    expect(rules.of(halted)).toBeNull();
    const resumed = rec('TradingStateChanged', changed('HALTED', 'ACTIVE', 'back'));
    expect(rules.of(resumed)).toMatchObject({ kind: 'resume', broker: 'paper', seq: resumed.seq });
  });

  it('reports a fault with its actor, its strategy and its error', () => {
    const rec = journal();
    const rules = new RecordNotifications();
    const f = rec('ActorFaulted', {
      actorId: 'strategy:faulty_one',
      restarts: 1,
      error: 'Error: poison tick',
    });
    expect(rules.of(f)).toEqual({
      kind: 'fault',
      severity: 'critical',
      strategyId: 'faulty_one',
      actor: 'strategy:faulty_one',
      reason: 'Error: poison tick',
      seq: f.seq,
    });
    const gate = rec('ActorFaulted', { actorId: 'risk-gate:zerodha', restarts: 5, error: 'boom' });
    expect(rules.of(gate)).toMatchObject({ kind: 'fault', broker: 'zerodha' });
  });

  it('reports a loss limit by its reason, critical when it halts, and the resume after it', () => {
    const rec = journal();
    const rules = new RecordNotifications();
    const reason =
      'loss limit dailyLossLimitPerStrategy: strategy s1 lost 500000 paise since the start of 2026-01-05 (equity 100000000 → 99500000 paise), limit 500000 paise: REDUCING';
    const tick = rec('MarketTick', {});
    const fill = rec('OrderFilled', {}, { correlationSeq: tick.seq, causationSeq: tick.seq });
    const breach = rec(
      'TradingStateChanged',
      changed('ACTIVE', 'REDUCING', reason, { strategyId: 's1' }),
      {
        correlationSeq: tick.seq,
        causationSeq: fill.seq,
      },
    );
    expect(rules.of(breach)).toEqual({
      kind: 'loss_limit',
      severity: 'warning',
      broker: 'paper',
      strategyId: 's1',
      reason,
      seq: breach.seq,
    });
    const broker = rec(
      'TradingStateChanged',
      changed('ACTIVE', 'HALTED', 'loss limit dailyLossLimitPerBroker: ...: HALTED'),
    );
    expect(rules.of(broker)).toMatchObject({ kind: 'loss_limit', severity: 'critical' });
    const released = rec(
      'TradingStateChanged',
      changed('REDUCING', 'ACTIVE', 'trading day began', { strategyId: 's1' }),
    );
    expect(rules.of(released)).toMatchObject({ kind: 'resume', strategyId: 's1' });
  });

  it('reports an expired session only', () => {
    const rec = journal();
    const rules = new RecordNotifications();
    const session = (state: string) =>
      rec('BrokerSessionChanged', { broker: 'zerodha', state, reason: `token ${state}` });
    expect(rules.of(session('VALID'))).toBeNull();
    const expired = session('EXPIRED');
    expect(rules.of(expired)).toEqual({
      kind: 'session_expired',
      severity: 'critical',
      broker: 'zerodha',
      reason: 'token EXPIRED',
      seq: expired.seq,
    });
    expect(rules.of(session('RENEWED'))).toBeNull();
  });

  it('reports the 1st, 2nd, 4th and 8th dead letter of each topic, with the count', () => {
    const rec = journal();
    const rules = new RecordNotifications();
    const dead = (topic: string, i: number) =>
      rec(
        'DeadLettered',
        {
          actorId: 'strategy:s1',
          originalTopic: topic.replace(/\.dlq$/, ''),
          originalSeq: i,
          originalType: 'MarketTick',
          originalKey: '738561',
          error: { name: 'RangeError', message: 'Invalid array length' },
          original: {},
        },
        { topic },
      );
    const counts: number[] = [];
    for (let i = 1; i <= 9; i++) {
      const n = rules.of(dead('market.ticks.dlq', i));
      if (n !== null) counts.push(n.count!);
    }
    expect(counts).toEqual([1, 2, 4, 8]);
    const other = rules.of(dead('paper.signals.raw.dlq', 100));
    expect(other).toMatchObject({
      kind: 'dlq_growth',
      severity: 'warning',
      strategyId: 's1',
      actor: 'strategy:s1',
      topic: 'paper.signals.raw.dlq',
      count: 1,
    });
    expect(other!.reason).toBe(
      'strategy:s1 failed on MarketTick seq 100: RangeError: Invalid array length',
    );
  });

  it('ignores every other record', () => {
    const rec = journal();
    const rules = new RecordNotifications();
    for (const type of ['MarketTick', 'OrderFilled', 'ActorRestarted', 'SetTradingState'])
      expect(rules.of(rec(type, { broker: 'paper', reason: 'x' }))).toBeNull();
  });
});

describe('scopeOfActor', () => {
  it('reads the broker and strategy out of actor ids', () => {
    expect(scopeOfActor('strategy:s1')).toEqual({ strategyId: 's1' });
    expect(scopeOfActor('portfolio:paper:s1')).toEqual({ broker: 'paper', strategyId: 's1' });
    expect(scopeOfActor('trader:zerodha')).toEqual({ broker: 'zerodha' });
    expect(scopeOfActor('risk-gate:paper')).toEqual({ broker: 'paper' });
    expect(scopeOfActor('supervisor:root')).toEqual({});
    expect(scopeOfActor('feed')).toEqual({});
  });
});
