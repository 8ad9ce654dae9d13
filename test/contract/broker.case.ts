/**
 * The broker adapter contract (src/brokers/broker.ts): behaviours every adapter must show, paper
 * or Zerodha alike, each a case with a stable id (BC-01, BC-02, ...). Cases speak only through
 * an async harness, so the Zerodha adapter can run them against a fake Kite server: a harness
 * resolves each call with every order event the call caused (a remote adapter's harness waits
 * for the fake server's order updates). After each case the suite checks the lifecycle of every
 * order it saw: accepted at most once, never both accepted and rejected, fills and cancels only
 * after acceptance and never more than the order's quantity, identity fields consistent.
 */
import { describe, expect, it } from 'vitest';
import { paise, quantity, type BrokerName, type OrderEvent } from '../../src/model/index.js';
import {
  BrokerSession,
  CONTRACT_STRATEGY,
  CONTRACT_TOKEN,
  fills,
  type BrokerHarness,
} from '../helpers/broker-session.js';

export { BrokerSession, CONTRACT_TOKEN, type BrokerHarness };

export interface BrokerCase {
  /** BC-01, BC-02, ...: stable, so an adapter may name a case it cannot yet pass. */
  readonly id: string;
  readonly name: string;
  run(s: BrokerSession): Promise<void>;
}

const types = (events: readonly OrderEvent[]): string[] => events.map((e) => e.type);

