/**
 * One run of a journal folded record by record: cash, FIFO lots, marks, the equity samples (at
 * every fill and at each IST day's last tick), the intervals with a position open, the price
 * series and the counts. Time is market time: the latest tick's exchange time seen so far.
 */
import { DEFAULT_STARTING_CASH } from '../../actors/index.js';
import {
  cashDelta,
  type JournalRecord,
  type MarketTick,
  type OrderFilled,
  type RunStarted,
  istDate,
} from '../../model/index.js';
import type { EquityPoint, PriceMarker, Trade } from './report-types.js';
import { TradeBook } from './trades.js';

export interface PortfolioState {
  readonly broker: RunStarted['brokers'][number]['name'];
  readonly strategyId: string;
  readonly startingCash: number;
  cash: number;
  charges: number;
  fills: number;
}

/** The growing price series of one instrument (every tick's last price). */
export interface TickSeries {
  readonly ts: number[];
  readonly price: number[];
}

interface Mark {
  readonly token: number;
  readonly quantity: number;
  readonly fillPrice: number;
  readonly fillSeq: number;
}

function portfolioKey(broker: string, strategyId: string): string {
  return `${broker}\u0000${strategyId}`;
}

export class RunState {
  readonly symbols = new Map<number, string>();
  readonly portfolios = new Map<string, PortfolioState>();
  readonly book = new TradeBook();
  readonly trades: Trade[] = [];
  /** Last tick price of each instrument and the seq of that tick. */
  private readonly marks = new Map<number, { price: number; seq: number }>();
  readonly ticks = new Map<number, TickSeries>();
  readonly markers = new Map<number, PriceMarker[]>();
  readonly samples: EquityPoint[] = [];
  readonly openIntervals: { from: number; to: number }[] = [];
  readonly rejections = new Map<string, number>();
  /** Tokens some strategy of the run trades. */
  readonly traded = new Set<number>();
  /** Fees paid on each instrument, paise. */
  readonly feesByToken = new Map<number, number>();
  readonly startingEquity: number;
  signals = 0;
  orders = 0;
  fills = 0;
  cancels = 0;
  firstTickTs: number | null = null;
  lastTickTs: number | null = null;
  lastSeq: number;
  private totalCash = 0;
  /**
   * Signed open shares by portfolio and token, with the price and seq of the position's last
   * fill: as in the portfolio actor, a position is marked at its last fill until a later tick.
   */
  private readonly positions = new Map<string, Mark>();
  private openCount = 0;
  private openSince = 0;
  private day: string | null = null;
  private now: number;

  constructor(
    readonly fromSeq: number,
    readonly run: RunStarted,
    recordTs: number,
  ) {
    this.lastSeq = fromSeq;
    this.now = recordTs;
    for (const i of run.instruments) this.symbols.set(i.token, i.symbol);
    for (const s of run.strategies) {
      for (const t of s.instruments) this.traded.add(t);
      for (const b of s.brokers) {
        const spec = run.brokers.find((x) => x.name === b);
        if (spec === undefined) continue;
        this.portfolioOf(b, s.id, spec.startingCash ?? DEFAULT_STARTING_CASH);
      }
    }
    this.startingEquity = this.totalCash;
  }

  private portfolioOf(broker: PortfolioState['broker'], strategyId: string, cash?: number) {
    const key = portfolioKey(broker, strategyId);
    let p = this.portfolios.get(key);
    if (p === undefined) {
      const startingCash =
        cash ??
        this.run.brokers.find((x) => x.name === broker)?.startingCash ??
        DEFAULT_STARTING_CASH;
      p = { broker, strategyId, startingCash, cash: startingCash, charges: 0, fills: 0 };
      this.portfolios.set(key, p);
      this.totalCash += startingCash;
    }
    return p;
  }

  private priceOf(p: Mark): number {
    const tick = this.marks.get(p.token);
    return tick === undefined || p.fillSeq > tick.seq ? p.fillPrice : tick.price;
  }

  /** The price a portfolio's position in `token` is marked at, paise. */
  markOf(broker: string, strategyId: string, token: number): number {
    const p = this.positions.get(`${portfolioKey(broker, strategyId)}\u0000${token}`);
    return p === undefined ? (this.marks.get(token)?.price ?? 0) : this.priceOf(p);
  }

