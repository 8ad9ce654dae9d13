/**
 * Prepared ticks: a seeded random walk of each instrument's mid in whole ticks, generated in full
 * before a run and held in columns (a few typed arrays, about 40 bytes a tick), so a benchmark
 * times ingestion alone, as other engines time theirs after loading their data. A tick object is
 * built only when a batch is delivered, as a live feed builds it from a packet.
 *
 * Each step the mid moves one tick down, stays or moves one tick up (equally likely); the spread
 * is 1 to 3 ticks, the bid and ask quantities and the traded quantity 100 to 1,000 shares, and
 * the trade is at the bid or the ask. Instruments tick `intervalMs` apart each, interleaved.
 */
import type { DepthLevel, Instrument, MarketTick, Paise } from '../model/index.js';
import type { Random } from '../runtime/index.js';

export interface RandomWalkSpec {
  readonly instruments: readonly Instrument[];
  readonly ticksPerInstrument: number;
  /** Exchange time between two ticks of one instrument, ms; the instruments are spread evenly within it. */
  readonly intervalMs: number;
  /** Exchange time of the first tick, epoch ms. */
  readonly startMs: number;
  readonly random: Random;
}

/** Ticks in columns; `tick(i)` builds the i-th as a MarketTick. */
export class PreparedTicks {
  readonly length: number;
  readonly token: Uint32Array;
  readonly ts: Float64Array;
  readonly last: Int32Array;
  readonly lastQuantity: Int32Array;
  readonly bid: Int32Array;
  readonly ask: Int32Array;
  readonly bidQuantity: Int32Array;
  readonly askQuantity: Int32Array;
  readonly volume: Float64Array;
  private readonly open: Map<number, number>;

  constructor(length: number, open: Map<number, number>) {
    this.length = length;
    this.token = new Uint32Array(length);
    this.ts = new Float64Array(length);
    this.last = new Int32Array(length);
    this.lastQuantity = new Int32Array(length);
    this.bid = new Int32Array(length);
    this.ask = new Int32Array(length);
    this.bidQuantity = new Int32Array(length);
    this.askQuantity = new Int32Array(length);
    this.volume = new Float64Array(length);
    this.open = open;
  }

  /** Bytes held by the columns. */
  get bytes(): number {
    return this.length * (4 + 8 + 4 * 6 + 4 + 8);
  }

  /** The i-th tick: one level of depth a side, the day's open as open, high, low and close. */
  tick(i: number): MarketTick {
    const open = this.open.get(this.token[i]!) ?? 0;
    const bids: DepthLevel[] = [
      { price: this.bid[i]! as Paise, quantity: this.bidQuantity[i]!, orders: 1 },
    ];
    const asks: DepthLevel[] = [
      { price: this.ask[i]! as Paise, quantity: this.askQuantity[i]!, orders: 1 },
    ];
    return {
      token: this.token[i]!,
      ts: this.ts[i]!,
      lastPrice: this.last[i]! as Paise,
      lastQuantity: this.lastQuantity[i]!,
      averagePrice: this.last[i]! as Paise,
      volume: this.volume[i]!,
      buyQuantity: this.bidQuantity[i]!,
      sellQuantity: this.askQuantity[i]!,
      open: open as Paise,
      high: open as Paise,
      low: open as Paise,
      close: open as Paise,
      oi: 0,
      bids,
      asks,
    } as MarketTick;
  }
}

/** Generates `ticksPerInstrument` ticks of every instrument, interleaved in time order. */
export function randomWalkTicks(spec: RandomWalkSpec): PreparedTicks {
  return new RandomWalk(spec).next(spec.ticksPerInstrument);
}

/** The walk in chunks: each `next(rounds)` continues where the last ended (a long run's memory stays flat). */
export class RandomWalk {
  private readonly mid: number[];
  private readonly volume: Float64Array;
  private readonly open = new Map<number, number>();
  private round = 0;

  constructor(private readonly spec: Omit<RandomWalkSpec, 'ticksPerInstrument'>) {
    const { instruments } = spec;
    if (instruments.length === 0) throw new RangeError('a random walk needs instruments');
    this.mid = instruments.map((inst) => Math.max(10, Math.round(inst.refPrice / inst.tickSize)));
    instruments.forEach((inst, j) => this.open.set(inst.token, this.mid[j]! * inst.tickSize));
    this.volume = new Float64Array(instruments.length);
  }

  /** The next `rounds` ticks of every instrument. */
  next(rounds: number): PreparedTicks {
    const { instruments, intervalMs, startMs, random } = this.spec;
    if (!Number.isInteger(rounds) || rounds < 0)
      throw new RangeError(
        `a random walk takes a whole number of ticks per instrument, not ${rounds}`,
      );
    const n = instruments.length;
    const { mid, volume } = this;
    const out = new PreparedTicks(n * rounds, this.open);
    const size = () => 100 + (random.nextU32() % 901);
    let i = 0;
    for (let k = this.round; k < this.round + rounds; k++) {
      for (let j = 0; j < n; j++) {
        const inst = instruments[j]!;
        const r = random.nextU32();
        mid[j] = Math.max(4, mid[j]! + ((r % 3) - 1));
        const spread = 1 + ((r >>> 8) % 3);
        const bidTicks = mid[j]! - (spread >> 1);
        const q = size();
        volume[j]! += q;
        out.token[i] = inst.token;
        out.ts[i] = startMs + k * intervalMs + Math.floor((j * intervalMs) / n);
        out.bid[i] = bidTicks * inst.tickSize;
        out.ask[i] = (bidTicks + spread) * inst.tickSize;
        out.last[i] = (r >>> 16) & 1 ? out.ask[i]! : out.bid[i]!;
        out.lastQuantity[i] = q;
        out.bidQuantity[i] = size();
        out.askQuantity[i] = size();
        out.volume[i] = volume[j]!;
        i++;
      }
    }
    this.round += rounds;
    return out;
  }
}
