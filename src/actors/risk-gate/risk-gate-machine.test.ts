import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  SignalRejectedSchema,
  SignalValidatedSchema,
  clientOrderIdOf,
  paise,
  quantity,
  strategyId,
  type OrderFilled,
  type OrderRejected,
  type Side,
  type SignalRejected,
  type SignalValidated,
  type TradingSignal,
  type TradingState,
} from '../../model/index.js';
import { makeTick } from '../../../test/helpers/ticks.js';
import { riskGateMachine, type RiskGateInput } from './risk-gate-machine.js';

const TOKEN = 738561;
const S1 = strategyId('s1');
const S2 = strategyId('s2');

function signal(side: Side, q: number, price = 100_000, sid = S1): TradingSignal {
  return {
    type: 'TradingSignal',
    broker: 'paper',
    strategyId: sid,
    token: TOKEN,
    side,
    quantity: quantity(q),
    price: paise(price),
    confidence: 0.6,
    reasoning: 'test',
    tickSeq: 1,
  };
}

const filled = (side: Side, q: number, sid = S1): OrderFilled => ({
  type: 'OrderFilled',
  broker: 'paper',
  clientOrderId: clientOrderIdOf('paper', { nonce: 1, epoch: 0 }, 1),
  strategyId: sid,
  token: TOKEN,
  side,
  quantity: quantity(q),
  price: paise(100_000),
  fees: paise(100),
  slippage: paise(0),
  tickSeq: 1,
});

const refused = (side: Side, q: number): OrderRejected => ({
  type: 'OrderRejected',
  broker: 'paper',
  clientOrderId: clientOrderIdOf('paper', { nonce: 1, epoch: 0 }, 2),
  strategyId: S1,
  token: TOKEN,
  side,
  quantity: quantity(q),
  code: 'NO_LIQUIDITY',
  detail: 'no depth',
});

const codeOf = (r: SignalValidated | SignalRejected) =>
  r.type === 'SignalRejected' ? r.code : 'VALIDATED';

function gate(input: RiskGateInput = { broker: 'paper' }) {
  const actor = createActor(riskGateMachine, { input });
  const emitted: Array<{ type: string } & Record<string, unknown>> = [];
  actor.on('*', (e) => emitted.push(e as unknown as { type: string } & Record<string, unknown>));
  actor.start();
  const tick = (price = 100_000) =>
    actor.send({ type: 'TicksReceived', ticks: [makeTick(TOKEN, price)], seqs: [1] });
  /** Sends a signal and returns what the gate emitted for it. */
  const decide = (s: TradingSignal): SignalValidated | SignalRejected => {
    const n = emitted.length;
    actor.send(s);
    expect(emitted.length).toBe(n + 1);
    return emitted[n] as unknown as SignalValidated | SignalRejected;
  };
  const setState = (state: TradingState, reason = 'operator') =>
    actor.send({ type: 'SetTradingState', broker: 'paper', state, reason });
  const setJournal = (state: 'HALTED' | 'ACTIVE') =>
    actor.send({
      type: 'SetTradingState',
      broker: 'paper',
      state,
      reason: state === 'HALTED' ? 'JournalBacklogExceeded' : 'journal backlog drained',
      authority: 'journal',
    });
  /** A signal the gate validates, then its fill: how a real position is built. */
  const trade = (side: Side, q: number, sid = S1) => {
    expect(codeOf(decide(signal(side, q, 100_000, sid)))).toBe('VALIDATED');
    actor.send(filled(side, q, sid));
  };
  return { actor, emitted, tick, decide, setState, setJournal, trade };
}

describe('risk gate machine: validation', () => {
  it('rejects with NO_REFERENCE_PRICE before any tick, reporting every check', () => {
    const g = gate();
    const r = g.decide(signal('BUY', 10));
    expect(SignalRejectedSchema.parse(r)).toMatchObject({
      type: 'SignalRejected',
      broker: 'paper',
      code: 'NO_REFERENCE_PRICE',
    });
    expect((r as SignalRejected).signal).toEqual(signal('BUY', 10));
    expect(r.checks.map((c) => [c.check, c.passed])).toEqual([
      ['trading_state', true],
      ['quantity', true],
      ['price_band', false],
      ['notional', true],
      ['max_position', true],
      ['cash', true],
    ]);
    expect(g.actor.getSnapshot().context.rejected).toBe(1);
  });

  it('validates a signal inside every limit after a tick', () => {
    const g = gate();
    g.tick();
    const r = g.decide(signal('BUY', 10));
    expect(SignalValidatedSchema.parse(r)).toMatchObject({
      type: 'SignalValidated',
      broker: 'paper',
    });
    expect(r.checks.every((c) => c.passed)).toBe(true);
    const ctx = g.actor.getSnapshot().context;
    expect(ctx.validated).toBe(1);
    expect(ctx.pending).toEqual({ [`s1:${TOKEN}`]: 10 });
  });

  it('rejects with the code of the first failing check', () => {
    const g = gate({ broker: 'paper', limits: { maxQuantity: 50, priceBandBps: 500 } });
    g.tick(100_000);
    expect(codeOf(g.decide(signal('BUY', 51)))).toBe('QUANTITY_ABOVE_MAX');
    expect(codeOf(g.decide(signal('BUY', 10, 105_001)))).toBe('PRICE_OUTSIDE_BAND');
    expect(codeOf(g.decide(signal('BUY', 10, 105_000)))).toBe('VALIDATED');
    // Both quantity and price fail: quantity runs first.
    expect(codeOf(g.decide(signal('BUY', 51, 200_000)))).toBe('QUANTITY_ABOVE_MAX');
  });

  it('follows the latest tick for the price band', () => {
    const g = gate();
    g.tick(100_000);
    expect(codeOf(g.decide(signal('BUY', 1, 120_000)))).toBe('PRICE_OUTSIDE_BAND');
    g.tick(115_000);
    expect(codeOf(g.decide(signal('BUY', 1, 120_000)))).toBe('VALIDATED');
  });
});

