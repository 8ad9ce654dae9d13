/**
 * The Zerodha broker adapter's order path (a remote broker, src/brokers/broker.ts). The runtime
 * hands it a command only once its record is durable (ARCHITECTURE invariant 2); every reply it
 * learns goes to `onEvents`, which journals it as a BrokerReplied input, in the order learnt.
 *
 * - Our client order id travels in Kite's `tag`; MARKET and SL-M orders always carry the run's
 *   market protection (never 0).
 * - Placement returns Kite's order id only; the order is then confirmed from its history and
 *   trades (order-state.ts). Updates from the ticker and postbacks only trigger a confirmation.
 * - A timeout or 5xx on placement is ambiguous: the order stays IN_FLIGHT and the order book is
 *   searched by tag until it shows up, or for `resolveForMs`; it is never placed a second time.
 * - A 429 (not placed: the account's rate, shared with other apps) holds every placement for the
 *   window and retries; the throttle is reported (and journaled by the caller).
 * - Kite's refusals map through one table (errors.ts): a token refused expires the session, an
 *   IP refused halts the gate with that reason.
 * - While `live` is false (recovery re-deriving the journal) nothing is sent: `goLive` then
 *   reconciles the orders the journal left open with Kite's order book, by tag.
 */
import {
  clientOrderId,
  paise,
  quantity,
  type BrokerCommand,
  type ClientOrderId,
  type StrategyId,
  type CancelOrder,
  type ModifyOrder,
  type OrderEvent,
  type SubmitOrder,
} from '../../model/index.js';
import type { RemoteBroker } from '../broker.js';
import { computeCharges, type ChargesModel } from '../paper/charges.js';
import { KiteError, type KiteDisposition } from './errors.js';
import type { KitePlaceOrder } from './http.js';
import type { KiteOrder, KiteTrade } from './parse.js';
import { compareTradeIds, confirmOrder, type TrackedOrder } from './order-state.js';

/** What the adapter needs of Kite's REST API (KiteRest has it). */
export interface ZerodhaOrdersApi {
  placeOrder(p: KitePlaceOrder): Promise<string>;
  modifyOrder(
    orderId: string,
    p: {
      quantity?: number;
      price?: ReturnType<typeof paise>;
      triggerPrice?: ReturnType<typeof paise>;
    },
  ): Promise<string>;
  cancelOrder(orderId: string): Promise<string>;
  orders(): Promise<KiteOrder[]>;
  orderHistory(orderId: string): Promise<KiteOrder[]>;
  orderTrades(orderId: string): Promise<KiteTrade[]>;
}

export interface AdapterTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Something the operator or the session must know: a refused token or IP, a throttle. */
export interface BrokerProblem {
  readonly disposition: KiteDisposition | 'not-found';
  readonly detail: string;
  readonly clientOrderId?: string;
  /** rate-limited: when the adapter retries (epoch ms); nothing new should go before. */
  readonly retryAt?: number;
}

export interface ZerodhaBrokerOptions {
  readonly api: ZerodhaOrdersApi;
  /** Kite's exchange and trading symbol of an instrument token, or null when unknown. */
  readonly symbolOf: (token: number) => { exchange: string; tradingsymbol: string } | null;
  /** Market protection of MARKET and SL-M orders, percent (> 0). */
  readonly marketProtectionPercent: number;
  readonly charges: ChargesModel;
  /** TRADING__ZERODHA__ENABLED: false refuses every order here, before Kite. */
  readonly placementEnabled: boolean;
  readonly timers: AdapterTimers;
  /** How often an ambiguous placement is looked up in the order book, and for how long. */
  readonly resolveEveryMs: number;
  readonly resolveForMs: number;
  /** The wait after a 429, and how many times an order is retried for it. */
  readonly rateLimitWaitMs: number;
  readonly rateLimitRetries: number;
  readonly onEvents: (events: OrderEvent[]) => void;
  readonly onProblem: (p: BrokerProblem) => void;
}

export class ZerodhaBroker implements RemoteBroker {
  readonly execution = 'remote' as const;
  readonly broker = 'zerodha' as const;
  /** False while recovery re-derives the journal: commands are kept, not sent. */
  live = false;
  private readonly byId = new Map<string, TrackedOrder>();
  private readonly byKiteId = new Map<string, string>();
  private readonly confirming = new Map<string, Promise<void>>();
  private readonly rerun = new Set<string>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly handles = new Set<unknown>();
  /** Placements wait for this (a 429's window). */
  private throttledUntil: Promise<void> = Promise.resolve();
  /**
   * Net MIS position per instrument and strategy: the journal's at start (seedMis), then every
   * MIS fill reported. What an MIS order placed outside this runtime closes (Zerodha's own
   * square-off, an exit by hand) is given to the strategies holding it.
   */
  private readonly mis = new Map<number, Map<string, number>>();
  /** External MIS orders: shares of their trades already looked at, and the ids given out. */
  private readonly externals = new Map<string, { seen: number; ids: Map<string, ClientOrderId> }>();
  /** Commands seen while not live, by client order id. */
  readonly heldWhileRecovering = new Map<string, { command: SubmitOrder; seq: number }>();
  private closed = false;

