/**
 * The live link to Zerodha: the session actor, the order adapter, the ticker and
 * reconciliation, and what they do to the zerodha gate. The gate is HALTED (authority `broker`)
 * whenever any of these holds, with the first reason:
 * - live placement is off (TRADING__ZERODHA__ENABLED is not true);
 * - Kite refused this machine's IP (SEBI 2026: orders only from the registered static IP);
 * - the session is not VALID (no login yet, the token expired or was refused, a new login not
 *   yet proven);
 * - the orders the journal left open are not yet reconciled with Kite's order book.
 * Every change of it is a journaled SetTradingState, and every session change, reconciliation and
 * feed gap is journaled too (through the host), so replay knows what happened outside.
 */
import { createActor, type Actor } from 'xstate';
import type { OrderEvent } from '../../model/index.js';
import { dumpOfDay, instrumentMismatches } from './instrument-check.js';
import { positionDifferences, type Difference } from './position-check.js';
import type { KiteOrder } from './parse.js';
import { sessionMachine, type SessionState } from './session.js';
import { kiteExpiry, type StoredSession } from './session-store.js';
import type { BrokerProblem } from './orders.js';
import type { TrackedOrder } from './order-state.js';
import { rejectedOf } from './place-order.js';
import { kiteErrorOf } from './errors.js';
import type { JournalOpenOrder, LinkTicker, ZerodhaHost, ZerodhaLinkOptions } from './link-host.js';

export type { Difference };
export type { JournalOpenOrder, LinkTicker, ZerodhaHost, ZerodhaLinkOptions };

export class ZerodhaLink {
  private readonly session: Actor<typeof sessionMachine>;
  private ticker: LinkTicker | null = null;
  private ipRefused: string | null = null;
  /** Our instruments disagree with Kite's dump: no order until they are fixed. */
  private instrumentsWrong: string | null = null;
  private instrumentsCheckedOn: string | null = null;
  private reconciledOnce = false;
  private gate: string | null = null;
  private expiryTimer: unknown = null;
  private periodic: unknown = null;
  private readonly external = new Set<string>();
  /** Position differences already journaled (token → "kite/ours"), so each is journaled once. */
  private readonly positionDiffs = new Map<number, string>();
  private stopped = false;
  private loadProblem: string | null = null;

  constructor(private readonly o: ZerodhaLinkOptions) {
    let stored: StoredSession | null = null;
    try {
      stored = o.store.load();
    } catch (err) {
      this.loadProblem = (err as Error).message;
    }
    if (stored !== null && stored.expiresAt <= o.host.now()) stored = null;
    this.session = createActor(sessionMachine, { input: { session: stored } });
  }

  /** The ticker, once built (it reads `accessToken()`). */
  attachTicker(t: LinkTicker): void {
    this.ticker = t;
  }

  /** The access token to use now, or null while there is no usable session. */
  accessToken(): string | null {
    const s = this.session.getSnapshot();
    return s.value === 'EXPIRED' || s.value === 'NONE'
      ? null
      : (s.context.session?.accessToken ?? null);
  }

  state(): {
    state: SessionState;
    reason: string;
    userId: string | null;
    loginAt: number | null;
    expiresAt: number | null;
  } {
    const s = this.session.getSnapshot();
    return {
      state: s.value as SessionState,
      reason: s.context.reason,
      userId: s.context.session?.userId ?? null,
      loginAt: s.context.session?.loginAt ?? null,
      expiresAt: s.context.session?.expiresAt ?? null,
    };
  }

  loginUrl(): string {
    return this.o.rest.loginUrl();
  }

