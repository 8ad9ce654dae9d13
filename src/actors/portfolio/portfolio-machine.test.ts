import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  PnlSnapshotSchema,
  PortfolioSnapshotSchema,
  clientOrderIdOf,
  paise,
  quantity,
  strategyId,
  type OrderFilled,
  type PnlSnapshot,
  type PortfolioSnapshot,
  type Side,
} from '../../model/index.js';
import { makeTick } from '../../../test/helpers/ticks.js';
import {
  DEFAULT_STARTING_CASH,
  portfolioMachine,
  portfolioSnapshotOf,
  type PortfolioInput,
} from './portfolio-machine.js';

const SID = strategyId('momentum_default');
const RELIANCE = 738561;
const TCS = 2953217;

let n = 0;
function filled(side: Side, q: number, price: number, fees: number, token = RELIANCE): OrderFilled {
  return {
    type: 'OrderFilled',
    broker: 'paper',
    clientOrderId: clientOrderIdOf('paper', { nonce: 1, epoch: 0 }, ++n),
    strategyId: SID,
    token,
    side,
    quantity: quantity(q),
    price: paise(price),
    fees: paise(fees),
    slippage: paise(0),
    tickSeq: 1,
    product: 'CNC',
  };
}

function portfolio(input: PortfolioInput = { broker: 'paper', strategyId: SID }) {
  const actor = createActor(portfolioMachine, { input });
  const emitted: Array<PortfolioSnapshot | PnlSnapshot> = [];
  actor.on('*', (e) => emitted.push(e as PortfolioSnapshot | PnlSnapshot));
  actor.start();
  const tick = (token: number, price: number) =>
    actor.send({ type: 'TicksReceived', ticks: [makeTick(token, price)], seqs: [1] });
  return { actor, emitted, tick };
}