  constructor(private readonly o: ZerodhaBrokerOptions) {}

  /**
   * While not live (recovery re-derives the journal's commands, which an earlier process may
   * already have sent), a command is kept, never sent: reconciliation finds its order by tag.
   */
  admit(command: BrokerCommand, seq: number): boolean {
    if (this.live) return true;
    if (command.type === 'SubmitOrder')
      this.heldWhileRecovering.set(command.clientOrderId, { command, seq });
    return false;
  }

  send(command: BrokerCommand, seq = 0): Promise<OrderEvent[]> {
    if (!this.admitted(command, seq)) return Promise.resolve([]);
    const run =
      command.type === 'SubmitOrder'
        ? this.place(command)
        : command.type === 'CancelOrder'
          ? this.cancel(command)
          : this.modify(command);
    return this.track(run).then(() => []);
  }

  /** A command sent without `admit` first (a caller other than the runtime) is admitted here. */
  private admitted(command: BrokerCommand, seq: number): boolean {
    return this.live || this.admit(command, seq);
  }

  /** The orders being tracked (API, tests). */
  orders(): TrackedOrder[] {
    return [...this.byId.values()];
  }

  /** Resolves once nothing is in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** An order update from the ticker or a postback: a hint to confirm that order. */
  hint(order: KiteOrder): void {
    const id =
      (order.tag !== null && this.byId.has(order.tag) ? order.tag : null) ??
      this.byKiteId.get(order.orderId);
    if (id !== undefined) this.confirmLater(id);
    else this.external(order);
  }

  /** Starts tracking an order the journal knows (recovery) under Kite's order id, and confirms it. */
  adopt(t: TrackedOrder): void {
    this.byId.set(t.clientOrderId, t);
    if (t.kiteOrderId !== null) this.byKiteId.set(t.kiteOrderId, t.clientOrderId);
    if (t.kiteOrderId !== null && !t.done) this.confirmLater(t.clientOrderId);
  }

  /** The journal's net MIS positions (strategy → instrument → signed shares), at start. */
  seedMis(mis: Readonly<Record<string, Readonly<Record<number, number>>>>): void {
    this.mis.clear();
    for (const [strategy, byToken] of Object.entries(mis))
      for (const [token, q] of Object.entries(byToken)) this.addMis(Number(token), strategy, q);
  }

  /**
   * An order in Kite's book this adapter did not place. Its MIS fills that reduce our
   * strategies' MIS positions (Zerodha squares MIS off itself at 15:20) are reported to them,
   * each its part, under ids derived from Kite's order id; the rest is not ours.
   */
  external(k: KiteOrder): void {
    if (k.product !== 'MIS' || k.filledQuantity === 0 || this.byKiteId.has(k.orderId)) return;
    if (k.tag !== null && this.byId.has(k.tag)) return;
    const key = `external:${k.orderId}`;
    if (this.confirming.has(key)) {
      this.rerun.add(key);
      return;
    }
    const p = (async () => {
      do {
        this.rerun.delete(key);
        await this.attribute(k);
      } while (this.rerun.has(key));
    })().finally(() => this.confirming.delete(key));
    this.confirming.set(key, p);
    void this.track(p);
  }

