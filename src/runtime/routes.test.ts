import { describe, expect, it } from 'vitest';
import {
  BROKERS,
  clientOrderIdOf,
  paise,
  quantity,
  strategyId,
  type ActorOutput,
  type BrokerName,
  type TradingSignal,
} from '../model/index.js';
import { actorIds, routeOf } from './routes.js';

const SID = strategyId('ema_cross_reliance');
const TOKEN = 738561;

/** One message of every ActorOutput type for `b`; the Record type fails to compile when one is missing. */
function samples(b: BrokerName): { [T in ActorOutput['type']]: Extract<ActorOutput, { type: T }> } {
  const signal: TradingSignal = {
    type: 'TradingSignal',
    broker: b,
    strategyId: SID,
    token: TOKEN,
    side: 'BUY',
    quantity: quantity(10),
    price: paise(141_000),
    confidence: 0.7,
    reasoning: 'test',
    tickSeq: 7,
  };
  const order = {
    broker: b,
    clientOrderId: clientOrderIdOf(b, { nonce: 1, epoch: 0 }, 1),
    strategyId: SID,
    token: TOKEN,
  };
  const pnl = { broker: b, strategyId: SID, realizedPnl: paise(0), unrealizedPnl: paise(0) };
  return {
    TradingSignal: signal,
    SignalValidated: {
      type: 'SignalValidated',
      broker: b,
      signal,
      checks: [],
      order: { orderType: 'MARKET', validity: 'DAY', product: 'CNC', slices: [quantity(10)] },
    },
    SignalRejected: {
      type: 'SignalRejected',
      broker: b,
      signal,
      code: 'QUANTITY_ABOVE_MAX',
      detail: 'test',
      checks: [],
    },
    SubmitOrder: {
      type: 'SubmitOrder',
      ...order,
      side: 'BUY',
      quantity: quantity(10),
      orderType: 'MARKET',
      validity: 'DAY',
      product: 'CNC',
      price: paise(141_000),
    },
    OrderAccepted: { type: 'OrderAccepted', ...order, brokerOrderId: 'X1' },
    OrderFilled: {
      type: 'OrderFilled',
      ...order,
      side: 'BUY',
      quantity: quantity(10),
      price: paise(141_005),
      fees: paise(141),
      slippage: paise(5),
      tickSeq: 7,
      product: 'CNC',
    },
    OrderRejected: {
      type: 'OrderRejected',
      ...order,
      side: 'BUY',
      quantity: quantity(10),
      code: 'INSUFFICIENT_CASH',
      detail: 'test',
    },
    OrderCanceled: {
      type: 'OrderCanceled',
      ...order,
      side: 'BUY',
      quantity: quantity(10),
      reason: 'test',
    },
    CancelOrder: { type: 'CancelOrder', ...order, reason: 'test' },
    ModifyOrder: { type: 'ModifyOrder', ...order, limitPrice: paise(140_000) },
    OrderModified: {
      type: 'OrderModified',
      ...order,
      quantity: quantity(10),
      limitPrice: paise(140_000),
      modifications: 1,
    },
    OrderCommandRejected: {
      type: 'OrderCommandRejected',
      ...order,
      command: 'CancelOrder',
      code: 'ORDER_NOT_OPEN',
      detail: 'test',
    },
    PnlSnapshot: { type: 'PnlSnapshot', ...pnl, totalPnl: paise(0), dayPnl: paise(0) },
    PortfolioSnapshot: {
      type: 'PortfolioSnapshot',
      ...pnl,
      cash: paise(0),
      fees: paise(0),
      positions: [],
      fills: 0,
      dayPnl: paise(0),
    },
    SetTradingState: { type: 'SetTradingState', broker: b, state: 'HALTED', reason: 'test' },
    TradingStateChanged: {
      type: 'TradingStateChanged',
      broker: b,
      from: 'ACTIVE',
      to: 'HALTED',
      reason: 'test',
    },
    ActorRestarted: { type: 'ActorRestarted', actorId: 'strategy:x', restarts: 1, error: 'e' },
    ActorFaulted: { type: 'ActorFaulted', actorId: 'strategy:x', restarts: 5, error: 'e' },
  };
}

const KEY = `${SID}:${TOKEN}`;
const S = `strategy:${SID}`;
type Expected = [topic: string, key: string, broker: string, to: string[]];

