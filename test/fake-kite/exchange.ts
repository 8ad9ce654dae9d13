/**
 * The exchange behind the fake: our paper matching engine, fed Kite requests as SubmitOrder,
 * ModifyOrder and CancelOrder, and ticks and timers from the test; its order events become
 * the Kite order book's. Also the RMS funds check (`startingCash`) and the seeded holdings.
 */
import { PaperBroker, type KiteInstrument } from '../../src/brokers/index.js';
import {
  clientOrderId,
  paise,
  parseClientOrderId,
  quantity as qty,
  strategyId,
  type ClientOrderId,
  type MarketTick,
  type MarketTimerFired,
  type OrderEvent,
  type SubmitOrder,
} from '../../src/model/index.js';
import { SimulatedClock } from '../../src/runtime/index.js';
import { zerodhaCharges } from '../helpers/charges.js';
import { inputError } from './kite-error.js';
import { INSTRUMENTS } from './kite-fixtures.js';
import { OrderBook } from './order-book.js';
import { TERMINAL, type KiteOrder } from './order-json.js';
import { parseModify, parsePlace } from './place-params.js';

/** The one strategy every Kite order belongs to at the paper engine. */
const STRATEGY = strategyId('kite');

/** A holding the account starts with; average price in rupees. */
export interface SeedHolding {
  readonly tradingsymbol: string;
  readonly quantity: number;
  readonly averagePrice: number;
}

export interface ExchangeOptions {
  /** Epoch ms the exchange clock starts at; ticks and timers move it forward. */
  readonly startMs: number;
  /** Rupees; absent: the RMS never refuses an order for funds. */
  readonly startingCash?: number | undefined;
  readonly holdings?: readonly SeedHolding[] | undefined;
}

export class FakeExchange {
  readonly clock: SimulatedClock;
  readonly book = new OrderBook();
  readonly instruments: ReadonlyMap<string, KiteInstrument>;
  /** Seeded holdings by token: quantity and average price in paise. */
  readonly holdings = new Map<
    number,
    { readonly quantity: number; readonly averagePrice: number }
  >();
  private readonly paper: PaperBroker;
  private readonly lastTicks = new Map<number, MarketTick>();
  private readonly byToken = new Map<number, KiteInstrument>();
  private seq = 0;
  private synthetic = 0;
  /** Paise; null: unlimited. */
  private cash: number | null;

  constructor(opts: ExchangeOptions) {
    this.clock = new SimulatedClock(opts.startMs);
    this.paper = new PaperBroker({ charges: zerodhaCharges() }, this.clock);
    this.instruments = new Map(INSTRUMENTS.map((i) => [`${i.exchange}:${i.tradingSymbol}`, i]));
    for (const i of INSTRUMENTS) this.byToken.set(i.token, i);
    this.cash = opts.startingCash === undefined ? null : Math.round(opts.startingCash * 100);
    this.seedHoldings(opts.holdings ?? []);
  }

  /** The smallest price step orders must keep to, paise. */
  get tickPaise(): number {
    return this.paper.config.tickSize;
  }

  lastTick(token: number): MarketTick | undefined {
    return this.lastTicks.get(token);
  }

  instrument(token: number): KiteInstrument | undefined {
    return this.byToken.get(token);
  }

  /** Places a POST /orders/:variety request; throws KiteError when Kite would refuse it at once. */
  place(variety: string, form: Readonly<Record<string, string>>): KiteOrder {
    const r = parsePlace(variety, form, this.instruments, this.tickPaise);
    const now = this.clock.now();
    const token = r.instrument.token;
    const last = this.lastTicks.get(token);
    const o = this.book.create(
      {
        clientOrderId: this.clientOrderIdFor(r.tag),
        variety: r.variety,
        exchange: r.instrument.exchange,
        tradingsymbol: r.instrument.tradingSymbol,
        token,
        side: r.side,
        orderType: r.orderType,
        product: r.product,
        validity: r.validity,
        quantity: r.quantity,
        price: r.price,
        triggerPrice: r.triggerPrice,
        marketProtection: r.marketProtection,
        tag: r.tag,
      },
      now,
    );
    const protection = this.protectionPrice(o, last);
    const funds = this.fundsProblem(o, protection ?? last?.lastPrice ?? 0);
    if (funds !== null) {
      this.book.reject(o, funds, 'RMS:Margin Exceeds', now);
      return o;
    }
    const cmd: SubmitOrder = {
      type: 'SubmitOrder',
      broker: 'paper',
      clientOrderId: o.clientOrderId,
      strategyId: STRATEGY,
      token,
      side: o.side,
      quantity: qty(o.quantity),
      orderType: o.orderType,
      validity: o.validity,
      product: o.product,
      price: paise(last?.lastPrice ?? o.price),
      ...(o.price > 0 ? { limitPrice: paise(o.price) } : {}),
      ...(o.triggerPrice > 0 ? { triggerPrice: paise(o.triggerPrice) } : {}),
      ...(protection === null ? {} : { protectionPrice: paise(protection) }),
    };
    this.applyAll(this.paper.handle(cmd));
    return o;
  }

