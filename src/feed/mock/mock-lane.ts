/** One MockMarket instrument's generator state and the math that steps it by one tick. */
import type { Instrument, DepthLevel, MarketTick, Paise } from '../../model/index.js';
import type { MockMarketConfig, Regime } from './mock-market-config.js';

const TRADING_DAYS = 252;
const GARCH_ALPHA = 0.12;
const GARCH_BETA = 0.85;
/** Daily variance bounds: daily volatility stays within 0.5%..10%. */
const MIN_H = 0.005 ** 2;
const MAX_H = 0.1 ** 2;
/** An EMA with the centre of mass of a 20-tick average, pulled toward at 1% per tick. */
const MA_ALPHA = 2 / 21;
const MA_REVERSION = 0.01;
/** Per-day pull toward the reference price (time constant ~44 days) keeps long runs bounded. */
const REF_REVERSION = 0.0225;
const MAX_LOG_DEVIATION = Math.log(10);
/** Mean traded notional per tick and resting notional at the touch, in paise (₹1 lakh, ₹5 lakh). */
const TRADE_NOTIONAL = 10_000_000;
const LEVEL_NOTIONAL = 50_000_000;
/** Total book quantity as a multiple of the visible depth. */
const BOOK_FACTOR = 12;
const NO_DEPTH: readonly DepthLevel[] = Object.freeze([]);

/** One instrument's generator state; plain numbers, so JSON round-trips it exactly. */
export interface MockLaneSnapshot {
  readonly token: number;
  readonly n: number;
  readonly x: number;
  readonly ema: number;
  readonly h: number;
  readonly anchor: number;
  readonly dir: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly last: number;
  readonly volume: number;
  readonly turnover: number;
}

/** A regime scaled to one tick. */
export interface Phase {
  readonly mu: number;
  readonly omega: number;
  readonly hBar: number;
  readonly spreadFrac: number;
  readonly volume: number;
  readonly kRange: number;
}

/** What every lane of one market shares: its config, one tick as a fraction of a day, two phases. */
export interface LaneModel {
  readonly config: MockMarketConfig;
  readonly dt: number;
  readonly phaseA: Phase;
  readonly phaseB: Phase;
}

/** The counted random draws a step consumes; the market counts them so restore can replay them. */
export interface LaneDraws {
  u32(): number;
  /** Uniform in (0, 1], safe for log. */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

/** Builds the shared model of a market running `config`, with phases before and after the switch. */
export function laneModel(config: MockMarketConfig, a: Regime, b: Regime): LaneModel {
  const dt = 1 / config.ticksPerDay;
  return { config, dt, phaseA: phase(config, dt, a), phaseB: phase(config, dt, b) };
}

function phase(config: MockMarketConfig, dt: number, r: Regime): Phase {
  const daily = config.annualVolatility / Math.sqrt(TRADING_DAYS);
  const hBar = Math.min(MAX_H, Math.max(MIN_H, (daily * r.vol) ** 2));
  return {
    mu: r.drift * dt,
    omega: (1 - GARCH_ALPHA - GARCH_BETA) * hBar,
    hBar,
    spreadFrac: (config.spreadBps * r.spread) / 10_000,
    volume: r.volume,
    kRange: r.range * dt,
  };
}

/**
 * One instrument's log random walk with GARCH-like volatility, reversion to its 20-tick average,
 * to the day's open and to its reference price, plus scenario drift times `dir`.
 */
export class Lane {
  n = 0;
  x: number;
  ema: number;
  h: number;
  anchor: number;
  dir = 1;
  open = 0;
  high = 0;
  low = 0;
  close: number;
  last = 0;
  volume = 0;
  turnover = 0;
  readonly token: number;
  readonly tick: number;
  readonly refLog: number;
  readonly isIndex: boolean;
  readonly tradeMean: number;
  readonly levelMean: number;

  constructor(inst: Instrument, h: number) {
    this.token = inst.token;
    this.tick = inst.tickSize;
    this.refLog = Math.log(inst.refPrice);
    this.x = this.refLog;
    this.ema = this.refLog;
    this.anchor = this.refLog;
    this.h = h;
    this.close = inst.refPrice;
    this.isIndex = inst.isIndex;
    this.tradeMean = Math.max(1, TRADE_NOTIONAL / inst.refPrice);
    this.levelMean = Math.max(1, LEVEL_NOTIONAL / inst.refPrice);
  }

  /** Returns the lane's state as a plain JSON-able object. */
  snapshot(): MockLaneSnapshot {
    return {
      token: this.token,
      n: this.n,
      x: this.x,
      ema: this.ema,
      h: this.h,
      anchor: this.anchor,
      dir: this.dir,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      last: this.last,
      volume: this.volume,
      turnover: this.turnover,
    };
  }

  /** Takes the state in `s`, which the caller has matched to this lane's token. */
  restore(s: MockLaneSnapshot): void {
    this.n = s.n;
    this.x = s.x;
    this.ema = s.ema;
    this.h = s.h;
    this.anchor = s.anchor;
    this.dir = s.dir;
    this.open = s.open;
    this.high = s.high;
    this.low = s.low;
    this.close = s.close;
    this.last = s.last;
    this.volume = s.volume;
    this.turnover = s.turnover;
  }

