import { zerodhaCharges } from '../../../test/helpers/charges.js';
import { describe, expect, it } from 'vitest';
import {
  bookTick,
  cancelOf,
  istMs,
  modifyOf,
  orderIdOf,
  submitOf,
  timerAt,
  type Level,
} from '../../../test/helpers/orders.js';
import {
  paise,
  quantity,
  type MarketTick,
  type MarketTimerFired,
  type OrderEvent,
  type OrderType,
  type SubmitOrder,
} from '../../model/index.js';
import { SeededRandom, SimulatedClock } from '../../runtime/index.js';
import type { BrokerCommand } from '../broker.js';
import { PaperBroker } from './paper-broker.js';
import type { PaperBrokerConfig } from './paper-config.js';

const TOKENS = [738561, 256265];

type Step =
  | { readonly at: number; readonly tick: MarketTick; readonly seq: number }
  | { readonly at: number; readonly command: BrokerCommand }
  | { readonly at: number; readonly timer: MarketTimerFired };

/** A reproducible session: two instruments, every order type, cancels, modifies and timers. */
function session(seed: number, steps = 600): Step[] {
  const r = new SeededRandom(seed);
  const out: Step[] = [];
  const mid = new Map(TOKENS.map((t) => [t, 10_000]));
  const volume = new Map(TOKENS.map((t) => [t, 0]));
  const placed: SubmitOrder[] = [];
  let at = istMs('2026-01-05', 9, 15);
  let seq = 0;
  let n = 0;
  for (let i = 0; i < steps; i++) {
    at += 1_000;
    const token = TOKENS[r.nextU32() % TOKENS.length]!;
    const roll = r.next();
    if (i === 300) {
      out.push({ at, timer: timerAt('MIS_SQUARE_OFF', at) });
    } else if (roll < 0.55) {
      const m = mid.get(token)! + ((r.nextU32() % 9) - 4) * 5;
      mid.set(token, m);
      volume.set(token, volume.get(token)! + (r.nextU32() % 400));
      const depth = r.next() < 0.85;
      const side = (dir: 1 | -1): Level[] =>
        [0, 1, 2].map((k) => [m + dir * 5 * (k + 1), 20 + (r.nextU32() % 200)] as const);
      out.push({
        at,
        seq: ++seq,
        tick: bookTick(token, {
          lastPrice: m + ((r.nextU32() % 3) - 1) * 5,
          volume: volume.get(token)!,
          ...(depth ? { bids: side(-1), asks: side(1) } : {}),
        }),
      });
    } else if (roll < 0.85 || placed.length === 0) {
      const types: OrderType[] = ['MARKET', 'LIMIT', 'SL', 'SL-M'];
      const orderType = types[r.nextU32() % 4]!;
      const side = r.next() < 0.5 ? 'BUY' : 'SELL';
      const m = mid.get(token)!;
      const away = ((r.nextU32() % 7) - 3) * 5;
      const dir = side === 'BUY' ? 1 : -1;
      const o = submitOf(orderIdOf(++n, seed), token, side, 1 + (r.nextU32() % 150), {
        orderType,
        validity: (['DAY', 'DAY', 'IOC', 'FOK'] as const)[r.nextU32() % 4]!,
        product: r.next() < 0.7 ? 'MIS' : 'CNC',
        price: paise(m),
        ...(orderType === 'LIMIT' ? { limitPrice: paise(m + away) } : {}),
        ...(orderType === 'SL'
          ? { triggerPrice: paise(m + dir * 10), limitPrice: paise(m + dir * 20) }
          : {}),
        ...(orderType === 'SL-M' ? { triggerPrice: paise(m + dir * 10) } : {}),
        ...(orderType === 'MARKET' || orderType === 'SL-M'
          ? { protectionPrice: paise(m + dir * 50) }
          : {}),
        ...(r.next() < 0.3
          ? { bracket: { takeProfit: paise(m + dir * 40), stopLoss: paise(m - dir * 40) } }
          : {}),
      });
      placed.push(o);
      out.push({ at, command: o });
    } else {
      // One of the last few orders, which may still be open.
      const o = placed[placed.length - 1 - (r.nextU32() % Math.min(4, placed.length))]!;
      const target = r.next() < 0.3 ? { ...o, clientOrderId: orderIdOf(999_999, seed) } : o;
      const change = r.next();
      out.push({
        at,
        command:
          change < 0.4
            ? cancelOf(target)
            : change < 0.7
              ? modifyOf(target, { quantity: quantity(o.quantity + 10) })
              : modifyOf(target, { limitPrice: paise(mid.get(o.token)! - 5) }),
      });
    }
  }
  out.push({ at: at + 1, timer: timerAt('SESSION_CLOSE', at + 1) });
  return out;
}

function play(broker: PaperBroker, clock: SimulatedClock, steps: readonly Step[]): OrderEvent[] {
  const out: OrderEvent[] = [];
  for (const s of steps) {
    clock.set(s.at);
    if ('tick' in s) out.push(...broker.onTick(s.tick, s.seq));
    else if ('command' in s) out.push(...broker.handle(s.command));
    else out.push(...broker.onTimer(s.timer));
  }
  return out;
}