  /** Modifies an open order (PUT /orders/:variety/:order_id); throws KiteError when it cannot. */
  modify(orderId: string, form: Readonly<Record<string, string>>): KiteOrder {
    const o = this.openOrder(orderId, 'modified');
    const m = parseModify(form, o.orderType, this.tickPaise);
    const events = this.paper.handle({
      type: 'ModifyOrder',
      broker: 'paper',
      clientOrderId: o.clientOrderId,
      strategyId: STRATEGY,
      token: o.token,
      ...(m.quantity === undefined ? {} : { quantity: qty(m.quantity) }),
      ...(m.price === undefined ? {} : { limitPrice: paise(m.price) }),
      ...(m.triggerPrice === undefined ? {} : { triggerPrice: paise(m.triggerPrice) }),
    });
    const refused = events.find((e) => e.type === 'OrderCommandRejected');
    if (refused !== undefined) throw inputError(`Order cannot be modified: ${refused.detail}`);
    this.book.modifying(o, this.clock.now());
    this.applyAll(events);
    return o;
  }

  /** Cancels an open order (DELETE /orders/:variety/:order_id); throws KiteError when it cannot. */
  cancel(orderId: string): KiteOrder {
    const o = this.openOrder(orderId, 'cancelled');
    const events = this.paper.handle({
      type: 'CancelOrder',
      broker: 'paper',
      clientOrderId: o.clientOrderId,
      strategyId: STRATEGY,
      token: o.token,
      reason: 'canceled by the user',
    });
    const refused = events.find((e) => e.type === 'OrderCommandRejected');
    if (refused !== undefined) throw inputError(`Order cannot be cancelled: ${refused.detail}`);
    this.book.canceling(o, this.clock.now());
    this.applyAll(events);
    return o;
  }

  /** The exchange sees a tick: resting orders may fill and stops trigger. */
  tick(t: MarketTick): void {
    this.clock.set(t.ts);
    this.seq += 1;
    this.lastTicks.set(t.token, t);
    this.applyAll(this.paper.onTick(t, this.seq));
  }

  /** A market timer fires at the exchange (DAY expiry at the close, MIS square-off). */
  timer(t: MarketTimerFired): void {
    this.clock.set(t.at);
    this.applyAll(this.paper.onTimer(t));
  }

  private openOrder(orderId: string, verb: string): KiteOrder {
    const o = this.book.get(orderId);
    if (o === undefined) throw inputError(`Invalid \`order_id\`: no order ${orderId}.`);
    if (TERMINAL.has(o.status))
      throw inputError(
        `Order cannot be ${verb} as it is being processed. Try later. (Order ${orderId} is ${o.status}.)`,
      );
    return o;
  }

  /** The request's tag when it can be the paper engine's id and names no open order, else a new id. */
  private clientOrderIdFor(tag: string | null): ClientOrderId {
    if (tag !== null && parseClientOrderId(tag).ok) {
      const holder = this.book.byClientOrderId(tag as ClientOrderId);
      if (holder === undefined || TERMINAL.has(holder.status)) return tag as ClientOrderId;
    }
    this.synthetic += 1;
    return clientOrderId(`KF${String(this.synthetic).padStart(10, '0')}`);
  }

  /** MARKET: last price ± protection; SL-M: its trigger ± protection; rounded away to the tick. */
  private protectionPrice(o: KiteOrder, last: MarketTick | undefined): number | null {
    if (o.marketProtection === 0) return null;
    const base = o.orderType === 'SL-M' ? o.triggerPrice : last?.lastPrice;
    if (base === undefined) return null;
    const sign = o.side === 'BUY' ? 1 : -1;
    const raw = Math.round(base * (1 + (sign * o.marketProtection) / 100) * 1e6) / 1e6;
    const tick = this.tickPaise;
    const p = o.side === 'BUY' ? Math.ceil(raw / tick) * tick : Math.floor(raw / tick) * tick;
    return Math.max(tick, p);
  }

