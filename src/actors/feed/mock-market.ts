/** MockMarket: a seeded, deterministic generator of NSE-like ticks with depth (SPEC §2 mock feed). */
import type { Instrument } from '../../model/instrument.js';
import type { DepthLevel, MarketTick } from '../../model/market-tick.js';
import type { Paise } from '../../model/money.js';
import type { Random } from '../../runtime/ids.js';

export const MOCK_SCENARIOS = [
  'normal',
  'trending_bull',
  'trending_bear',
  'ranging',
  'high_volatility',
  'low_volatility',
  'market_open',
  'market_close',
  'breakout',
  'reversal',
] as const;
export type MockScenario = (typeof MOCK_SCENARIOS)[number];

export interface MockMarketConfig {
  readonly scenario: MockScenario;
  /** Annualised volatility of log returns, as a fraction (0.2 = 20%); 252 trading days a year. */
  readonly annualVolatility: number;
  /** Ticks per instrument that make one trading day: sets dt and when the session rolls over. */
  readonly ticksPerDay: number;
  /** Quoted bid/ask spread in basis points of the price; never less than one tick. */
  readonly spreadBps: number;
  /** Depth levels per side for stocks, 0 to 5 (indices never have depth). */
  readonly depthLevels: number;
  /** Standard deviation of the last trade's noise around the mid, as a fraction (0.0005 = 0.05%). */
  readonly noise: number;
  /** Ticks into each day, per instrument, at which `breakout` and `reversal` switch phase. */
  readonly switchAfter: number;
}

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

/** The whole generator state, for crash recovery; restore it into a MockMarket built alike. */
export interface MockMarketSnapshot {
  readonly version: 1;
  readonly scenario: MockScenario;
  readonly count: number;
  readonly draws: number;
  readonly spare: number | null;
  readonly lanes: readonly MockLaneSnapshot[];
}

/** Per-day drift, multipliers on volatility, volume and spread, and per-day pull to the day's open. */
interface Regime {
  readonly drift: number;
  readonly vol: number;
  readonly volume: number;
  readonly spread: number;
  readonly range: number;
}

/** A regime scaled to one tick. */
interface Phase {
  readonly mu: number;
  readonly omega: number;
  readonly hBar: number;
  readonly spreadFrac: number;
  readonly volume: number;
  readonly kRange: number;
}

const regime = (drift: number, vol: number, volume: number, spread: number, range = 0): Regime => ({
  drift,
  vol,
  volume,
  spread,
  range,
});
const RANGING = regime(0, 0.7, 0.8, 1, 2.25);
/** Phase before and after `switchAfter`; drift is multiplied by each instrument's direction. */
const REGIMES: Record<MockScenario, readonly [Regime, Regime]> = {
  normal: [regime(0, 1, 1, 1), regime(0, 1, 1, 1)],
  trending_bull: [regime(0.02, 1, 1.3, 1), regime(0.02, 1, 1.3, 1)],
  trending_bear: [regime(-0.02, 1.2, 1.4, 1.1), regime(-0.02, 1.2, 1.4, 1.1)],
  ranging: [RANGING, RANGING],
  high_volatility: [regime(0, 2.5, 1.8, 2), regime(0, 2.5, 1.8, 2)],
  low_volatility: [regime(0, 0.4, 0.6, 0.8), regime(0, 0.4, 0.6, 0.8)],
  market_open: [regime(0, 1.8, 2.5, 1.5), regime(0, 1.8, 2.5, 1.5)],
  market_close: [regime(0, 1.3, 2, 1.2), regime(0, 1.3, 2, 1.2)],
  breakout: [regime(0, 0.6, 0.7, 1, 2.25), regime(0.04, 1.6, 2.5, 1.3)],
  reversal: [regime(0.03, 1.1, 1.3, 1), regime(-0.03, 1.3, 1.6, 1.1)],
};

const DEFAULTS: MockMarketConfig = {
  scenario: 'normal',
  annualVolatility: 0.2,
  ticksPerDay: 22_500,
  spreadBps: 10,
  depthLevels: 5,
  noise: 0.0005,
  switchAfter: 11_250,
};

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
/** Ticks per random block: each block draws from its own fork, so restore replays at most one. */
const BLOCK_TICKS = 4096;
const U32 = 2 ** -32;
const NO_DEPTH: readonly DepthLevel[] = Object.freeze([]);

