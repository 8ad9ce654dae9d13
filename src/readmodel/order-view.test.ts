import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../model/index.js';
import { OrderReadModel } from './order-view.js';
import { PortfolioReadModel } from './portfolio-view.js';

let seq = 0;
const rec = (type: string, data: Record<string, unknown>): JournalRecord => ({
  seq: ++seq,
  ts: 0,
  type,
  topic: 'paper.orders.x',
  source: 'trader:paper',
  target: null,
  correlationSeq: seq,
  causationSeq: seq,
  broker: 'paper',
  key: 's1:738561',
  data: { broker: 'paper', strategyId: 's1', token: 738561, ...data },
});
const submit = (id: string, side: string, quantity: number, limitPrice?: number) =>
  rec('SubmitOrder', {
    type: 'SubmitOrder',
    clientOrderId: id,
    side,
    quantity,
    orderType: limitPrice === undefined ? 'MARKET' : 'LIMIT',
    validity: 'DAY',
    product: 'CNC',
    price: 100_000,
    ...(limitPrice === undefined ? {} : { limitPrice }),
  });
const fill = (id: string, side: string, quantity: number) =>
  rec('OrderFilled', {
    clientOrderId: id,
    side,
    quantity,
    price: 100_000,
    fees: 10,
    product: 'CNC',
  });

describe('OrderReadModel', () => {
  it('follows each order from submission to its final state, with its fills', () => {
    const m = new OrderReadModel();
    for (const r of [
      submit('A', 'BUY', 10),
      rec('OrderAccepted', { clientOrderId: 'A', brokerOrderId: 'P1' }),
      fill('A', 'BUY', 4),
      submit('B', 'BUY', 5, 99_000),
      rec('OrderAccepted', { clientOrderId: 'B', brokerOrderId: 'P2' }),
      submit('C', 'SELL', 3),
      rec('OrderRejected', {
        clientOrderId: 'C',
        side: 'SELL',
        quantity: 3,
        code: 'NO_POSITION_TO_SELL',
        detail: 'holds 0',
      }),
    ])
      m.apply(r);
    expect(m.list().map((o) => [o.clientOrderId, o.status, o.filled])).toEqual([
      ['C', 'REJECTED', 0],
      ['B', 'OPEN', 0],
      ['A', 'PARTIALLY_FILLED', 4],
    ]);
    m.apply(fill('A', 'BUY', 6));
    m.apply(
      rec('OrderCanceled', {
        clientOrderId: 'B',
        side: 'BUY',
        quantity: 5,
        reason: 'expired at the close',
      }),
    );
    expect(m.list({ status: 'COMPLETE' }).map((o) => [o.clientOrderId, o.fills.length])).toEqual([
      ['A', 2],
    ]);
    expect(m.list({ status: 'CANCELLED' })[0]).toMatchObject({
      clientOrderId: 'B',
      reason: 'expired at the close',
    });
    expect(m.list({ status: 'OPEN' })).toEqual([]);
    expect(m.list({ strategyId: 'other' })).toEqual([]);
    expect(m.list({ status: 'REJECTED' })[0]!.reason).toBe('NO_POSITION_TO_SELL: holds 0');
  });

  it('lists an order the broker placed itself (a square-off) from its first event', () => {
    const m = new OrderReadModel();
    m.apply(rec('OrderAccepted', { clientOrderId: 'SQ0000000001', brokerOrderId: 'P9' }));
    m.apply(fill('SQ0000000001', 'SELL', 7));
    expect(m.list()[0]).toMatchObject({ side: 'SELL', quantity: 7, filled: 7, status: 'COMPLETE' });
  });
});

describe('PortfolioReadModel: open orders and buying power', () => {
  it('shows open orders and takes what open buys may spend off the cash', () => {
    const m = new PortfolioReadModel();
    m.declare({
      type: 'PortfolioSnapshot',
      broker: 'paper',
      strategyId: 's1' as never,
      cash: 100_000_000 as never,
      fees: 0 as never,
      realizedPnl: 0 as never,
      unrealizedPnl: 0 as never,
      positions: [],
      fills: 0,
      dayPnl: 0 as never,
    });
    m.apply(submit('L', 'BUY', 10, 99_000));
    m.apply(submit('S', 'SELL', 5, 101_000));
    const v = m.get('paper', 's1')!;
    expect(v.openOrders.map((o) => o.clientOrderId)).toEqual(['S', 'L']);
    expect(v.buyingPower).toBe(100_000_000 - 10 * 99_000);
  });
});
