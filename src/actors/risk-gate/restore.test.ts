import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../runtime/index.js';
import { DAY, MONDAY_10_IST, S2, gateRig, signalOf } from '../../../test/helpers/risk-gate.js';
import type { RiskGateData } from './gate-context.js';

type Rig = ReturnType<typeof gateRig>;

const limits = {
  dailyLossLimitPerStrategy: 400_000,
  maxOpenOrders: 5,
  ordersPerSecond: 4,
  freezeQuantity: 50,
};

/** A morning's trading: positions, open orders, a halt, a loss-limit breach, rate counts. */
function morning(g: Rig): void {
  g.tick(100_000);
  g.trade('BUY', 100);
  g.clock.advance(1_000);
  g.submit(g.decide(signalOf('BUY', 40, { strategy: 's2' })));
  g.actor.send({ type: 'HaltTrading', broker: 'paper', strategyId: S2, reason: 'review' });
  g.tick(96_000); // s1 −400,000: REDUCING
  g.decide(signalOf('SELL', 20));
}

/** What follows, sent alike to the original gate and the restored one. */
function afternoon(g: Rig): void {
  g.clock.advance(300);
  g.decide(signalOf('SELL', 10));
  g.decide(signalOf('BUY', 10));
  g.decide(signalOf('SELL', 60)); // 2 slices: past the limit of 4 orders a second
  g.decide(signalOf('SELL', 1));
  g.clock.advance(1_000);
  g.actor.send({ type: 'ResumeTrading', broker: 'paper', strategyId: S2, reason: 'ok' });
  g.decide(signalOf('BUY', 5, { strategy: 's2' }));
  g.tick(95_000);
  g.clock.set(MONDAY_10_IST + DAY);
  g.tick(95_500);
  g.decide(signalOf('BUY', 5));
}

const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

describe('risk gate: restore', () => {
  it('keeps a plain-JSON context: no clock, calendar or instruments in the snapshot', () => {
    const g = gateRig({ limits });
    morning(g);
    const snap = json(g.ctx()) as Record<string, unknown>;
    expect(snap).not.toHaveProperty('env');
    expect(json(snap)).toEqual(snap);
  });

  it('continues from a snapshot exactly as the gate it was taken from', () => {
    const a = gateRig({ limits });
    morning(a);
    const snapshot = json(a.ctx()) as RiskGateData;
    const b = gateRig({
      limits: { ...limits, ordersPerSecond: 999 }, // a restore keeps the snapshot's limits
      restore: snapshot,
      clock: new SimulatedClock(a.clock.now()),
    });
    expect(json(b.ctx())).toEqual(snapshot);
    const mark = a.emitted.length;
    afternoon(a);
    afternoon(b);
    const after = a.emitted.slice(mark);
    expect(b.emitted).toEqual(after);
    expect(after.map((e) => (e.type === 'SignalRejected' ? e.code : e.type))).toEqual([
      'SignalValidated',
      'REDUCE_ONLY',
      'RATE_LIMIT_PER_SECOND',
      'SignalValidated',
      'TradingStateChanged',
      'SignalValidated',
      'TradingStateChanged',
      'SignalValidated',
    ]);
    expect(json(b.ctx())).toEqual(json(a.ctx()));
  });
});