describe('risk gate machine: positions', () => {
  it('counts validated, unfilled quantity against the position limit', () => {
    const g = gate({ broker: 'paper', limits: { maxPositionPerInstrument: 100 } });
    g.tick();
    expect(codeOf(g.decide(signal('BUY', 60)))).toBe('VALIDATED');
    expect(codeOf(g.decide(signal('BUY', 60)))).toBe('POSITION_EXCEEDS_MAX_PER_INSTRUMENT');
    expect(codeOf(g.decide(signal('BUY', 40)))).toBe('VALIDATED');
  });

  it('rejects on the real position after fills, and frees quantity the broker refused', () => {
    const g = gate({ broker: 'paper', limits: { maxPositionPerInstrument: 100 } });
    g.tick();
    expect(codeOf(g.decide(signal('BUY', 60)))).toBe('VALIDATED');
    g.actor.send(filled('BUY', 60));
    let ctx = g.actor.getSnapshot().context;
    expect(ctx.positions[`s1:${TOKEN}`]).toBe(60);
    expect(ctx.pending[`s1:${TOKEN}`]).toBe(0);
    expect(codeOf(g.decide(signal('BUY', 41)))).toBe('POSITION_EXCEEDS_MAX_PER_INSTRUMENT');
    expect(codeOf(g.decide(signal('BUY', 40)))).toBe('VALIDATED');
    expect(codeOf(g.decide(signal('BUY', 1)))).toBe('POSITION_EXCEEDS_MAX_PER_INSTRUMENT');
    g.actor.send(refused('BUY', 40));
    ctx = g.actor.getSnapshot().context;
    expect(ctx.pending[`s1:${TOKEN}`]).toBe(0);
    expect(codeOf(g.decide(signal('BUY', 40)))).toBe('VALIDATED');
    // Selling the position down makes room again; shorts count by absolute size.
    g.actor.send(filled('BUY', 40));
    g.trade('SELL', 100);
    ctx = g.actor.getSnapshot().context;
    expect(ctx.positions[`s1:${TOKEN}`]).toBe(0);
    expect(ctx.pending[`s1:${TOKEN}`]).toBe(0);
    expect(codeOf(g.decide(signal('SELL', 100)))).toBe('VALIDATED');
    expect(codeOf(g.decide(signal('SELL', 1)))).toBe('POSITION_EXCEEDS_MAX_PER_INSTRUMENT');
  });

  it('keeps positions per strategy', () => {
    const g = gate({ broker: 'paper', limits: { maxPositionPerInstrument: 100 } });
    g.tick();
    g.trade('BUY', 100, S1);
    expect(codeOf(g.decide(signal('BUY', 1, 100_000, S1)))).toBe(
      'POSITION_EXCEEDS_MAX_PER_INSTRUMENT',
    );
    expect(codeOf(g.decide(signal('BUY', 100, 100_000, S2)))).toBe('VALIDATED');
  });
});