/** SPEC §1 for broker `b`: topic, key, broker scope and destinations of each type. */
function table(b: BrokerName): Record<ActorOutput['type'], Expected> {
  const [gate, trader, portfolio] = [`risk-gate:${b}`, `trader:${b}`, `portfolio:${b}:${SID}`];
  return {
    TradingSignal: [`${b}.signals.raw`, KEY, b, [gate]],
    SignalValidated: [`${b}.signals.validated`, KEY, b, [trader]],
    SignalRejected: [`${b}.signals.rejected`, KEY, b, [S]],
    SubmitOrder: [`${b}.orders.submitted`, KEY, b, [gate, `broker:${b}`]],
    CancelOrder: [`${b}.orders.commands`, KEY, b, [`broker:${b}`]],
    ModifyOrder: [`${b}.orders.commands`, KEY, b, [`broker:${b}`]],
    OrderModified: [`${b}.orders.updates`, KEY, b, [S]],
    OrderCommandRejected: [`${b}.orders.updates`, KEY, b, [S]],
    OrderAccepted: [`${b}.orders.ack`, KEY, b, []],
    OrderFilled: [`${b}.orders.filled`, KEY, b, [gate, portfolio, S]],
    OrderRejected: [`${b}.orders.failed`, KEY, b, [gate, S]],
    OrderCanceled: [`${b}.orders.canceled`, KEY, b, [gate, S]],
    PnlSnapshot: [`${b}.pnl.snapshots`, `${b}:${SID}`, b, []],
    PortfolioSnapshot: [`${b}.portfolio.snapshots`, `${b}:${SID}`, b, []],
    SetTradingState: ['control.commands', b, b, [gate]],
    TradingStateChanged: ['system.events', b, b, []],
    ActorRestarted: ['system.events', 'strategy:x', 'system', []],
    ActorFaulted: ['system.events', 'strategy:x', 'system', []],
  };
}

const cases = BROKERS.flatMap((b) =>
  Object.entries(table(b)).map(([type, expected]) => [b, type, expected] as const),
);

describe('routeOf', () => {
  it.each(cases)('routes a %s %s by SPEC §1', (b, type, expected) => {
    const r = routeOf(samples(b)[type as ActorOutput['type']]);
    expect([r.topic, r.key, r.broker, r.to]).toEqual(expected);
  });

  it('keys signals and order events by strategyId:token and pnl by broker:strategyId (SPEC §1)', () => {
    const m = samples('zerodha');
    const signalAndOrders = [
      'TradingSignal',
      'SignalRejected',
      'SubmitOrder',
      'OrderFilled',
    ] as const;
    for (const t of signalAndOrders) expect(routeOf(m[t]).key).toBe('ema_cross_reliance:738561');
    expect(routeOf(m.PnlSnapshot).key).toBe('zerodha:ema_cross_reliance');
  });

  it('keeps brokers apart: a message of one broker never names another broker or its actors', () => {
    for (const b of BROKERS) {
      const other = BROKERS.find((x) => x !== b)!;
      for (const msg of Object.values(samples(b))) {
        const r = routeOf(msg);
        expect([r.topic, r.key, r.broker, ...r.to].join(' ')).not.toContain(other);
        for (const to of r.to) if (!to.startsWith('strategy:')) expect(to).toContain(b);
      }
    }
  });

  it('throws on an unknown type, naming the message and routes.ts', () => {
    const bogus = { type: 'Bogus', broker: 'paper' } as unknown as ActorOutput;
    expect(() => routeOf(bogus)).toThrow(/Bogus.*src\/runtime\/routes\.ts/);
  });
});

describe('actorIds', () => {
  it('names every actor and adapter by kind, broker and strategy', () => {
    expect([
      actorIds.feed,
      actorIds.strategy(SID),
      actorIds.riskGate('zerodha'),
      actorIds.trader('paper'),
      actorIds.portfolio('zerodha', SID),
      actorIds.supervisor('strategies'),
      actorIds.broker('zerodha'),
    ]).toEqual([
      'feed',
      `strategy:${SID}`,
      'risk-gate:zerodha',
      'trader:paper',
      `portfolio:zerodha:${SID}`,
      'supervisor:strategies',
      'broker:zerodha',
    ]);
  });
});
