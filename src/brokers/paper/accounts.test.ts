import { computeCharges } from './charges.js';
import { zerodhaCharges, zerodhaRates } from '../../../test/helpers/charges.js';
import { describe, expect, it } from 'vitest';
import { bookTick, istMs, modifyOf, orderIdOf, submitOf } from '../../../test/helpers/orders.js';
import { paperRig, typesOf } from '../../../test/helpers/paper-rig.js';
import {
  paise,
  quantity,
  strategyId,
  type OrderEvent,
  type OrderFilled,
} from '../../model/index.js';

const TOKEN = 738561;
const id = (n: number) => orderIdOf(n);
const BOOK = bookTick(TOKEN, {
  lastPrice: 10_000,
  bids: [[9_995, 1_000]],
  asks: [[10_000, 1_000]],
});

describe('CNC holdings', () => {
  it('refuse a CNC sell beyond what the strategy holds: NO_POSITION_TO_SELL', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    const events = rig.send(submitOf(id(1), TOKEN, 'SELL', 10));
    expect(events).toMatchObject([
      { type: 'OrderRejected', code: 'NO_POSITION_TO_SELL', quantity: 10, side: 'SELL' },
    ]);
    expect(events[0]).toHaveProperty('detail', expect.stringContaining('holds 0'));
  });

  it('count only the strategy’s own CNC fills, less the shares open sells may still sell', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    rig.send(submitOf(id(1), TOKEN, 'BUY', 10));
    rig.send(submitOf(id(2), TOKEN, 'BUY', 50, { product: 'MIS' }));
    // Another strategy holds nothing here.
    const other = rig.send(submitOf(id(3), TOKEN, 'SELL', 1, { strategyId: strategyId('other') }));
    expect(other).toMatchObject([{ code: 'NO_POSITION_TO_SELL' }]);
    // A resting CNC sell of 6 leaves 4 free.
    const resting = submitOf(id(4), TOKEN, 'SELL', 6, {
      orderType: 'LIMIT',
      limitPrice: paise(10_100),
    });
    expect(typesOf(rig.send(resting))).toEqual(['OrderAccepted']);
    expect(rig.send(submitOf(id(5), TOKEN, 'SELL', 5))).toMatchObject([
      { code: 'NO_POSITION_TO_SELL' },
    ]);
    expect(rig.send(modifyOf(resting, { quantity: quantity(11) }))).toMatchObject([
      { type: 'OrderCommandRejected', code: 'NO_POSITION_TO_SELL' },
    ]);
    expect(typesOf(rig.send(submitOf(id(6), TOKEN, 'SELL', 4)))).toEqual([
      'OrderAccepted',
      'OrderFilled',
    ]);
    expect(rig.broker.snapshot().accounts).toEqual([
      { strategyId: 'momentum', token: TOKEN, cnc: 6, mis: 50 },
    ]);
  });
});

describe('MIS positions', () => {
  it('may go short', () => {
    const rig = paperRig();
    rig.tick(BOOK);
    expect(typesOf(rig.send(submitOf(id(1), TOKEN, 'SELL', 25, { product: 'MIS' })))).toEqual([
      'OrderAccepted',
      'OrderFilled',
    ]);
    expect(rig.broker.snapshot().accounts).toMatchObject([{ cnc: 0, mis: -25 }]);
  });
});

describe('the DP charge on delivery sells', () => {
  const feesOf = (events: readonly OrderEvent[]) =>
    events.filter((e) => e.type === 'OrderFilled').map((e) => (e as OrderFilled).fees);

  it("is paid by a strategy's first CNC sell of a scrip on a trading day, and only by it", () => {
    const rates = zerodhaRates();
    const rig = paperRig();
    rig.tick(BOOK);
    rig.send(submitOf(id(1), TOKEN, 'BUY', 30));
    const [first] = feesOf(rig.send(submitOf(id(2), TOKEN, 'SELL', 10)));
    const [second] = feesOf(rig.send(submitOf(id(3), TOKEN, 'SELL', 10)));
    // The same sell, but its DP was paid by the first: the difference is the DP charge.
    expect(first! - second!).toBe(rates.dpChargePaise);
    // An MIS sell never pays it.
    rig.send(submitOf(id(4), TOKEN, 'BUY', 10, { product: 'MIS' }));
    const [mis] = feesOf(rig.send(submitOf(id(5), TOKEN, 'SELL', 10, { product: 'MIS' })));
    const plain = computeCharges(
      'SELL',
      10,
      mis === undefined ? 0 : 9_995,
      'MIS',
      zerodhaCharges(),
    );
    expect(mis).toBe(plain.total);
    // The next trading day, the scrip's first delivery sell pays it again.
    rig.clock.set(istMs('2026-01-06', 10));
    rig.tick(BOOK);
    const [nextDay] = feesOf(rig.send(submitOf(id(6), TOKEN, 'SELL', 10)));
    expect(nextDay).toBe(first);
  });
});