  /** Advances the lane by one tick and returns its tick; `ts` is epoch ms. */
  step(m: LaneModel, d: LaneDraws, ts: number): MarketTick {
    return this.isIndex ? this.indexTick(m, d, ts) : this.stockTick(m, d, ts);
  }

  /** Advances the efficient log price by one tick; returns the phase in force. */
  private evolve(m: LaneModel, d: LaneDraws): Phase {
    const dayTick = this.n % m.config.ticksPerDay;
    if (dayTick === 0 && this.n > 0) {
      this.close = this.last;
      this.open = 0;
      this.volume = 0;
      this.turnover = 0;
      this.anchor = this.x;
    }
    this.n++;
    const p = dayTick < m.config.switchAfter ? m.phaseA : m.phaseB;
    const z = d.normal();
    const x = this.x;
    let nx =
      x +
      p.mu * this.dir +
      Math.sqrt(this.h * m.dt) * z +
      MA_REVERSION * (this.ema - x) +
      p.kRange * (this.anchor - x) +
      REF_REVERSION * m.dt * (this.refLog - x);
    if (nx > this.refLog + MAX_LOG_DEVIATION) nx = this.refLog + MAX_LOG_DEVIATION;
    else if (nx < this.refLog - MAX_LOG_DEVIATION) nx = this.refLog - MAX_LOG_DEVIATION;
    this.x = nx;
    this.ema += MA_ALPHA * (nx - this.ema);
    const h = p.omega + (GARCH_ALPHA * z * z + GARCH_BETA) * this.h;
    this.h = h < MIN_H ? MIN_H : h > MAX_H ? MAX_H : h;
    return p;
  }

  private session(last: number): void {
    this.last = last;
    if (this.open === 0) {
      this.open = last;
      this.high = last;
      this.low = last;
    } else if (last > this.high) this.high = last;
    else if (last < this.low) this.low = last;
  }

  private indexTick(m: LaneModel, d: LaneDraws, ts: number): MarketTick {
    this.evolve(m, d);
    // An index is an average of many prices, so it carries no bid/ask bounce.
    const tick = this.tick;
    const last = Math.max(tick, Math.round(Math.exp(this.x) / tick) * tick);
    this.session(last);
    return {
      token: this.token,
      ts,
      lastPrice: last as Paise,
      lastQuantity: 0,
      averagePrice: 0 as Paise,
      volume: 0,
      buyQuantity: 0,
      sellQuantity: 0,
      open: this.open as Paise,
      high: this.high as Paise,
      low: this.low as Paise,
      close: this.close as Paise,
      oi: 0,
      bids: NO_DEPTH,
      asks: NO_DEPTH,
    };
  }

  private stockTick(m: LaneModel, d: LaneDraws, ts: number): MarketTick {
    const p = this.evolve(m, d);
    const tick = this.tick;
    const mid = Math.exp(this.x);
    const spreadTicks = Math.max(1, Math.round((mid * p.spreadFrac) / tick));
    let bid = (Math.round(mid / tick) - (spreadTicks >> 1)) * tick;
    if (bid < tick) bid = tick;
    const ask = bid + spreadTicks * tick;
    let last = Math.round((mid * (1 + m.config.noise * d.normal())) / tick) * tick;
    if (last < bid) last = bid;
    else if (last > ask) last = ask;
    this.session(last);

    // Gamma(2) trade size: -log(u1 u2) has mean 2.
    const g = -Math.log(d.uniform() * d.uniform());
    const lastQuantity = 1 + Math.floor(g * 0.5 * this.tradeMean * p.volume);
    this.volume += lastQuantity;
    this.turnover += last * lastQuantity;

    const levels = m.config.depthLevels;
    const bids: DepthLevel[] = [];
    const asks: DepthLevel[] = [];
    let buy = 0;
    let sell = 0;
    const mean = this.levelMean * p.volume;
    for (let i = 0; i < levels; i++) {
      // One draw per level: two 12-bit uniforms sum to a triangular size, the top byte gives orders.
      const depthMean = (mean * (2 + i)) / 8192;
      const pb = bid - i * tick;
      if (pb > 0) {
        const u = d.u32();
        const q = 1 + Math.floor(depthMean * ((u & 0xfff) + ((u >>> 12) & 0xfff)));
        buy += q;
        bids.push({ price: pb as Paise, quantity: q, orders: 1 + (((u >>> 24) * 20) >>> 8) });
      }
      const v = d.u32();
      const qa = 1 + Math.floor(depthMean * ((v & 0xfff) + ((v >>> 12) & 0xfff)));
      sell += qa;
      asks.push({
        price: (ask + i * tick) as Paise,
        quantity: qa,
        orders: 1 + (((v >>> 24) * 20) >>> 8),
      });
    }
    return {
      token: this.token,
      ts,
      lastPrice: last as Paise,
      lastQuantity,
      averagePrice: Math.round(this.turnover / this.volume) as Paise,
      volume: this.volume,
      buyQuantity: buy * BOOK_FACTOR,
      sellQuantity: sell * BOOK_FACTOR,
      open: this.open as Paise,
      high: this.high as Paise,
      low: this.low as Paise,
      close: this.close as Paise,
      oi: 0,
      bids,
      asks,
    };
  }
}