class Lane {
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
}

/**
 * Generates ticks for a fixed list of instruments, round-robin. Each instrument follows a log
 * random walk with GARCH-like volatility, reversion to its 20-tick average and scenario drift;
 * stocks get a quoted spread, 5-level depth, noisy last trades and volume; indices get no depth.
 * All randomness comes from `random`, so a seed reproduces the sequence exactly.
 */
export class MockMarket {
  readonly config: MockMarketConfig;
  private readonly lanes: Lane[];
  private readonly root: Random;
  private readonly dt: number;
  private readonly phaseA: Phase;
  private readonly phaseB: Phase;
  private rng: Random;
  private ticks = 0;
  private draws = 0;
  private hasSpare = false;
  private spare = 0;

  constructor(
    instruments: readonly Instrument[],
    random: Random,
    config?: Partial<MockMarketConfig>,
  ) {
    const c = resolveConfig(config);
    if (instruments.length === 0) throw new Error('MockMarket needs at least one instrument');
    this.config = c;
    this.root = random;
    this.dt = 1 / c.ticksPerDay;
    const [a, b] = REGIMES[c.scenario];
    this.phaseA = this.phase(a);
    this.phaseB = this.phase(b);
    const directional = c.scenario === 'breakout' || c.scenario === 'reversal';
    const dirs = random.fork('mock-market:direction');
    this.lanes = instruments.map((inst) => {
      const lane = new Lane(inst, this.phaseA.hBar);
      if (directional) lane.dir = (dirs.nextU32() & 1) === 0 ? 1 : -1;
      return lane;
    });
    this.rng = random.fork('mock-market:0');
  }

  /** Number of ticks generated so far, over all instruments. */
  get count(): number {
    return this.ticks;
  }

  /** Returns the next tick, for instrument `count % instruments.length`; `ts` is epoch ms. */
  next(ts: number): MarketTick {
    return this.nextFor(this.ticks % this.lanes.length, ts);
  }

  /** Returns the next tick of the instrument at `index` in the constructor's list; `ts` is epoch ms. */
  nextFor(index: number, ts: number): MarketTick {
    const lane = this.lanes[index];
    if (lane === undefined) {
      throw new RangeError(`instrument index ${index} is outside 0..${this.lanes.length - 1}`);
    }
    const tick = lane.isIndex ? this.indexTick(lane, ts) : this.stockTick(lane, ts);
    if (++this.ticks % BLOCK_TICKS === 0) this.beginBlock(this.ticks / BLOCK_TICKS);
    return tick;
  }

  /** Returns the generator's state as a plain JSON-able object. */
  snapshot(): MockMarketSnapshot {
    return {
      version: 1,
      scenario: this.config.scenario,
      count: this.ticks,
      draws: this.draws,
      spare: this.hasSpare ? this.spare : null,
      lanes: this.lanes.map((l) => ({
        token: l.token,
        n: l.n,
        x: l.x,
        ema: l.ema,
        h: l.h,
        anchor: l.anchor,
        dir: l.dir,
        open: l.open,
        high: l.high,
        low: l.low,
        close: l.close,
        last: l.last,
        volume: l.volume,
        turnover: l.turnover,
      })),
    };
  }

  /**
   * Continues from `snap`, which must come from a MockMarket with the same instruments, config and
   * seed; the ticks that follow are then identical to those the original would have produced.
   */
  restore(snap: MockMarketSnapshot): void {
    if (snap.version !== 1) throw new Error(`unknown MockMarket snapshot version ${snap.version}`);
    if (snap.scenario !== this.config.scenario) {
      throw new Error(
        `snapshot is of scenario ${snap.scenario}, this market runs ${this.config.scenario}`,
      );
    }
    const tokens = snap.lanes.map((l) => l.token).join(',');
    const mine = this.lanes.map((l) => l.token).join(',');
    if (tokens !== mine) throw new Error(`snapshot instruments [${tokens}] differ from [${mine}]`);
    snap.lanes.forEach((s, i) => {
      const l = this.lanes[i]!;
      l.n = s.n;
      l.x = s.x;
      l.ema = s.ema;
      l.h = s.h;
      l.anchor = s.anchor;
      l.dir = s.dir;
      l.open = s.open;
      l.high = s.high;
      l.low = s.low;
      l.close = s.close;
      l.last = s.last;
      l.volume = s.volume;
      l.turnover = s.turnover;
    });
    this.ticks = snap.count;
    this.beginBlock(Math.floor(snap.count / BLOCK_TICKS));
    for (let i = 0; i < snap.draws; i++) this.rng.nextU32();
    this.draws = snap.draws;
    this.hasSpare = snap.spare !== null;
    this.spare = snap.spare ?? 0;
  }