  private async attribute(k: KiteOrder): Promise<void> {
    let trades: KiteTrade[];
    try {
      trades = await this.o.api.orderTrades(k.orderId);
    } catch {
      return; // the next reconciliation looks again
    }
    const x = this.externals.get(k.orderId) ?? { seen: 0, ids: new Map<string, ClientOrderId>() };
    this.externals.set(k.orderId, x);
    const sorted = [...trades].sort((a, b) => compareTradeIds(a.tradeId, b.tradeId));
    let cum = 0;
    const events: OrderEvent[] = [];
    for (const tr of sorted) {
      const before = cum;
      cum += tr.quantity;
      let fresh = cum - Math.max(before, x.seen);
      if (fresh <= 0) continue;
      // A SELL closes long positions, a BUY short ones: strategies in id order, each up to its own.
      const sign = k.side === 'SELL' ? 1 : -1;
      const holders = [...(this.mis.get(k.token) ?? new Map<string, number>())]
        .filter(([, q]) => q * sign > 0)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [strategy, q] of holders) {
        if (fresh === 0) break;
        const take = Math.min(fresh, Math.abs(q));
        fresh -= take;
        let id = x.ids.get(strategy);
        const ids = {
          broker: 'zerodha' as const,
          strategyId: strategy as StrategyId,
          token: k.token,
        };
        if (id === undefined) {
          id = externalId(k.orderId, x.ids.size);
          x.ids.set(strategy, id);
          events.push({
            type: 'OrderAccepted',
            ...ids,
            clientOrderId: id,
            brokerOrderId: k.orderId,
          });
        }
        const price = tr.price as number;
        events.push({
          type: 'OrderFilled',
          ...ids,
          clientOrderId: id,
          side: k.side,
          quantity: quantity(take),
          price: paise(price),
          fees: computeCharges(k.side, take, price, 'MIS', this.o.charges).total,
          slippage: paise(0),
          tickSeq: 0,
          product: 'MIS',
        });
      }
    }
    x.seen = Math.max(x.seen, cum);
    this.emit(events);
  }

  private addMis(token: number, strategy: string, q: number): void {
    const m = this.mis.get(token) ?? new Map<string, number>();
    const next = (m.get(strategy) ?? 0) + q;
    if (next === 0) m.delete(strategy);
    else m.set(strategy, next);
    this.mis.set(token, m);
  }

  /** Confirms every open order now (periodic reconciliation, a new session). */
  confirmOpen(): void {
    for (const t of this.byId.values())
      if (!t.done && t.kiteOrderId !== null) this.confirmLater(t.clientOrderId);
  }

  close(): void {
    this.closed = true;
    for (const h of this.handles) this.o.timers.clearTimeout(h);
    this.handles.clear();
  }

  // ---- placement --------------------------------------------------------------------------

  private async place(c: SubmitOrder): Promise<void> {
    const refuse = (code: 'BROKER_ERROR' | 'INVALID_ORDER', detail: string) =>
      this.emit([
        {
          type: 'OrderRejected',
          broker: 'zerodha',
          clientOrderId: c.clientOrderId,
          strategyId: c.strategyId,
          token: c.token,
          side: c.side,
          quantity: c.quantity,
          code,
          detail,
        },
      ]);
    if (c.broker !== 'zerodha')
      return refuse('BROKER_ERROR', `order for ${c.broker} sent to zerodha`);
    if (!this.o.placementEnabled)
      return refuse('BROKER_ERROR', 'live placement is off: set TRADING__ZERODHA__ENABLED=true');
    if (this.byId.has(c.clientOrderId))
      return refuse('BROKER_ERROR', `client order id ${c.clientOrderId} was already sent`);
    const sym = this.o.symbolOf(c.token);
    if (sym === null) return refuse('INVALID_ORDER', `instrument ${c.token} has no Kite symbol`);
    const protect = c.orderType === 'MARKET' || c.orderType === 'SL-M';
    const params: KitePlaceOrder = {
      exchange: sym.exchange,
      tradingsymbol: sym.tradingsymbol,
      transactionType: c.side,
      quantity: c.quantity,
      product: c.product,
      orderType: c.orderType as KitePlaceOrder['orderType'],
      validity: c.validity as KitePlaceOrder['validity'],
      tag: c.clientOrderId,
      ...(c.limitPrice !== undefined ? { price: c.limitPrice } : {}),
      ...(c.triggerPrice !== undefined ? { triggerPrice: c.triggerPrice } : {}),
      ...(protect ? { marketProtection: this.o.marketProtectionPercent } : {}),
    };
    const t: TrackedOrder = {
      clientOrderId: c.clientOrderId,
      strategyId: c.strategyId,
      token: c.token,
      side: c.side,
      quantity: c.quantity,
      product: c.product,
      refPrice: c.price,
      kiteOrderId: null,
      accepted: false,
      filled: 0,
      done: false,
      modifications: 0,
    };
    this.byId.set(c.clientOrderId, t);
    for (let attempt = 0; ; attempt++) {
      await this.throttledUntil;
      try {
        const kiteId = await this.o.api.placeOrder(params);
        this.setKiteId(c.clientOrderId, kiteId);
        this.confirmLater(c.clientOrderId);
        return;
      } catch (err) {
        const e = asKiteError(err);
        if (e.disposition === 'rate-limited' && attempt < this.o.rateLimitRetries) {
          this.o.onProblem({
            disposition: 'rate-limited',
            detail: `Kite answered 429 to order ${c.clientOrderId} (attempt ${attempt + 1}); not placed, retrying in ${this.o.rateLimitWaitMs} ms`,
            clientOrderId: c.clientOrderId,
            retryAt: this.o.timers.now() + this.o.rateLimitWaitMs,
          });
          this.throttle();
          continue;
        }
        if (e.disposition === 'ambiguous') {
          this.o.onProblem({
            disposition: 'ambiguous',
            detail: `order ${c.clientOrderId}: ${e.message}; it stays IN_FLIGHT until the order book shows it`,
            clientOrderId: c.clientOrderId,
          });
          this.resolveByTag(c.clientOrderId, this.o.timers.now());
          return;
        }
        this.byId.set(c.clientOrderId, { ...t, done: true });
        if (e.disposition === 'token-expired' || e.disposition === 'ip-not-allowed')
          this.o.onProblem({
            disposition: e.disposition,
            detail: e.message,
            clientOrderId: c.clientOrderId,
          });
        const code =
          e.disposition === 'rejected' && e.status === 400 ? 'INVALID_ORDER' : 'BROKER_ERROR';
        return refuse(code, `Kite refused the order (${e.errorType}): ${e.message}`);
      }
    }
  }

  private throttle(): void {
    const wait = this.o.rateLimitWaitMs;
    this.throttledUntil = new Promise((resolve) => this.after(wait, resolve));
  }

  /** An ambiguous placement: looks for the tag in the order book until found or `resolveForMs`. */
  private resolveByTag(id: string, since: number): void {
    const look = async (): Promise<void> => {
      let book: KiteOrder[];
      try {
        book = await this.o.api.orders();
      } catch {
        book = [];
      }
      const found = book.find((k) => k.tag === id);
      if (found) {
        this.setKiteId(id, found.orderId);
        this.confirmLater(id);
        return;
      }
      if (this.o.timers.now() - since < this.o.resolveForMs) {
        this.after(this.o.resolveEveryMs, () => void this.track(look()));
        return;
      }
      const t = this.byId.get(id)!;
      this.byId.set(id, { ...t, done: true });
      this.o.onProblem({
        disposition: 'not-found',
        detail: `order ${id} is not in Kite's order book ${this.o.resolveForMs} ms after an ambiguous answer; it was not placed and is not resent`,
        clientOrderId: id,
      });
      this.emit([
        {
          type: 'OrderRejected',
          broker: 'zerodha',
          clientOrderId: t.clientOrderId,
          strategyId: t.strategyId,
          token: t.token,
          side: t.side,
          quantity: quantity(t.quantity),
          code: 'BROKER_ERROR',
          detail: `not in Kite's order book after an ambiguous answer; not resent`,
        },
      ]);
    };
    this.after(this.o.resolveEveryMs, () => void this.track(look()));
  }

  // ---- cancel and modify ------------------------------------------------------------------

  private commandRefused(c: CancelOrder | ModifyOrder, code: string, detail: string): void {
    this.emit([
      {
        type: 'OrderCommandRejected',
        broker: 'zerodha',
        clientOrderId: c.clientOrderId,
        strategyId: c.strategyId,
        token: c.token,
        command: c.type,
        code,
        detail,
      },
    ]);
  }

  /**
   * A cancel or modify of an order Kite has: refused at once when it is not open there; when Kite
   * refuses the call, the order is confirmed first, so the refusal says whether it had ended.
   * Resolves with the order as tracked before the call, or null when refused.
   */
  private async write(
    c: CancelOrder | ModifyOrder,
    call: (kiteOrderId: string) => Promise<unknown>,
  ): Promise<TrackedOrder | null> {
    const t = this.byId.get(c.clientOrderId);
    if (!t || t.done || t.kiteOrderId === null) {
      this.commandRefused(c, 'ORDER_NOT_OPEN', `order ${c.clientOrderId} is not open at Kite`);
      return null;
    }
    try {
      await call(t.kiteOrderId);
      return t;
    } catch (err) {
      const e = asKiteError(err);
      this.noteProblem(e, c.clientOrderId);
      await this.confirmNow(c.clientOrderId);
      const now = this.byId.get(c.clientOrderId)!;
      const what = c.type === 'CancelOrder' ? 'cancel' : 'modification';
      this.commandRefused(
        c,
        now.done ? 'ORDER_NOT_OPEN' : 'BROKER_ERROR',
        `Kite refused the ${what} (${e.errorType}): ${e.message}`,
      );
      return null;
    }
  }

  private async cancel(c: CancelOrder): Promise<void> {
    if (await this.write(c, (id) => this.o.api.cancelOrder(id)))
      await this.confirmNow(c.clientOrderId);
  }

  private async modify(c: ModifyOrder): Promise<void> {
    const t = await this.write(c, (id) =>
      this.o.api.modifyOrder(id, {
        ...(c.quantity !== undefined ? { quantity: c.quantity } : {}),
        ...(c.limitPrice !== undefined ? { price: c.limitPrice } : {}),
        ...(c.triggerPrice !== undefined ? { triggerPrice: c.triggerPrice } : {}),
      }),
    );
    if (t === null) return;
    const modifications = t.modifications + 1;
    const qty = c.quantity ?? t.quantity;
    this.byId.set(c.clientOrderId, {
      ...this.byId.get(c.clientOrderId)!,
      quantity: qty,
      modifications,
    });
    this.emit([
      {
        type: 'OrderModified',
        broker: 'zerodha',
        clientOrderId: c.clientOrderId,
        strategyId: c.strategyId,
        token: c.token,
        quantity: quantity(qty),
        ...(c.limitPrice !== undefined ? { limitPrice: c.limitPrice } : {}),
        ...(c.triggerPrice !== undefined ? { triggerPrice: c.triggerPrice } : {}),
        modifications,
      },
    ]);
    await this.confirmNow(c.clientOrderId);
  }

  // ---- confirmation -----------------------------------------------------------------------

  /** Confirms an order soon; concurrent requests for one order run once more, not in parallel. */
  private confirmLater(id: string): void {
    void this.track(this.confirmNow(id));
  }

  private confirmNow(id: string): Promise<void> {
    const running = this.confirming.get(id);
    if (running) {
      this.rerun.add(id);
      return running;
    }
    const p = (async () => {
      do {
        this.rerun.delete(id);
        await this.confirmOnce(id);
      } while (this.rerun.has(id));
    })().finally(() => this.confirming.delete(id));
    this.confirming.set(id, p);
    return p;
  }

  private async confirmOnce(id: string): Promise<void> {
    const t = this.byId.get(id);
    if (!t || t.done || t.kiteOrderId === null || this.closed) return;
    let history: KiteOrder[];
    let trades: KiteTrade[];
    try {
      [history, trades] = await Promise.all([
        this.o.api.orderHistory(t.kiteOrderId),
        this.o.api.orderTrades(t.kiteOrderId),
      ]);
    } catch (err) {
      const e = asKiteError(err);
      this.noteProblem(e, id);
      if (e.disposition !== 'token-expired')
        this.after(this.o.resolveEveryMs, () => this.confirmLater(id));
      return;
    }
    const latest = history.at(-1);
    if (!latest) return;
    const now = this.byId.get(id)!;
    const r = confirmOrder(now, latest, trades, this.o.charges);
    this.byId.set(id, r.order);
    this.emit(r.events);
    if (r.again) this.after(this.o.resolveEveryMs, () => this.confirmLater(id));
  }

  // ---- plumbing ---------------------------------------------------------------------------

  private setKiteId(id: string, kiteId: string): void {
    const t = this.byId.get(id)!;
    this.byId.set(id, { ...t, kiteOrderId: kiteId });
    this.byKiteId.set(kiteId, id);
  }

  private noteProblem(e: KiteError, id: string): void {
    if (e.disposition === 'token-expired' || e.disposition === 'ip-not-allowed')
      this.o.onProblem({ disposition: e.disposition, detail: e.message, clientOrderId: id });
  }

  private emit(events: OrderEvent[]): void {
    if (events.length === 0 || this.closed) return;
    for (const e of events)
      if (e.type === 'OrderFilled' && e.product === 'MIS')
        this.addMis(e.token, e.strategyId, e.side === 'BUY' ? e.quantity : -e.quantity);
    this.o.onEvents(events);
  }

  private after(ms: number, fn: () => void): void {
    if (this.closed) return;
    const h = this.o.timers.setTimeout(() => {
      this.handles.delete(h);
      fn();
    }, ms);
    this.handles.add(h);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }
}

/** The id of our strategy's part of an external order: `X`, Kite's order id (15), an index (2). */
function externalId(kiteOrderId: string, index: number): ClientOrderId {
  const digits = kiteOrderId
    .replace(/[^0-9A-Za-z]/g, '')
    .slice(-15)
    .padStart(15, '0');
  return clientOrderId(`X${digits}${index.toString(36).toUpperCase().padStart(2, '0')}`);
}

function asKiteError(err: unknown): KiteError {
  if (err instanceof KiteError) return err;
  return new KiteError({ status: null, errorType: 'GeneralException', message: String(err) });
}
