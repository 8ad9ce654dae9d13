/**
 * Test builders for the risk gate: limits, the run's instruments, market hours, signals, fills,
 * a check view, and a running gate on a simulated clock. Everything goes through the real
 * constructors (riskLimits, parseInstrumentsCsv, paise, quantity, clientOrderIdOf).
 */
import { createActor } from 'xstate';
import {
  clientOrderIdOf,
  paise,
  parseInstrumentsCsv,
  quantity,
  strategyId,
  type ClientOrderId,
  type OrderCanceled,
  type OrderFilled,
  type OrderRejected,
  type OrderSpec,
  type OrderType,
  type Paise,
  type Product,
  type Validity,
  type Side,
  type SignalRejected,
  type SignalValidated,
  type SubmitOrder,
  type TradingSignal,
  type TradingStateChanged,
} from '../../src/model/index.js';
import { SimulatedClock } from '../../src/runtime/index.js';
import {
  resolveOrder,
  riskGateMachine,
  riskLimits,
  type GateView,
  type MarketHours,
  type RiskGateData,
  type RiskGateEmitted,
  type RiskLimits,
} from '../../src/actors/risk-gate/index.js';
import { configFile } from './fixtures.js';
import { makeTick } from './ticks.js';

/**
 * Limits for tests. The real ones come from configuration; these follow its sources: a 10% band
 * and the order-rate limits of SPEC §4 and Kite Connect (10/s, 400/min, 5,000/day), at most 10
 * slices (SEBI autoslice), 50 trades a day (the original's MaxDailyTrades). Slicing and the loss
 * limits are off unless a test turns them on.
 */
export const TEST_LIMITS: RiskLimits = riskLimits({
  maxPositionPerInstrument: 1_000,
  priceBandBps: 1_000,
  maxNotionalPerOrder: 100_000_000,
  minQuantity: 1,
  maxQuantity: 10_000,
  startingCash: 100_000_000,
  cashBufferBps: 50,
  defaultProduct: 'CNC',
  marketProtectionBps: 200,
  freezeQuantity: 0,
  maxSlices: 10,
  maxOpenOrders: 100,
  maxDailyTrades: 50,
  ordersPerSecond: 10,
  ordersPerMinute: 400,
  ordersPerDay: 5_000,
  allowedInstruments: null,
  misEntryCutoffMinute: 15 * 60 + 15,
  dailyLossLimitPerStrategy: 0,
  dailyLossLimitPerBroker: 0,
  maxDrawdownPerStrategy: 0,
  lossLimitAction: 'REDUCING',
});

/** The 20 instruments of config/instruments.csv, plus a futures-like one traded in lots of 25. */
export const INSTRUMENTS = [
  ...parseInstrumentsCsv(configFile('instruments.csv')),
  ...parseInstrumentsCsv(
    'instrument_token,tradingsymbol,name,exchange,tick_size,lot_size,ref_price,segment\n' +
      '9999001,LOTTY,LOT TEST,NSE,0.10,25,500.00,NSE\n',
  ),
];
export const RELIANCE = 738561;
export const TCS = 2953217;
export const NIFTY = 256265;
/** Lot size 25, tick size 10 paise. */
export const LOTTY = 9999001;