  /** Goes live: the gate gets its state, the session its timers, the orders their reconciliation. */
  start(): void {
    let last: string | null = null;
    this.session.subscribe((s) => {
      const key = `${String(s.value)}:${s.context.reason}`;
      if (key === last) return;
      last = key;
      const state = s.value as SessionState;
      this.o.host.sessionChanged(state, s.context.reason, s.context.session?.userId);
      this.o.rest.setAccessToken(this.accessToken());
      this.scheduleExpiry();
      this.updateGate();
    });
    this.session.start();
    if (this.loadProblem !== null) this.o.host.warn({}, this.loadProblem);
    this.o.broker.seedMis(this.o.host.misPositions());
    this.o.broker.live = true;
    this.updateGate();
    this.ticker?.start();
    if (this.accessToken() !== null) void this.reconcile('start');
    this.schedulePeriodic();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.expiryTimer !== null) this.o.timers.clearTimeout(this.expiryTimer);
    if (this.periodic !== null) this.o.timers.clearTimeout(this.periodic);
    this.o.broker.close();
    await this.ticker?.stop();
    this.session.stop();
  }

  /** Kite's redirect after a login: exchanges the request token (with its checksum) for a session. */
  async completeLogin(requestToken: string): Promise<{ userId: string }> {
    const k = await this.o.rest.generateSession(requestToken, this.o.apiSecret);
    const loginAt = this.o.host.now();
    const session: StoredSession = {
      userId: k.userId,
      accessToken: k.accessToken,
      loginAt,
      expiresAt: kiteExpiry(loginAt, this.o.expiryMinute),
    };
    this.o.store.save(session);
    this.ipRefused = null;
    this.session.send({ type: 'LOGGED_IN', session, reason: `logged in as ${k.userId}` });
    this.ticker?.reconnect('a new login');
    await this.reconcile('login');
    return { userId: k.userId };
  }

  /** The adapter or the ticker met a refusal. */
  problem(p: BrokerProblem): void {
    if (p.disposition === 'token-expired') {
      this.session.send({
        type: 'TOKEN_REFUSED',
        reason: `Kite refused the session (${p.detail})`,
      });
    } else if (p.disposition === 'ip-not-allowed') {
      this.ipRefused = `Kite refused this machine's IP: ${p.detail}; register it (ZERODHA__STATIC_IP) at developers.kite.trade`;
      this.updateGate();
    } else if (p.disposition === 'rate-limited' && p.retryAt !== undefined) {
      this.o.host.throttled(p.clientOrderId ?? '', p.retryAt, p.detail);
    } else {
      this.o.host.warn({ clientOrderId: p.clientOrderId, disposition: p.disposition }, p.detail);
    }
  }

  /** An order update (ticker text message or a verified postback): a hint. */
  orderUpdate(order: KiteOrder): void {
    this.o.broker.hint(order);
  }

  /**
   * Reconciles the journal's open orders with Kite's order book: each is found by its tag and
   * confirmed (fills and ends the journal missed are journaled); one Kite does not have was never
   * placed (it is refused, never resent); orders Kite has that we did not place are EXTERNAL.
   */
  async reconcile(reason: string): Promise<void> {
    await this.checkInstruments();
    let book: KiteOrder[];
    try {
      book = await this.o.rest.orders();
    } catch (err) {
      const e = kiteErrorOf(err);
      if (e.disposition === 'token-expired')
        this.problem({ disposition: 'token-expired', detail: e.message });
      else this.o.host.warn({ reason }, `reconciliation failed: ${e.message}`);
      return;
    }
    const byTag = new Map(book.filter((k) => k.tag !== null).map((k) => [k.tag!, k]));
    const tracked = new Map(this.o.broker.orders().map((t) => [t.clientOrderId as string, t]));
    const differences: Difference[] = [];
    const missing: OrderEvent[] = [];
    for (const open of this.o.host.openOrders()) {
      const t = tracked.get(open.clientOrderId);
      if (t !== undefined && (t.kiteOrderId === null || t.done)) continue;
      const k = byTag.get(open.clientOrderId);
      if (k === undefined) {
        if (t !== undefined) continue; // still being placed or resolved by the adapter
        differences.push({
          kind: 'NOT_FOUND',
          clientOrderId: open.clientOrderId,
          token: open.token,
          detail: `open in the journal (${open.status}) but not in Kite's order book: it never reached Kite; refused, not resent`,
        });
        missing.push(
          rejectedOf(
            open,
            open.quantity - open.filled,
            'BROKER_ERROR',
            'not in Kite order book at reconciliation; not resent',
          ),
        );
        continue;
      }
      if (t === undefined) this.o.broker.adopt(adopted(open, k));
    }
    for (const k of book) {
      if (k.tag !== null && this.o.host.isOurs(k.tag)) continue;
      this.o.broker.external(k);
      if (this.external.has(k.orderId)) continue;
      this.external.add(k.orderId);
      differences.push({
        kind: 'EXTERNAL',
        brokerOrderId: k.orderId,
        token: k.token,
        detail: `${k.side} ${k.quantity} ${k.tradingsymbol} ${k.status}, placed outside this runtime${k.tag ? ` (tag ${k.tag})` : ''}`,
      });
    }
    this.o.broker.confirmOpen();
    await this.o.broker.idle();
    differences.push(...(await this.positionDifferences()));
    if (differences.length > 0 || reason !== 'periodic')
      this.o.host.reconciled(reason, book.length, differences);
    if (missing.length > 0) this.o.host.replies(missing);
    await this.o.broker.idle();
    this.reconciledOnce = true;
    const s = this.session.getSnapshot();
    if (s.value === 'RENEWED')
      this.session.send({ type: 'CONFIRMED', reason: `orders reconciled with Kite (${reason})` });
    this.updateGate();
  }

  /** Kite's positions and holdings against the journal's, each difference reported once. */
  private async positionDifferences(): Promise<Difference[]> {
    try {
      const [positions, holdings] = await Promise.all([
        this.o.rest.positions(),
        this.o.rest.holdings(),
      ]);
      return positionDifferences(
        positions.net,
        holdings,
        this.o.host.positions(),
        this.positionDiffs,
      );
    } catch (err) {
      this.o.host.warn({}, `positions not reconciled: ${(err as Error).message}`);
      return [];
    }
  }

  /**
   * Once per IST day: our instruments against Kite's dump. A mismatch halts the gate naming it
   * (an order would go to the wrong scrip); a dump that cannot be had is only logged.
   */
  private async checkInstruments(): Promise<void> {
    const day = this.o.istDay(this.o.host.now());
    if (this.instrumentsCheckedOn === day) return;
    const exchanges = [...new Set(this.o.instruments.map((i) => i.exchange))];
    try {
      const dump = (
        await Promise.all(
          exchanges.map((x) =>
            dumpOfDay(this.o.dumpDir, x, day, (e) => this.o.rest.instruments(e)),
          ),
        )
      ).flat();
      const wrong = instrumentMismatches(this.o.instruments, dump);
      this.instrumentsCheckedOn = day;
      this.instrumentsWrong =
        wrong.length === 0
          ? null
          : `our instruments disagree with Kite's instrument dump of ${day}: ${wrong.slice(0, 5).join('; ')}${wrong.length > 5 ? ` (and ${wrong.length - 5} more)` : ''}; fix CONFIG_DIR/instruments.csv (or the instruments table) and restart`;
      if (this.instrumentsWrong !== null) this.o.host.warn({}, this.instrumentsWrong);
      this.updateGate();
    } catch (err) {
      this.o.host.warn({}, `Kite's instrument dump not checked: ${(err as Error).message}`);
    }
  }

  private updateGate(): void {
    const s = this.session.getSnapshot();
    const why = !this.o.placementEnabled
      ? 'live placement is off: set TRADING__ZERODHA__ENABLED=true to trade on Zerodha'
      : this.ipRefused !== null
        ? this.ipRefused
        : this.instrumentsWrong !== null
          ? this.instrumentsWrong
          : s.value !== 'VALID'
            ? `Kite session ${String(s.value)}: ${s.context.reason}; log in at /api/v1/auth/zerodha/login`
            : !this.reconciledOnce
              ? 'reconciling orders with Kite'
              : null;
    const key = why ?? 'ACTIVE';
    if (key === this.gate) return;
    this.gate = key;
    this.o.host.setGate(
      why === null ? 'ACTIVE' : 'HALTED',
      why ?? 'Kite session valid, orders reconciled',
    );
  }

  private scheduleExpiry(): void {
    if (this.expiryTimer !== null) this.o.timers.clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    const at = this.session.getSnapshot().context.session?.expiresAt;
    if (at === undefined || this.stopped) return;
    const wait = Math.max(0, at - this.o.host.now());
    // Timers longer than 2^31 ms overflow; re-arm in steps.
    this.expiryTimer = this.o.timers.setTimeout(
      () => {
        if (this.o.host.now() >= at)
          this.session.send({ type: 'EXPIRY_REACHED', reason: "Kite's daily token rollover" });
        else this.scheduleExpiry();
      },
      Math.min(wait, 2 ** 31 - 1),
    );
  }

  private schedulePeriodic(): void {
    if (this.stopped || this.o.reconcileEveryMs <= 0) return;
    this.periodic = this.o.timers.setTimeout(() => {
      const go = this.accessToken() !== null ? this.reconcile('periodic') : Promise.resolve();
      void go.finally(() => this.schedulePeriodic());
    }, this.o.reconcileEveryMs);
  }
}

/** An open order of the journal found in Kite's book, as the adapter tracks it. */
function adopted(open: JournalOpenOrder, k: KiteOrder): TrackedOrder {
  return {
    clientOrderId: open.clientOrderId as never,
    strategyId: open.strategyId,
    token: open.token,
    side: open.side,
    quantity: open.quantity,
    product: k.product === 'MIS' ? 'MIS' : 'CNC',
    refPrice: k.price as number,
    kiteOrderId: k.orderId,
    accepted: open.status !== 'IN_FLIGHT',
    filled: open.filled,
    done: false,
    modifications: 0,
  };
}