  private phase(r: Regime): Phase {
    const daily = this.config.annualVolatility / Math.sqrt(TRADING_DAYS);
    const hBar = Math.min(MAX_H, Math.max(MIN_H, (daily * r.vol) ** 2));
    return {
      mu: r.drift * this.dt,
      omega: (1 - GARCH_ALPHA - GARCH_BETA) * hBar,
      hBar,
      spreadFrac: (this.config.spreadBps * r.spread) / 10_000,
      volume: r.volume,
      kRange: r.range * this.dt,
    };
  }

  /** Advances the lane's efficient log price by one tick; returns the phase in force. */
  private evolve(s: Lane): Phase {
    const dayTick = s.n % this.config.ticksPerDay;
    if (dayTick === 0 && s.n > 0) {
      s.close = s.last;
      s.open = 0;
      s.volume = 0;
      s.turnover = 0;
      s.anchor = s.x;
    }
    s.n++;
    const p = dayTick < this.config.switchAfter ? this.phaseA : this.phaseB;
    const z = this.normal();
    const x = s.x;
    let nx =
      x +
      p.mu * s.dir +
      Math.sqrt(s.h * this.dt) * z +
      MA_REVERSION * (s.ema - x) +
      p.kRange * (s.anchor - x) +
      REF_REVERSION * this.dt * (s.refLog - x);
    if (nx > s.refLog + MAX_LOG_DEVIATION) nx = s.refLog + MAX_LOG_DEVIATION;
    else if (nx < s.refLog - MAX_LOG_DEVIATION) nx = s.refLog - MAX_LOG_DEVIATION;
    s.x = nx;
    s.ema += MA_ALPHA * (nx - s.ema);
    const h = p.omega + (GARCH_ALPHA * z * z + GARCH_BETA) * s.h;
    s.h = h < MIN_H ? MIN_H : h > MAX_H ? MAX_H : h;
    return p;
  }

  private session(s: Lane, last: number): void {
    s.last = last;
    if (s.open === 0) {
      s.open = last;
      s.high = last;
      s.low = last;
    } else if (last > s.high) s.high = last;
    else if (last < s.low) s.low = last;
  }

  private indexTick(s: Lane, ts: number): MarketTick {
    this.evolve(s);
    // An index is an average of many prices, so it carries no bid/ask bounce.
    const tick = s.tick;
    const last = Math.max(tick, Math.round(Math.exp(s.x) / tick) * tick);
    this.session(s, last);
    return {
      token: s.token,
      ts,
      lastPrice: last as Paise,
      lastQuantity: 0,
      averagePrice: 0 as Paise,
      volume: 0,
      buyQuantity: 0,
      sellQuantity: 0,
      open: s.open as Paise,
      high: s.high as Paise,
      low: s.low as Paise,
      close: s.close as Paise,
      oi: 0,
      bids: NO_DEPTH,
      asks: NO_DEPTH,
    };
  }