const IST_OFFSET_MS = 19_800_000;
/** Monday 5 January 2026, 10:00 IST, epoch ms. */
export const MONDAY_10_IST = Date.UTC(2026, 0, 5, 4, 30);
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** The IST calendar date of `t`, YYYY-MM-DD. */
export function istDate(t: number): string {
  return new Date(t + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Market hours open around the clock, with IST calendar days as trading days (24×7 mode). */
export const OPEN_ALWAYS: MarketHours = { isOpen: () => true, tradingDay: istDate };

export const S1 = strategyId('s1');
export const S2 = strategyId('s2');

/** An OrderSpec with plain numbers for prices (made paise by `specOf`). */
export interface PlainOrderSpec {
  readonly orderType?: OrderType;
  readonly validity?: Validity;
  readonly product?: Product;
  readonly limitPrice?: number;
  readonly triggerPrice?: number;
  readonly bracket?: { readonly takeProfit?: number; readonly stopLoss?: number };
}

const priced = <K extends string>(k: K, v: number | undefined) =>
  (v === undefined ? {} : { [k]: paise(v) }) as Partial<Record<K, Paise>>;

/** The OrderSpec of a plain one, prices through `paise`. */
export function specOf(o: PlainOrderSpec): OrderSpec {
  return {
    ...(o.orderType === undefined ? {} : { orderType: o.orderType }),
    ...(o.validity === undefined ? {} : { validity: o.validity }),
    ...(o.product === undefined ? {} : { product: o.product }),
    ...priced('limitPrice', o.limitPrice),
    ...priced('triggerPrice', o.triggerPrice),
    ...(o.bracket === undefined
      ? {}
      : {
          bracket: {
            ...priced('takeProfit', o.bracket.takeProfit),
            ...priced('stopLoss', o.bracket.stopLoss),
          },
        }),
  };
}

export interface SignalOptions {
  readonly price?: number;
  readonly strategy?: string;
  readonly token?: number;
  readonly order?: PlainOrderSpec;
}

export function signalOf(side: Side, q: number, o: SignalOptions = {}): TradingSignal {
  return {
    type: 'TradingSignal',
    broker: 'paper',
    strategyId: strategyId(o.strategy ?? 's1'),
    token: o.token ?? RELIANCE,
    side,
    quantity: quantity(q),
    price: paise(o.price ?? 100_000),
    confidence: 0.5,
    reasoning: 'test',
    tickSeq: 1,
    ...(o.order === undefined ? {} : { order: specOf(o.order) }),
  };
}

/** A check view of `s` in a quiet, open market with the last price at the signal's. */
export function viewFor(
  s: TradingSignal,
  over: Partial<GateView> = {},
  limits: RiskLimits = TEST_LIMITS,
): GateView {
  const instrument = INSTRUMENTS.find((i) => i.token === s.token);
  const lastPrice = 'lastPrice' in over ? over.lastPrice : s.price;
  return {
    state: 'ACTIVE',
    stateOf: 'ACTIVE',
    lastPrice,
    exposure: 0,
    availableCash: limits.startingCash,
    instrument,
    now: MONDAY_10_IST,
    marketOpen: true,
    minuteOfDay: 600,
    tradingDay: '2026-01-05',
    order: resolveOrder(s, lastPrice, instrument, limits),
    openOrders: 0,
    tradesToday: 0,
    ordersThisSecond: 0,
    ordersThisMinute: 0,
    ordersToday: 0,
    throttledUntil: 0,
    ...over,
  };
}

export type Decision = SignalValidated | SignalRejected;

/** What a decision says in one word: VALIDATED or the denial code. */
export const outcome = (d: Decision): string =>
  d.type === 'SignalRejected' ? d.code : 'VALIDATED';

export interface RigOptions {
  readonly limits?: Partial<RiskLimits>;
  readonly hours?: MarketHours;
  readonly start?: number;
  readonly restore?: RiskGateData;
  readonly clock?: SimulatedClock;
}

/** A running paper risk gate on a simulated clock, with helpers that speak its messages. */
export function gateRig(o: RigOptions = {}) {
  const clock = o.clock ?? new SimulatedClock(o.start ?? MONDAY_10_IST);
  const input = {
    broker: 'paper' as const,
    limits: { ...TEST_LIMITS, ...o.limits },
    instruments: INSTRUMENTS,
    hours: o.hours ?? OPEN_ALWAYS,
    clock,
    ...(o.restore === undefined ? {} : { restore: o.restore }),
  };
  const actor = createActor(riskGateMachine, { input });
  const emitted: RiskGateEmitted[] = [];
  actor.on('*', (e) => emitted.push(e));
  actor.start();
  let nextId = 1;
  const ctx = () => actor.getSnapshot().context;

  const rig = {
    actor,
    clock,
    emitted,
    ctx,
    /** A tick of `token` at `price` paise. */
    tick(price = 100_000, token = RELIANCE) {
      actor.send({
        type: 'TicksReceived',
        ticks: [makeTick(token, price, { ts: clock.now() })],
        seqs: [1],
      });
    },
    /** Sends a signal and returns the gate's decision on it. */
    decide(s: TradingSignal): Decision {
      const n = emitted.length;
      actor.send(s);
      const d = emitted
        .slice(n)
        .filter((e) => e.type === 'SignalValidated' || e.type === 'SignalRejected');
      if (d.length !== 1) throw new Error(`expected one decision, got ${JSON.stringify(d)}`);
      return d[0] as Decision;
    },
    /** The decision's outcome in one word. */
    outcome(side: Side, q: number, so: SignalOptions = {}): string {
      return outcome(rig.decide(signalOf(side, q, so)));
    },
    /** Places a validated order's slices as the trader would; returns their client order ids. */
    submit(d: Decision): ClientOrderId[] {
      if (d.type !== 'SignalValidated') throw new Error(`not validated: ${JSON.stringify(d)}`);
      const s = d.signal;
      return d.order.slices.map((q) => {
        const id = clientOrderIdOf('paper', { nonce: 1, epoch: 0 }, nextId++);
        const order: SubmitOrder = {
          type: 'SubmitOrder',
          broker: 'paper',
          clientOrderId: id,
          strategyId: s.strategyId,
          token: s.token,
          side: s.side,
          quantity: q,
          orderType: d.order.orderType,
          validity: d.order.validity,
          product: d.order.product,
          price: s.price,
        };
        actor.send(order);
        return id;
      });
    },
    fill(f: FillOptions) {
      actor.send(fillOf(f));
    },
    reject(f: Omit<FillOptions, 'price' | 'fees'>) {
      const e: OrderRejected = {
        type: 'OrderRejected',
        ...orderFields(f),
        side: f.side,
        quantity: quantity(f.quantity),
        code: 'NO_LIQUIDITY',
        detail: 'no depth',
      };
      actor.send(e);
    },
    cancel(f: Omit<FillOptions, 'price' | 'fees'>) {
      const e: OrderCanceled = {
        type: 'OrderCanceled',
        ...orderFields(f),
        side: f.side,
        quantity: quantity(f.quantity),
        reason: 'canceled by test',
      };
      actor.send(e);
    },
    /** Validates, places and fully fills an order at `price`: how a real position is built. */
    trade(side: Side, q: number, so: SignalOptions = {}, fees = 0) {
      const d = rig.decide(signalOf(side, q, so));
      if (d.type !== 'SignalValidated') throw new Error(`trade refused: ${JSON.stringify(d)}`);
      const ids = rig.submit(d);
      ids.forEach((id, i) =>
        rig.fill({
          id,
          side,
          quantity: d.order.slices[i]!,
          price: so.price ?? 100_000,
          fees: i === 0 ? fees : 0,
          strategy: so.strategy ?? 's1',
          token: so.token ?? RELIANCE,
        }),
      );
    },
    /** The TradingStateChanged messages emitted so far. */
    changes(): TradingStateChanged[] {
      return emitted.filter((e): e is TradingStateChanged => e.type === 'TradingStateChanged');
    },
  };
  return rig;
}

export interface FillOptions {
  readonly id: ClientOrderId;
  readonly side: Side;
  readonly quantity: number;
  readonly price?: number;
  readonly fees?: number;
  readonly strategy?: string;
  readonly token?: number;
}

function orderFields(f: Omit<FillOptions, 'price' | 'fees'>) {
  return {
    broker: 'paper' as const,
    clientOrderId: f.id,
    strategyId: strategyId(f.strategy ?? 's1'),
    token: f.token ?? RELIANCE,
  };
}

export function fillOf(f: FillOptions): OrderFilled {
  return {
    type: 'OrderFilled',
    ...orderFields(f),
    side: f.side,
    quantity: quantity(f.quantity),
    price: paise(f.price ?? 100_000),
    fees: paise(f.fees ?? 0),
    slippage: paise(0),
    tickSeq: 1,
    product: 'CNC',
  };
}

/** A client order id for orders the tests place by hand. */
export const orderId = (n: number): ClientOrderId =>
  clientOrderIdOf('paper', { nonce: 2, epoch: 0 }, n);