describe('portfolio machine', () => {
  it('starts with ₹10,00,000 of cash and nothing else', () => {
    const p = portfolio();
    expect(DEFAULT_STARTING_CASH).toBe(100_000_000);
    expect(portfolioSnapshotOf(p.actor.getSnapshot().context)).toEqual({
      type: 'PortfolioSnapshot',
      broker: 'paper',
      strategyId: SID,
      cash: 100_000_000,
      fees: 0,
      realizedPnl: 0,
      unrealizedPnl: 0,
      positions: [],
      fills: 0,
      dayPnl: 0,
    });
  });

  it('books cash, fees and realized PnL (net of fees) over a buy and a sell', () => {
    const p = portfolio({ broker: 'paper', strategyId: SID, startingCash: 5_000_000 });
    p.actor.send(filled('BUY', 10, 140_000, 140));
    p.actor.send(filled('SELL', 10, 141_000, 141));
    const snap = portfolioSnapshotOf(p.actor.getSnapshot().context);
    expect(snap.cash).toBe(5_000_000 - 1_400_000 - 140 + 1_410_000 - 141);
    expect(snap.fees).toBe(281);
    expect(snap.realizedPnl).toBe(10 * (141_000 - 140_000) - 281);
    expect(snap.unrealizedPnl).toBe(0);
    expect(snap.fills).toBe(2);
    expect(snap.positions).toEqual([
      {
        token: RELIANCE,
        quantity: 0,
        averagePrice: 0,
        costBasis: 0,
        lastPrice: 141_000,
        realizedPnl: 10_000,
        unrealizedPnl: 0,
      },
    ]);
    // Cash change equals realized PnL when flat.
    expect(snap.cash - 5_000_000).toBe(snap.realizedPnl);
  });

  it('emits a PortfolioSnapshot then a PnlSnapshot on every fill', () => {
    const p = portfolio();
    p.actor.send(filled('BUY', 10, 140_000, 140));
    p.actor.send(filled('BUY', 5, 142_000, 71, TCS));
    p.actor.send(filled('SELL', 4, 141_000, 56));
    expect(p.emitted.map((e) => e.type)).toEqual([
      'PortfolioSnapshot',
      'PnlSnapshot',
      'PortfolioSnapshot',
      'PnlSnapshot',
      'PortfolioSnapshot',
      'PnlSnapshot',
    ]);
    for (let i = 0; i < p.emitted.length; i += 2) {
      const snap = PortfolioSnapshotSchema.parse(p.emitted[i]);
      const pnl = PnlSnapshotSchema.parse(p.emitted[i + 1]);
      expect(snap.fills).toBe(i / 2 + 1);
      expect(pnl).toEqual({
        type: 'PnlSnapshot',
        broker: 'paper',
        strategyId: SID,
        realizedPnl: snap.realizedPnl,
        unrealizedPnl: snap.unrealizedPnl,
        totalPnl: snap.realizedPnl + snap.unrealizedPnl,
        // The whole run is one day here: the day's PnL is the total.
        dayPnl: snap.realizedPnl + snap.unrealizedPnl,
      });
    }
    const last = p.emitted[4] as PortfolioSnapshot;
    // RELIANCE: 6 left at 1,400.00, marked at the last fill 1,410.00; TCS 5 at 1,420.00.
    expect(last.positions.map((x) => [x.token, x.quantity, x.costBasis, x.unrealizedPnl])).toEqual([
      [RELIANCE, 6, 840_000, 6_000],
      [TCS, 5, 710_000, 0],
    ]);
    expect(last.realizedPnl).toBe(4 * 1_000 - (140 + 71 + 56));
    expect(last).toEqual(portfolioSnapshotOf(p.actor.getSnapshot().context));
  });

  it('marks positions to market on ticks without emitting', () => {
    const p = portfolio();
    p.actor.send(filled('BUY', 10, 140_000, 140));
    p.actor.send(filled('SELL', 3, 320_000, 96, TCS));
    const emittedBefore = p.emitted.length;
    p.tick(RELIANCE, 142_500);
    p.tick(TCS, 318_000);
    p.tick(408065, 157_370); // not held
    expect(p.emitted).toHaveLength(emittedBefore);
    const snap = portfolioSnapshotOf(p.actor.getSnapshot().context);
    expect(snap.positions.map((x) => [x.token, x.lastPrice, x.unrealizedPnl])).toEqual([
      [RELIANCE, 142_500, 25_000],
      [TCS, 318_000, 6_000],
    ]);
    expect(snap.unrealizedPnl).toBe(31_000);
    // The next fill's snapshot carries the mark.
    p.actor.send(filled('BUY', 1, 142_500, 14));
    const next = p.emitted[p.emitted.length - 2] as PortfolioSnapshot;
    expect(next.unrealizedPnl).toBe(31_000);
  });

  it('ignores ticks for instruments it holds none of', () => {
    const p = portfolio();
    p.actor.send(filled('BUY', 10, 140_000, 140));
    p.actor.send(filled('SELL', 10, 140_000, 140));
    const before = p.actor.getSnapshot().context;
    p.tick(RELIANCE, 150_000);
    p.tick(TCS, 150_000);
    expect(p.actor.getSnapshot().context).toBe(before);
  });

  it('books a short: cash in on the sell, out on the cover', () => {
    const p = portfolio();
    p.actor.send(filled('SELL', 5, 320_000, 160));
    p.actor.send(filled('BUY', 5, 310_000, 155));
    const snap = portfolioSnapshotOf(p.actor.getSnapshot().context);
    expect(snap.cash).toBe(100_000_000 + 1_600_000 - 160 - 1_550_000 - 155);
    expect(snap.realizedPnl).toBe(50_000 - 315);
  });

  it('starts from a restored context', () => {
    const p1 = portfolio();
    p1.actor.send(filled('BUY', 10, 140_000, 140));
    const ctx = p1.actor.getSnapshot().context;
    const p2 = portfolio({ broker: 'paper', strategyId: SID, restore: ctx });
    p2.actor.send(filled('SELL', 10, 141_000, 141));
    expect((p2.emitted[0] as PortfolioSnapshot).fills).toBe(2);
    expect((p2.emitted[0] as PortfolioSnapshot).realizedPnl).toBe(10_000 - 281);
  });
});

describe('portfolio machine: market timers', () => {
  const timer = (kind: 'IST_MIDNIGHT' | 'PNL_INTERVAL' | 'SESSION_CLOSE') =>
    ({ type: 'MarketTimerFired', kind, at: 0, tradingDay: '2026-01-06' }) as const;

  it('publishes a PnlSnapshot on every PnL interval, and nothing on other timers', () => {
    const p = portfolio();
    p.actor.send(filled('BUY', 10, 140_000, 140));
    p.emitted.length = 0;
    p.actor.send(timer('SESSION_CLOSE'));
    expect(p.emitted).toEqual([]);
    p.actor.send(timer('PNL_INTERVAL'));
    expect(p.emitted.map((e) => e.type)).toEqual(['PnlSnapshot']);
    expect(PnlSnapshotSchema.parse(p.emitted[0]).totalPnl).toBe(-140);
  });

  it("counts the day's PnL from the equity at the last IST midnight", () => {
    const p = portfolio();
    p.actor.send(filled('BUY', 10, 140_000, 140));
    p.actor.send(timer('IST_MIDNIGHT'));
    const snap0 = portfolioSnapshotOf(p.actor.getSnapshot().context);
    expect(snap0.dayPnl).toBe(0);
    p.actor.send(filled('SELL', 10, 141_000, 141));
    const snap = portfolioSnapshotOf(p.actor.getSnapshot().context);
    // Sold at 1,410.00 what was marked at 1,400.00: +10,000 paise, less the sell's fees.
    expect(snap.dayPnl).toBe(10_000 - 141);
    expect(snap.realizedPnl).toBe(10_000 - 140 - 141);
  });
});