export const BROKER_CASES: readonly BrokerCase[] = [
  {
    id: 'BC-01',
    name: 'accepts a marketable MARKET order once, with a broker order id, and fills it in full',
    async run(s) {
      await s.deepBook();
      const o = s.order('BUY', 10);
      await s.send(o);
      const accepted = s.of(o.clientOrderId).filter((e) => e.type === 'OrderAccepted');
      expect(accepted).toHaveLength(1);
      expect(s.filledOf(o.clientOrderId)).toBe(10);
      for (const f of fills(s.of(o.clientOrderId))) {
        expect(f).toMatchObject({ side: 'BUY', product: 'CNC', token: CONTRACT_TOKEN });
        expect(f.price).toBeLessThanOrEqual(105_000);
      }
    },
  },
  {
    id: 'BC-02',
    name: 'fills a marketable LIMIT at or better than its limit',
    async run(s) {
      await s.deepBook();
      const o = s.limit('BUY', 20, 100_050);
      await s.send(o);
      expect(s.filledOf(o.clientOrderId)).toBe(20);
      for (const f of fills(s.of(o.clientOrderId))) expect(f.price).toBeLessThanOrEqual(100_050);
    },
  },
  {
    id: 'BC-03',
    name: 'rests a DAY LIMIT away from the market: accepted, nothing filled or canceled',
    async run(s) {
      await s.deepBook();
      const o = s.limit('BUY', 20, 95_000);
      expect(types(await s.send(o))).toEqual(['OrderAccepted']);
      await s.deepBook();
      expect(s.of(o.clientOrderId).map((e) => e.type)).toEqual(['OrderAccepted']);
    },
  },
  {
    id: 'BC-04',
    name: 'fills a resting LIMIT when a later tick crosses it, never worse than its limit',
    async run(s) {
      await s.deepBook();
      const o = s.limit('BUY', 20, 99_000);
      await s.send(o);
      await s.tick(98_900, { bids: [[98_850, 5_000]], asks: [[98_900, 5_000]] });
      expect(s.filledOf(o.clientOrderId)).toBe(20);
      for (const f of fills(s.of(o.clientOrderId))) expect(f.price).toBeLessThanOrEqual(99_000);
    },
  },
  {
    id: 'BC-05',
    name: 'rejects a LIMIT without a limit price with INVALID_ORDER, without accepting it',
    async run(s) {
      await s.deepBook();
      const { limitPrice: _, ...o } = s.limit('BUY', 5, 100_000);
      expect(await s.send(o)).toMatchObject([
        { type: 'OrderRejected', code: 'INVALID_ORDER', clientOrderId: o.clientOrderId },
      ]);
    },
  },
  {
    id: 'BC-06',
    name: 'rejects a limit price off the tick size with INVALID_ORDER',
    async run(s) {
      await s.deepBook();
      const o = s.limit('BUY', 5, 100_002);
      expect(await s.send(o)).toMatchObject([{ type: 'OrderRejected', code: 'INVALID_ORDER' }]);
    },
  },
  {
    id: 'BC-07',
    name: 'refuses an order addressed to another broker with BROKER_ERROR',
    async run(s) {
      await s.deepBook();
      const other: BrokerName = s.h.broker === 'paper' ? 'zerodha' : 'paper';
      const o = s.order('BUY', 5, { broker: other });
      expect(await s.send(o)).toMatchObject([{ type: 'OrderRejected', code: 'BROKER_ERROR' }]);
    },
  },
  {
    id: 'BC-08',
    name: 'cancels an open order: OrderCanceled with its unfilled quantity',
    async run(s) {
      await s.deepBook();
      const o = s.limit('BUY', 30, 95_000);
      await s.send(o);
      expect(await s.send(s.cancelOf(o))).toMatchObject([
        { type: 'OrderCanceled', clientOrderId: o.clientOrderId, side: 'BUY', quantity: 30 },
      ]);
    },
  },
  {
    id: 'BC-09',
    name: 'refuses to cancel a filled order: ORDER_NOT_OPEN',
    async run(s) {
      await s.deepBook();
      const o = s.order('BUY', 5);
      await s.send(o);
      expect(await s.send(s.cancelOf(o))).toMatchObject([
        { type: 'OrderCommandRejected', command: 'CancelOrder', code: 'ORDER_NOT_OPEN' },
      ]);
    },
  },
  {
    id: 'BC-10',
    name: 'refuses to cancel an order it never saw, or one already canceled: ORDER_NOT_OPEN',
    async run(s) {
      await s.deepBook();
      const never = s.order('BUY', 5);
      expect(await s.send(s.cancelOf(never))).toMatchObject([{ code: 'ORDER_NOT_OPEN' }]);
      const o = s.limit('BUY', 5, 95_000);
      await s.send(o);
      await s.send(s.cancelOf(o));
      expect(await s.send(s.cancelOf(o))).toMatchObject([{ code: 'ORDER_NOT_OPEN' }]);
    },
  },
  {
    id: 'BC-11',
    name: 'modifies an open order: OrderModified with the new quantity and price',
    async run(s) {
      await s.deepBook();
      const o = s.limit('BUY', 30, 95_000);
      await s.send(o);
      const change = { quantity: quantity(40), limitPrice: paise(95_100) };
      expect(await s.send(s.modifyOf(o, change))).toMatchObject([
        { type: 'OrderModified', quantity: 40, limitPrice: 95_100, modifications: 1 },
      ]);
    },
  },
  {
    id: 'BC-12',
    name: 'refuses to modify an order that is not open: ORDER_NOT_OPEN',
    async run(s) {
      await s.deepBook();
      const o = s.limit('BUY', 30, 95_000);
      await s.send(o);
      await s.send(s.cancelOf(o));
      expect(await s.send(s.modifyOf(o, { quantity: quantity(50) }))).toMatchObject([
        { type: 'OrderCommandRejected', command: 'ModifyOrder', code: 'ORDER_NOT_OPEN' },
      ]);
    },
  },
  {
    id: 'BC-13',
    name: 'refuses a CNC sell beyond the holdings: NO_POSITION_TO_SELL',
    async run(s) {
      await s.deepBook();
      const o = s.order('SELL', 5);
      expect(await s.send(o)).toMatchObject([
        { type: 'OrderRejected', code: 'NO_POSITION_TO_SELL', quantity: 5 },
      ]);
    },
  },
  {
    id: 'BC-14',
    name: 'sells in CNC the shares a CNC buy filled, and no more',
    async run(s) {
      await s.deepBook();
      await s.send(s.order('BUY', 8));
      const sell = s.order('SELL', 8);
      await s.send(sell);
      expect(s.filledOf(sell.clientOrderId)).toBe(8);
      expect(await s.send(s.order('SELL', 1))).toMatchObject([{ code: 'NO_POSITION_TO_SELL' }]);
    },
  },
  {
    id: 'BC-15',
    name: 'does nothing on ticks and timers while it has no open orders',
    async run(s) {
      expect(await s.deepBook()).toEqual([]);
      expect(await s.tick(100_500)).toEqual([]);
      expect(await s.timer('SESSION_OPEN')).toEqual([]);
      expect(await s.timer('SESSION_CLOSE')).toEqual([]);
      await s.send(s.order('BUY', 3));
      expect(await s.deepBook()).toEqual([]);
    },
  },
  {
    id: 'BC-16',
    name: 'never fills more than the order quantity: a market order larger than the book',
    async run(s) {
      await s.tick(100_000, {
        bids: [[99_995, 50]],
        asks: [
          [100_000, 40],
          [100_005, 30],
        ],
      });
      const o = s.order('BUY', 500, { product: 'MIS' });
      await s.send(o);
      await s.tick(100_000, { asks: [[100_000, 5_000]] });
      const done = s
        .of(o.clientOrderId)
        .filter((e) => e.type === 'OrderFilled' || e.type === 'OrderCanceled')
        .reduce((n, e) => n + (e as { quantity: number }).quantity, 0);
      expect(s.filledOf(o.clientOrderId)).toBeGreaterThan(0);
      expect(s.filledOf(o.clientOrderId)).toBeLessThanOrEqual(500);
      expect(done).toBe(500);
    },
  },
  {
    id: 'BC-17',
    name: 'cancels an IOC limit that cannot fill, in full, without a fill',
    async run(s) {
      await s.deepBook();
      const o = s.limit('BUY', 10, 95_000, { validity: 'IOC' });
      await s.send(o);
      expect(types(s.of(o.clientOrderId))).toEqual(['OrderAccepted', 'OrderCanceled']);
      expect(s.of(o.clientOrderId)[1]).toMatchObject({ quantity: 10 });
    },
  },
  {
    id: 'BC-18',
    name: 'expires open DAY orders at the close',
    async run(s) {
      await s.deepBook();
      const o = s.limit('BUY', 10, 95_000);
      await s.send(o);
      expect(await s.timer('SESSION_CLOSE')).toMatchObject([
        { type: 'OrderCanceled', clientOrderId: o.clientOrderId, quantity: 10 },
      ]);
    },
  },
  {
    id: 'BC-19',
    name: 'holds an SL-M until LTP crosses its trigger, then fills it',
    async run(s) {
      await s.deepBook();
      const o = s.order('BUY', 10, {
        orderType: 'SL-M',
        triggerPrice: paise(101_000),
        protectionPrice: paise(103_000),
        product: 'MIS',
      });
      expect(types(await s.send(o))).toEqual(['OrderAccepted']);
      await s.tick(100_500, { bids: [[100_495, 5_000]], asks: [[100_500, 5_000]] });
      expect(s.filledOf(o.clientOrderId)).toBe(0);
      await s.tick(101_000, { bids: [[100_995, 5_000]], asks: [[101_000, 5_000]] });
      expect(s.filledOf(o.clientOrderId)).toBe(10);
    },
  },
  {
    id: 'BC-20',
    name: 'flattens MIS positions and cancels open MIS orders at the square-off',
    async run(s) {
      await s.deepBook();
      await s.send(s.order('BUY', 25, { product: 'MIS' }));
      const open = s.limit('BUY', 5, 95_000, { product: 'MIS' });
      await s.send(open);
      await s.timer('MIS_SQUARE_OFF');
      await s.deepBook();
      expect(s.of(open.clientOrderId).at(-1)).toMatchObject({ type: 'OrderCanceled', quantity: 5 });
      const net = fills(s.events)
        .filter((f) => f.product === 'MIS' && f.strategyId === CONTRACT_STRATEGY)
        .reduce((n, f) => n + (f.side === 'BUY' ? f.quantity : -f.quantity), 0);
      expect(net).toBe(0);
    },
  },
];

/**
 * Runs every case against a fresh harness from `makeHarness`. `notYet` names the cases the
 * adapter cannot pass yet, each with why: they are reported as skipped under that reason.
 */
export function brokerContract(
  name: string,
  makeHarness: () => Promise<BrokerHarness>,
  notYet: Readonly<Record<string, string>> = {},
): void {
  describe(`broker contract: ${name}`, () => {
    for (const c of BROKER_CASES) {
      const why = notYet[c.id];
      if (why !== undefined) {
        it.skip(`${c.id} ${c.name} (not yet: ${why})`, () => undefined);
        continue;
      }
      it(`${c.id} ${c.name}`, async () => {
        const h = await makeHarness();
        try {
          const s = new BrokerSession(h);
          await c.run(s);
          s.checkLifecycles();
        } finally {
          await h.close?.();
        }
      });
    }
  });
}