  /** The RMS: a BUY needs its value in free cash (cash less what open BUY orders may spend). */
  private fundsProblem(o: KiteOrder, marketPrice: number): string | null {
    if (this.cash === null || o.side === 'SELL') return null;
    const bound = (x: KiteOrder, fallback: number) => (x.price > 0 ? x.price : fallback);
    let reserved = 0;
    for (const x of this.book.all()) {
      if (x === o || x.side !== 'BUY' || TERMINAL.has(x.status)) continue;
      const lp = this.lastTicks.get(x.token)?.lastPrice ?? 0;
      reserved += (x.quantity - x.filled) * bound(x, x.triggerPrice > 0 ? x.triggerPrice : lp);
    }
    const required = o.quantity * bound(o, o.triggerPrice > 0 ? o.triggerPrice : marketPrice);
    const available = this.cash - reserved;
    if (required <= available) return null;
    return `Insufficient funds. Required margin is ${(required / 100).toFixed(2)} but available margin is ${(available / 100).toFixed(2)}.`;
  }

  private applyAll(events: readonly OrderEvent[]): void {
    const now = this.clock.now();
    for (const e of events) {
      if (e.type === 'OrderAccepted' && this.book.byClientOrderId(e.clientOrderId) === undefined)
        this.adoptEngineOrder(e.clientOrderId, events, now);
      this.book.apply(e, now);
      if (e.type === 'OrderFilled' && this.cash !== null) {
        const value = e.quantity * e.price;
        this.cash += (e.side === 'BUY' ? -value : value) - e.fees;
      }
    }
    this.noteTriggers();
  }

  /**
   * An order the engine placed itself (the MIS square-off: a MARKET MIS order) enters the book as
   * Kite's would; its side and quantity come from the engine, or from what it did in `batch`.
   */
  private adoptEngineOrder(id: ClientOrderId, batch: readonly OrderEvent[], now: number): void {
    const open = this.paper.snapshot().orders.find((x) => x.clientOrderId === id);
    const mine = batch.filter((e) => e.clientOrderId === id);
    const done = mine.flatMap((e) =>
      e.type === 'OrderFilled' || e.type === 'OrderCanceled' ? [e] : [],
    );
    const token = open?.token ?? mine[0]?.token;
    const side = open?.side ?? done[0]?.side;
    const i = token === undefined ? undefined : this.byToken.get(token);
    if (i === undefined || side === undefined) return;
    this.book.create(
      {
        clientOrderId: id,
        variety: 'regular',
        exchange: i.exchange,
        tradingsymbol: i.tradingSymbol,
        token: i.token,
        side,
        orderType: open?.orderType ?? 'MARKET',
        product: open?.product ?? 'MIS',
        validity: open?.validity ?? 'DAY',
        quantity: open?.quantity ?? done.reduce((n, e) => n + e.quantity, 0),
        price: open?.limitPrice ?? 0,
        triggerPrice: open?.triggerPrice ?? 0,
        marketProtection: 0,
        tag: null,
      },
      now,
    );
  }

  /** Stops the engine has triggered since (it reports no event for a trigger) become OPEN. */
  private noteTriggers(): void {
    const pending = this.book.all().filter((o) => o.status === 'TRIGGER PENDING');
    if (pending.length === 0) return;
    const triggered = new Set(
      this.paper
        .snapshot()
        .orders.filter((x) => x.triggered)
        .map((x) => x.clientOrderId),
    );
    for (const o of pending)
      if (triggered.has(o.clientOrderId)) this.book.triggered(o, this.clock.now());
  }

  private seedHoldings(seed: readonly SeedHolding[]): void {
    if (seed.length === 0) return;
    const accounts = seed.map((h) => {
      const i = this.instruments.get(`NSE:${h.tradingsymbol}`);
      if (i === undefined)
        throw new Error(`holding ${h.tradingsymbol} is not in instruments_nse.csv`);
      if (!Number.isSafeInteger(h.quantity) || h.quantity <= 0)
        throw new Error(`holding ${h.tradingsymbol}: quantity must be a positive integer`);
      this.holdings.set(i.token, {
        quantity: h.quantity,
        averagePrice: Math.round(h.averagePrice * 100),
      });
      return { strategyId: STRATEGY as string, token: i.token, cnc: h.quantity, mis: 0 };
    });
    const snap = this.paper.snapshot();
    accounts.sort((a, b) => a.token - b.token);
    this.paper.restore({ ...snap, accounts });
  }
}