describe('risk gate machine: trading state', () => {
  it('HALTED rejects with TRADING_HALTED and emits TradingStateChanged', () => {
    const g = gate();
    g.tick();
    g.setState('HALTED', 'journal backlog');
    expect(g.emitted).toEqual([
      {
        type: 'TradingStateChanged',
        broker: 'paper',
        from: 'ACTIVE',
        to: 'HALTED',
        reason: 'journal backlog',
      },
    ]);
    expect(g.actor.getSnapshot().context.tradingState).toBe('HALTED');
    expect(codeOf(g.decide(signal('BUY', 1)))).toBe('TRADING_HALTED');
    expect(codeOf(g.decide(signal('SELL', 1)))).toBe('TRADING_HALTED');
  });

  it('emits nothing when the state does not change, and resumes on ACTIVE', () => {
    const g = gate();
    g.tick();
    g.setState('ACTIVE');
    expect(g.emitted).toEqual([]);
    g.setState('HALTED');
    g.setState('HALTED');
    expect(g.emitted).toHaveLength(1);
    g.setState('ACTIVE', 'drained');
    expect(g.emitted[1]).toEqual({
      type: 'TradingStateChanged',
      broker: 'paper',
      from: 'HALTED',
      to: 'ACTIVE',
      reason: 'drained',
    });
    expect(codeOf(g.decide(signal('BUY', 1)))).toBe('VALIDATED');
  });

  it("keeps an operator's halt when the journal's backlog halt is released", () => {
    const g = gate();
    g.tick();
    g.setState('HALTED', 'operator halt');
    g.setJournal('HALTED');
    g.setJournal('ACTIVE');
    expect(g.actor.getSnapshot().context.tradingState).toBe('HALTED');
    const changes = g.emitted.filter((e) => e.type === 'TradingStateChanged');
    expect(changes.map((e) => (e as { to?: string }).to)).toEqual(['HALTED']);
    expect(codeOf(g.decide(signal('BUY', 1)))).toBe('TRADING_HALTED');
    g.setState('ACTIVE', 'operator resume');
    expect(g.actor.getSnapshot().context.tradingState).toBe('ACTIVE');
  });

  it('stays HALTED while the journal is backed up, whatever an operator sets, then takes the operator state', () => {
    const g = gate();
    g.tick();
    g.setJournal('HALTED');
    g.setState('ACTIVE', 'operator resume');
    g.setState('REDUCING', 'operator reduce');
    expect(g.actor.getSnapshot().context.tradingState).toBe('HALTED');
    expect(codeOf(g.decide(signal('BUY', 1)))).toBe('TRADING_HALTED');
    g.setJournal('ACTIVE');
    expect(g.actor.getSnapshot().context).toMatchObject({
      tradingState: 'REDUCING',
      operatorState: 'REDUCING',
      journalHalted: false,
    });
    const changes = g.emitted.filter((e) => e.type === 'TradingStateChanged');
    expect(changes.map((e) => (e as { to?: string }).to)).toEqual(['HALTED', 'REDUCING']);
  });

  it('REDUCING lets only orders that shrink the position through', () => {
    const g = gate();
    g.tick();
    g.trade('BUY', 50);
    g.emitted.length = 0;
    g.setState('REDUCING');
    expect(g.emitted[0]).toMatchObject({ from: 'ACTIVE', to: 'REDUCING' });
    expect(codeOf(g.decide(signal('BUY', 1)))).toBe('REDUCE_ONLY');
    expect(codeOf(g.decide(signal('SELL', 51)))).toBe('REDUCE_ONLY');
    expect(codeOf(g.decide(signal('SELL', 20)))).toBe('VALIDATED');
    // 20 is pending: only 30 more can be sold.
    expect(codeOf(g.decide(signal('SELL', 31)))).toBe('REDUCE_ONLY');
    expect(codeOf(g.decide(signal('SELL', 30)))).toBe('VALIDATED');
    expect(codeOf(g.decide(signal('SELL', 1)))).toBe('REDUCE_ONLY');
  });

  it('starts from a restored context', () => {
    const g1 = gate();
    g1.tick(100_000);
    g1.setState('HALTED');
    g1.setState('ACTIVE');
    g1.trade('BUY', 7);
    g1.setState('HALTED');
    const ctx = g1.actor.getSnapshot().context;
    const g2 = gate({ broker: 'paper', restore: ctx });
    expect(g2.actor.getSnapshot().context).toEqual(ctx);
    expect(codeOf(g2.decide(signal('BUY', 1)))).toBe('TRADING_HALTED');
  });
});

describe('risk gate cash', () => {
  function gate(startingCash: number) {
    const actor = createActor(riskGateMachine, {
      input: { broker: 'paper', limits: { startingCash, cashBufferBps: 0 } },
    });
    const out: Array<{ type: string; code?: string }> = [];
    actor.on('*', (e) => out.push(e as { type: string; code?: string }));
    actor.start();
    actor.send({ type: 'TicksReceived', ticks: [makeTick(TOKEN, 100_000)], seqs: [1] });
    return { actor, out };
  }

  it('reserves cash for validated buys, spends it on fills, and refuses what the strategy cannot pay', () => {
    // ₹25,000 of cash; each buy of 10 at ₹1,000 costs 1,000,000 paise.
    const { actor, out } = gate(2_500_000);
    actor.send(signal('BUY', 10));
    actor.send(signal('BUY', 10));
    actor.send(signal('BUY', 10)); // 2,000,000 reserved: only 500,000 left
    expect(out.map((e) => e.code ?? e.type)).toEqual([
      'SignalValidated',
      'SignalValidated',
      'INSUFFICIENT_CASH',
    ]);
    actor.send(filled('BUY', 10));
    actor.send(filled('BUY', 10)); // cash 2,500,000 − 2,000,000 − 200 fees
    expect(actor.getSnapshot().context.cash[S1]).toBe(499_800);
    actor.send(signal('BUY', 10));
    expect(out.at(-1)?.code).toBe('INSUFFICIENT_CASH');
    actor.send(filled('SELL', 10)); // + 1,000,000 − 100
    actor.send(signal('BUY', 10));
    expect(out.at(-1)?.type).toBe('SignalValidated');
    // Another strategy has its own cash.
    actor.send(signal('BUY', 20, 100_000, S2));
    expect(out.at(-1)?.type).toBe('SignalValidated');
  });
});