const CONFIG: PaperBrokerConfig = {
  charges: zerodhaCharges(),
  latencyMs: 300,
  latencyJitterMs: 2_500,
  seed: 5,
};
const fresh = (config = CONFIG) => {
  const clock = new SimulatedClock(0);
  return { clock, broker: new PaperBroker(config, clock) };
};

describe('PaperBroker snapshot and restore', () => {
  const steps = session(11);

  it('reproduces a whole session from the same inputs, and it exercises every event type', () => {
    const a = fresh();
    const b = fresh();
    const first = play(a.broker, a.clock, steps);
    expect(play(b.broker, b.clock, steps)).toEqual(first);
    const types = new Set(first.map((e) => e.type));
    expect([...types].sort()).toEqual([
      'OrderAccepted',
      'OrderCanceled',
      'OrderCommandRejected',
      'OrderFilled',
      'OrderModified',
      'OrderRejected',
    ]);
    expect(first.some((e) => e.clientOrderId.endsWith('T') || e.clientOrderId.endsWith('S'))).toBe(
      true,
    );
    expect(first.some((e) => e.clientOrderId.startsWith('SQ'))).toBe(true);
  });

  it('continues identically after snapshot → JSON → restore, wherever it is cut', () => {
    const whole = fresh();
    const all = play(whole.broker, whole.clock, steps);
    for (const cut of [1, 97, 250, 301, 444, steps.length - 1]) {
      const a = fresh();
      const head = play(a.broker, a.clock, steps.slice(0, cut));
      const saved: unknown = JSON.parse(JSON.stringify(a.broker.snapshot()));
      const b = fresh();
      b.clock.set(a.clock.now());
      b.broker.restore(saved);
      expect(b.broker.snapshot()).toEqual(a.broker.snapshot());
      expect([...head, ...play(b.broker, b.clock, steps.slice(cut))]).toEqual(all);
    }
  });

  it('a different seed may place orders differently in time and queue', () => {
    const a = fresh();
    const b = fresh({ ...CONFIG, seed: 6 });
    expect(play(b.broker, b.clock, steps)).not.toEqual(play(a.broker, a.clock, steps));
  });
});

describe('PaperBroker.restore refusals', () => {
  function withOpenOrder() {
    const { clock, broker } = fresh({ charges: zerodhaCharges() });
    clock.set(istMs('2026-01-05', 10));
    broker.onTick(bookTick(TOKENS[0]!, { lastPrice: 10_000, asks: [[10_000, 10]] }), 1);
    broker.handle(
      submitOf(orderIdOf(1), TOKENS[0]!, 'BUY', 5, {
        orderType: 'LIMIT',
        limitPrice: paise(9_000),
      }),
    );
    return broker;
  }

  const refusals: [string, (s: ReturnType<PaperBroker['snapshot']>) => unknown, RegExp][] = [
    ['a wrong version', (s) => ({ ...s, version: 1 }), /version/],
    ['a fractional counter', (s) => ({ ...s, ordersAccepted: 0.5 }), /ordersAccepted/],
    ['an order with no last tick', (s) => ({ ...s, lastTicks: [] }), /has no last tick/],
    [
      'an order filled in full',
      (s) => ({ ...s, orders: s.orders.map((o) => ({ ...o, filled: o.quantity })) }),
      /is not open/,
    ],
    [
      'a LIMIT without its price',
      (s) => ({ ...s, orders: s.orders.map((o) => ({ ...o, limitPrice: null })) }),
      /LIMIT with limitPrice null/,
    ],
    ['an order twice', (s) => ({ ...s, orders: [...s.orders, ...s.orders] }), /twice/],
    [
      'an unknown field',
      (s) => ({ ...s, orders: s.orders.map((o) => ({ ...o, colour: 'red' })) }),
      /colour/,
    ],
    [
      'an empty account',
      (s) => ({ ...s, accounts: [{ strategyId: 'momentum', token: 1, cnc: 0, mis: 0 }] }),
      /holds nothing/,
    ],
  ];
  for (const [what, damage, message] of refusals) {
    it(`throws a TypeError naming ${what}, and keeps its state`, () => {
      const broker = withOpenOrder();
      const before = broker.snapshot();
      expect(() => broker.restore(damage(before))).toThrow(TypeError);
      expect(() => broker.restore(damage(before))).toThrow(message);
      expect(broker.snapshot()).toEqual(before);
    });
  }
});

describe('PaperBroker.onTick', () => {
  it('returns the one frozen empty array when nothing happens', () => {
    const { broker } = fresh({ charges: zerodhaCharges() });
    const t = bookTick(TOKENS[0]!, { lastPrice: 10_000 });
    const a = broker.onTick(t, 1);
    const b = broker.onTick(t, 2);
    expect(a).toEqual([]);
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(broker.onTick(t, 2)).toBe(a);
  });
});
