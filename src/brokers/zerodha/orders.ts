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
 * - While `live` is false (recovery re-derives the journal) a command is refused as it is
 *   derived (`admit`) and never sent; reconciliation (link.ts) finds the journal's open orders in
 *   Kite's book by tag. MIS orders Kite places itself (its square-off) go to mis-book.ts.
 */
import {
  quantity,
  type BrokerCommand,
  type CancelOrder,
  type ModifyOrder,
  type OrderEvent,
  type SubmitOrder,
} from '../../model/index.js';
import type { RemoteBroker } from '../broker.js';
import { kiteErrorOf, type KiteError } from './errors.js';
import type { KiteOrder, KiteTrade } from './parse.js';
import type {
  AdapterTimers,
  BrokerProblem,
  ZerodhaBrokerOptions,
  ZerodhaOrdersApi,
} from './orders-options.js';
import { MisBook } from './mis-book.js';
import { placeParams, rejectedOf, resolveByTag, trackedOf } from './place-order.js';
import { Serial } from './serial.js';
import { confirmOrder, type TrackedOrder } from './order-state.js';

export type { AdapterTimers, BrokerProblem, ZerodhaBrokerOptions, ZerodhaOrdersApi };

export class ZerodhaBroker implements RemoteBroker {
  readonly execution = 'remote' as const;
  readonly broker = 'zerodha' as const;
  /** False while recovery re-derives the journal: commands are kept, not sent. */
  live = false;
  private readonly byId = new Map<string, TrackedOrder>();
  private readonly byKiteId = new Map<string, string>();
  /** Confirmations and attributions, one at a time per order. */
  private readonly serial = new Serial();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly handles = new Set<unknown>();
  /** Placements wait for this (a 429's window). */
  private throttledUntil: Promise<void> = Promise.resolve();
  /** Each strategy's MIS positions, for Zerodha's own square-off (mis-book.ts). */
  private readonly mis: MisBook;
  /** Commands seen while not live, by client order id. */
  private closed = false;

  constructor(private readonly o: ZerodhaBrokerOptions) {
    this.mis = new MisBook(o.charges);
  }

  /**
   * While not live (recovery re-derives the journal's commands, which an earlier process may
   * already have sent), a command is never sent: reconciliation finds its order by tag.
   */
  admit(): boolean {
    return this.live;
  }

  send(command: BrokerCommand): Promise<OrderEvent[]> {
    if (!this.live) return Promise.resolve([]);
    const run =
      command.type === 'SubmitOrder'
        ? this.place(command)
        : command.type === 'CancelOrder'
          ? this.cancel(command)
          : this.modify(command);
    return this.track(run).then(() => []);
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
    this.mis.seed(mis);
  }

  /**
   * An order in Kite's book this adapter did not place. Its MIS fills that reduce our
   * strategies' MIS positions (Zerodha squares MIS off itself at 15:20) are reported to them,
   * each its part, under ids derived from Kite's order id; the rest is not ours.
   */
  external(k: KiteOrder): void {
    if (k.product !== 'MIS' || k.filledQuantity === 0 || this.byKiteId.has(k.orderId)) return;
    if (k.tag !== null && this.byId.has(k.tag)) return;
    void this.track(this.serial.run(`external:${k.orderId}`, () => this.attribute(k)));
  }

  private async attribute(k: KiteOrder): Promise<void> {
    let trades: KiteTrade[];
    try {
      trades = await this.o.api.orderTrades(k.orderId);
    } catch {
      return; // the next reconciliation looks again
    }
    this.emit(this.mis.attribute(k, trades));
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
      this.emit([rejectedOf(c, c.quantity, code, detail)]);
    if (c.broker !== 'zerodha')
      return refuse('BROKER_ERROR', `order for ${c.broker} sent to zerodha`);
    if (!this.o.placementEnabled)
      return refuse('BROKER_ERROR', 'live placement is off: set TRADING__ZERODHA__ENABLED=true');
    if (this.byId.has(c.clientOrderId))
      return refuse('BROKER_ERROR', `client order id ${c.clientOrderId} was already sent`);
    const sym = this.o.symbolOf(c.token);
    if (sym === null) return refuse('INVALID_ORDER', `instrument ${c.token} has no Kite symbol`);
    const params = placeParams(c, sym, this.o.marketProtectionPercent);
    const t = trackedOf(c);
    this.byId.set(c.clientOrderId, t);
    for (let attempt = 0; ; attempt++) {
      await this.throttledUntil;
      try {
        const kiteId = await this.o.api.placeOrder(params);
        this.setKiteId(c.clientOrderId, kiteId);
        this.confirmLater(c.clientOrderId);
        return;
      } catch (err) {
        const e = kiteErrorOf(err);
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
          this.resolveByTag(c.clientOrderId);
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

  /** An ambiguous placement: its tag is looked up in the order book (place-order.ts). */
  private resolveByTag(id: string): void {
    resolveByTag(id, {
      orders: () => this.o.api.orders(),
      now: () => this.o.timers.now(),
      everyMs: this.o.resolveEveryMs,
      forMs: this.o.resolveForMs,
      later: (fn) => this.after(this.o.resolveEveryMs, () => void this.track(fn())),
      found: (kiteOrderId) => {
        this.setKiteId(id, kiteOrderId);
        this.confirmLater(id);
      },
      notFound: (detail) => {
        const t = this.byId.get(id)!;
        this.byId.set(id, { ...t, done: true });
        this.o.onProblem({ disposition: 'not-found', detail, clientOrderId: id });
        this.emit([rejectedOf(t, t.quantity, 'BROKER_ERROR', detail)]);
      },
    });
  }

  // ---- cancel and modify ------------------------------------------------------------------

  private commandRefused(c: CancelOrder | ModifyOrder, code: string, detail: string): void {
    const { clientOrderId, strategyId, token, type: command } = c;
    const broker = 'zerodha';
    this.emit([
      {
        type: 'OrderCommandRejected',
        broker,
        clientOrderId,
        strategyId,
        token,
        command,
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
      const e = kiteErrorOf(err);
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
    return this.serial.run(id, () => this.confirmOnce(id));
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
      const e = kiteErrorOf(err);
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
    for (const e of events) this.mis.follow(e);
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
