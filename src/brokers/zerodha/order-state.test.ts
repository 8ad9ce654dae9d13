import { describe, expect, it } from 'vitest';
import { clientOrderIdOf, paise, strategyId } from '../../model/index.js';
import { zerodhaCharges } from '../../../test/helpers/charges.js';
import { confirmOrder, rejectCodeOf, type TrackedOrder } from './order-state.js';
import type { KiteOrder, KiteTrade } from './parse.js';

const charges = zerodhaCharges();
const ID = clientOrderIdOf('zerodha', { nonce: 5, epoch: 0 }, 9);

const tracked: TrackedOrder = {
  clientOrderId: ID,
  strategyId: strategyId('s1'),
  token: 738561,
  side: 'BUY',
  quantity: 10,
  product: 'CNC',
  refPrice: 100_000,
  kiteOrderId: null,
  accepted: false,
  filled: 0,
  done: false,
  modifications: 0,
};

function kite(status: string, filled = 0, over: Partial<KiteOrder> = {}): KiteOrder {
  return {
    orderId: '151220000000000',
    status,
    tag: ID,
    exchange: 'NSE',
    tradingsymbol: 'RELIANCE',
    token: 738561,
    side: 'BUY',
    orderType: 'LIMIT',
    product: 'CNC',
    validity: 'DAY',
    quantity: 10,
    filledQuantity: filled,
    pendingQuantity: 10 - filled,
    cancelledQuantity: 0,
    price: paise(100_000),
    triggerPrice: paise(0),
    averagePrice: paise(0),
    marketProtection: 0,
    statusMessage: null,
    orderTimestamp: '2026-01-05 10:00:00',
    updatedAt: null,
    ...over,
  };
}

const trade = (id: string, quantity: number, price = 100_005): KiteTrade => ({
  tradeId: id,
  orderId: '151220000000000',
  token: 738561,
  exchange: 'NSE',
  tradingsymbol: 'RELIANCE',
  product: 'CNC',
  side: 'BUY',
  quantity,
  price: paise(price),
  filledAt: null,
});

describe('confirming an order from its latest state and trades', () => {
  it('waits while Kite is still validating it', () => {
    const r = confirmOrder(tracked, kite('VALIDATION PENDING'), [], charges);
    expect(r).toMatchObject({ events: [], again: true });
  });

  it('accepts an open order once, with its Kite order id', () => {
    const r = confirmOrder(tracked, kite('OPEN'), [], charges);
    expect(r.events).toMatchObject([{ type: 'OrderAccepted', brokerOrderId: '151220000000000' }]);
    expect(confirmOrder(r.order, kite('OPEN'), [], charges).events).toEqual([]);
  });

  it('reports each trade once, priced and charged, and never lowers the filled quantity', () => {
    const a = confirmOrder(tracked, kite('OPEN', 4), [trade('2', 4)], charges);
    expect(a.events.map((e) => e.type)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(a.events[1]).toMatchObject({ quantity: 4, price: 100_005, slippage: 5, tickSeq: 0 });
    expect((a.events[1] as { fees: number }).fees).toBeGreaterThan(0);
    // The same hint again, and an older one, change nothing.
    expect(confirmOrder(a.order, kite('OPEN', 4), [trade('2', 4)], charges).events).toEqual([]);
    const stale = confirmOrder(a.order, kite('OPEN', 2), [trade('2', 4)], charges);
    expect(stale.events).toEqual([]);
    expect(stale.order.filled).toBe(4);
    const b = confirmOrder(a.order, kite('COMPLETE', 10), [trade('10', 6), trade('2', 4)], charges);
    expect(b.events).toMatchObject([{ type: 'OrderFilled', quantity: 6 }]);
    expect(b.order).toMatchObject({ filled: 10, done: true });
    expect(confirmOrder(b.order, kite('COMPLETE', 10), [], charges).events).toEqual([]);
  });

  it('confirms again when Kite says COMPLETE before its trades show', () => {
    const r = confirmOrder(tracked, kite('COMPLETE', 10), [trade('1', 6)], charges);
    expect(r.events.map((e) => e.type)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(r).toMatchObject({ again: true, order: { filled: 6, done: false } });
  });

  it('cancels the unfilled rest, once its trades are in', () => {
    const behind = confirmOrder(tracked, kite('CANCELLED', 3), [], charges);
    expect(behind.again).toBe(true);
    expect(behind.events.map((e) => e.type)).toEqual(['OrderAccepted']);
    const r = confirmOrder(behind.order, kite('CANCELLED', 3), [trade('1', 3)], charges);
    expect(r.events).toMatchObject([
      { type: 'OrderFilled', quantity: 3 },
      { type: 'OrderCanceled', quantity: 7 },
    ]);
    expect(r.order.done).toBe(true);
  });

  it('refuses an order Kite rejected before accepting it, with the code its message says', () => {
    const r = confirmOrder(
      tracked,
      kite('REJECTED', 0, { statusMessage: 'Insufficient holdings to sell' }),
      [],
      charges,
    );
    expect(r.events).toMatchObject([
      { type: 'OrderRejected', code: 'NO_POSITION_TO_SELL', quantity: 10 },
    ]);
  });

  it('ends an accepted order Kite rejects later as canceled, never accepted and rejected', () => {
    const open = confirmOrder(tracked, kite('OPEN'), [], charges).order;
    const r = confirmOrder(
      open,
      kite('REJECTED', 0, { statusMessage: 'exchange closed' }),
      [],
      charges,
    );
    expect(r.events).toMatchObject([{ type: 'OrderCanceled', quantity: 10 }]);
  });

  it('maps rejection messages to codes', () => {
    expect(rejectCodeOf('Insufficient funds. Required margin is 95417.84')).toBe(
      'INSUFFICIENT_CASH',
    );
    expect(rejectCodeOf('Check holdings')).toBe('NO_POSITION_TO_SELL');
    expect(rejectCodeOf(null)).toBe('BROKER_ERROR');
  });
});