  private stockTick(s: Lane, ts: number): MarketTick {
    const p = this.evolve(s);
    const tick = s.tick;
    const mid = Math.exp(s.x);
    const spreadTicks = Math.max(1, Math.round((mid * p.spreadFrac) / tick));
    let bid = (Math.round(mid / tick) - (spreadTicks >> 1)) * tick;
    if (bid < tick) bid = tick;
    const ask = bid + spreadTicks * tick;
    let last = Math.round((mid * (1 + this.config.noise * this.normal())) / tick) * tick;
    if (last < bid) last = bid;
    else if (last > ask) last = ask;
    this.session(s, last);

    // Gamma(2) trade size: -log(u1 u2) has mean 2.
    const g = -Math.log(this.uniform() * this.uniform());
    const lastQuantity = 1 + Math.floor(g * 0.5 * s.tradeMean * p.volume);
    s.volume += lastQuantity;
    s.turnover += last * lastQuantity;

    const levels = this.config.depthLevels;
    const bids: DepthLevel[] = [];
    const asks: DepthLevel[] = [];
    let buy = 0;
    let sell = 0;
    const mean = s.levelMean * p.volume;
    for (let i = 0; i < levels; i++) {
      // One draw per level: two 12-bit uniforms sum to a triangular size, the top byte gives orders.
      const depthMean = (mean * (2 + i)) / 8192;
      const pb = bid - i * tick;
      if (pb > 0) {
        const u = this.u32();
        const q = 1 + Math.floor(depthMean * ((u & 0xfff) + ((u >>> 12) & 0xfff)));
        buy += q;
        bids.push({ price: pb as Paise, quantity: q, orders: 1 + (((u >>> 24) * 20) >>> 8) });
      }
      const v = this.u32();
      const qa = 1 + Math.floor(depthMean * ((v & 0xfff) + ((v >>> 12) & 0xfff)));
      sell += qa;
      asks.push({
        price: (ask + i * tick) as Paise,
        quantity: qa,
        orders: 1 + (((v >>> 24) * 20) >>> 8),
      });
    }
    return {
      token: s.token,
      ts,
      lastPrice: last as Paise,
      lastQuantity,
      averagePrice: Math.round(s.turnover / s.volume) as Paise,
      volume: s.volume,
      buyQuantity: buy * BOOK_FACTOR,
      sellQuantity: sell * BOOK_FACTOR,
      open: s.open as Paise,
      high: s.high as Paise,
      low: s.low as Paise,
      close: s.close as Paise,
      oi: 0,
      bids,
      asks,
    };
  }

  private beginBlock(block: number): void {
    this.rng = this.root.fork(`mock-market:${block}`);
    this.draws = 0;
    this.hasSpare = false;
  }

  private u32(): number {
    this.draws++;
    return this.rng.nextU32();
  }

  /** Uniform in (0, 1], safe for log. */
  private uniform(): number {
    return (this.u32() + 1) * U32;
  }

  /** Standard normal by the polar method, from counted draws so restore can replay them. */
  private normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    let v = 0;
    let q = 0;
    do {
      u = this.u32() * U32 * 2 - 1;
      v = this.u32() * U32 * 2 - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const m = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }
}

function resolveConfig(partial: Partial<MockMarketConfig> | undefined): MockMarketConfig {
  const ticksPerDay = partial?.ticksPerDay ?? DEFAULTS.ticksPerDay;
  const c: MockMarketConfig = {
    ...DEFAULTS,
    switchAfter: Math.floor(ticksPerDay / 2),
    ...partial,
  };
  const bad = (field: string, rule: string, got: unknown): never => {
    throw new RangeError(`MockMarket config ${field} must be ${rule}, got ${String(got)}`);
  };
  if (!MOCK_SCENARIOS.includes(c.scenario))
    bad('scenario', `one of ${MOCK_SCENARIOS.join(', ')}`, c.scenario);
  if (!(c.annualVolatility > 0 && c.annualVolatility <= 5))
    bad('annualVolatility', 'in (0, 5]', c.annualVolatility);
  if (!Number.isSafeInteger(c.ticksPerDay) || c.ticksPerDay <= 0)
    bad('ticksPerDay', 'a positive integer', c.ticksPerDay);
  if (!(c.spreadBps >= 0 && c.spreadBps <= 1000)) bad('spreadBps', 'in [0, 1000]', c.spreadBps);
  if (!Number.isInteger(c.depthLevels) || c.depthLevels < 0 || c.depthLevels > 5)
    bad('depthLevels', 'an integer 0..5', c.depthLevels);
  if (!(c.noise >= 0 && c.noise < 0.05)) bad('noise', 'in [0, 0.05)', c.noise);
  if (!Number.isInteger(c.switchAfter) || c.switchAfter < 0)
    bad('switchAfter', 'a non-negative integer', c.switchAfter);
  return c;
}