  /** Cash of every portfolio plus every open position at its mark, paise. */
  equity(): number {
    let e = this.totalCash;
    for (const p of this.positions.values())
      if (p.quantity !== 0) e += p.quantity * this.priceOf(p);
    return e;
  }

  add(r: JournalRecord): void {
    this.lastSeq = r.seq;
    if (this.firstTickTs === null) this.now = r.ts;
    switch (r.type) {
      case 'MarketTick':
        return this.tick(r.data as MarketTick, r.seq);
      case 'OrderFilled':
        return this.fill(r.data as OrderFilled, r.seq);
      case 'TradingSignal':
        this.signals++;
        return;
      case 'SubmitOrder':
        this.orders++;
        return;
      case 'OrderCanceled':
        this.cancels++;
        return;
      case 'SignalRejected':
      case 'OrderRejected': {
        const code = (r.data as { code?: string }).code ?? 'UNKNOWN';
        this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1);
        return;
      }
    }
  }

  private tick(t: MarketTick, seq: number): void {
    // Market time never goes back, whatever order instruments' ticks arrive in.
    const ts = this.firstTickTs === null ? t.ts : Math.max(this.now, t.ts);
    const day = istDate(ts);
    if (this.firstTickTs === null) {
      this.firstTickTs = ts;
      this.samples.push({ ts, equity: this.startingEquity });
    } else if (day !== this.day) {
      // The previous day's last tick: equity before this tick moves any mark.
      this.samples.push({ ts: this.now, equity: this.equity() });
    }
    this.day = day;
    this.now = ts;
    this.lastTickTs = ts;
    this.marks.set(t.token, { price: t.lastPrice, seq });
    let s = this.ticks.get(t.token);
    if (s === undefined) this.ticks.set(t.token, (s = { ts: [], price: [] }));
    s.ts.push(t.ts);
    s.price.push(t.lastPrice);
  }

  private fill(f: OrderFilled, seq: number): void {
    this.fills++;
    const p = this.portfolioOf(f.broker, f.strategyId);
    const delta = cashDelta(f);
    p.cash += delta;
    p.charges += f.fees;
    p.fills++;
    this.totalCash += delta;
    this.feesByToken.set(f.token, (this.feesByToken.get(f.token) ?? 0) + f.fees);
    const out = this.book.apply({
      broker: f.broker,
      strategyId: f.strategyId,
      token: f.token,
      symbol: this.symbols.get(f.token) ?? String(f.token),
      ts: this.now,
      side: f.side,
      quantity: f.quantity,
      price: f.price,
      fees: f.fees,
    });
    this.trades.push(...out.trades);
    let markers = this.markers.get(f.token);
    if (markers === undefined) this.markers.set(f.token, (markers = []));
    markers.push({
      ts: this.now,
      price: f.price,
      side: f.side,
      quantity: f.quantity,
      kind: out.kind,
      strategyId: f.strategyId,
    });
    this.trackPosition(portfolioKey(f.broker, f.strategyId), f, seq);
    this.samples.push({ ts: this.now, equity: this.equity() });
  }

  private trackPosition(key: string, f: OrderFilled, seq: number): void {
    const pk = `${key}\u0000${f.token}`;
    const before = this.positions.get(pk)?.quantity ?? 0;
    const after = before + (f.side === 'BUY' ? f.quantity : -f.quantity);
    this.positions.set(pk, { token: f.token, quantity: after, fillPrice: f.price, fillSeq: seq });
    if (before === 0 && after !== 0 && this.openCount++ === 0) this.openSince = this.now;
    if (before !== 0 && after === 0 && --this.openCount === 0)
      this.openIntervals.push({ from: this.openSince, to: this.now });
  }

  /** Closes the run: the last day's sample and the interval still open at the last tick. */
  finish(): void {
    if (this.lastTickTs !== null) {
      this.samples.push({ ts: this.now, equity: this.equity() });
      if (this.openCount > 0)
        this.openIntervals.push({ from: this.openSince, to: this.lastTickTs });
    }
  }
}
