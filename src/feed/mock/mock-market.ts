/** MockMarket: a seeded, deterministic generator of NSE-like ticks with depth (SPEC §2 mock feed). */
import type { Instrument, MarketTick } from '../../model/index.js';
import type { Random } from '../../runtime/index.js';
import {
  Lane,
  laneModel,
  type LaneDraws,
  type LaneModel,
  type MockLaneSnapshot,
} from './mock-lane.js';
import {
  REGIMES,
  resolveConfig,
  type MockMarketConfig,
  type MockScenario,
} from './mock-market-config.js';

export { MOCK_SCENARIOS, type MockMarketConfig, type MockScenario } from './mock-market-config.js';
export type { MockLaneSnapshot } from './mock-lane.js';

/** The whole generator state, for crash recovery; restore it into a MockMarket built alike. */
export interface MockMarketSnapshot {
  readonly version: 1;
  readonly scenario: MockScenario;
  readonly count: number;
  readonly draws: number;
  readonly spare: number | null;
  readonly lanes: readonly MockLaneSnapshot[];
}

/** Ticks per random block: each block draws from its own fork, so restore replays at most one. */
const BLOCK_TICKS = 4096;
const U32 = 2 ** -32;

/**
 * Generates ticks for a fixed list of instruments, round-robin. Each instrument follows a log
 * random walk with GARCH-like volatility, reversion to its 20-tick average and scenario drift;
 * stocks get a quoted spread, 5-level depth, noisy last trades and volume; indices get no depth.
 * All randomness comes from `random`, so a seed reproduces the sequence exactly.
 */
export class MockMarket {
  readonly config: MockMarketConfig;
  private readonly lanes: Lane[];
  private readonly model: LaneModel;
  private readonly draws: BlockDraws;
  private ticks = 0;

  constructor(
    instruments: readonly Instrument[],
    random: Random,
    config?: Partial<MockMarketConfig>,
  ) {
    const c = resolveConfig(config);
    if (instruments.length === 0) throw new Error('MockMarket needs at least one instrument');
    this.config = c;
    const [a, b] = REGIMES[c.scenario];
    this.model = laneModel(c, a, b);
    const directional = c.scenario === 'breakout' || c.scenario === 'reversal';
    const dirs = random.fork('mock-market:direction');
    this.lanes = instruments.map((inst) => {
      const lane = new Lane(inst, this.model.phaseA.hBar);
      if (directional) lane.dir = (dirs.nextU32() & 1) === 0 ? 1 : -1;
      return lane;
    });
    this.draws = new BlockDraws(random);
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
    const tick = lane.step(this.model, this.draws, ts);
    if (++this.ticks % BLOCK_TICKS === 0) this.draws.begin(this.ticks / BLOCK_TICKS);
    return tick;
  }

  /** Returns the generator's state as a plain JSON-able object. */
  snapshot(): MockMarketSnapshot {
    return {
      version: 1,
      scenario: this.config.scenario,
      count: this.ticks,
      draws: this.draws.count,
      spare: this.draws.hasSpare ? this.draws.spare : null,
      lanes: this.lanes.map((l) => l.snapshot()),
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
    snap.lanes.forEach((s, i) => this.lanes[i]!.restore(s));
    this.ticks = snap.count;
    this.draws.resume(Math.floor(snap.count / BLOCK_TICKS), snap.draws, snap.spare);
  }
}

/** The market's random draws: one fork of the root per block of ticks, counted so restore can replay. */
class BlockDraws implements LaneDraws {
  count = 0;
  hasSpare = false;
  spare = 0;
  private rng: Random;

  constructor(private readonly root: Random) {
    this.rng = root.fork('mock-market:0');
  }

  /** Switches to the fork of block `block` and resets the count and the spare normal. */
  begin(block: number): void {
    this.rng = this.root.fork(`mock-market:${block}`);
    this.count = 0;
    this.hasSpare = false;
  }

  /** Continues block `block` after `draws` draws, holding `spare` as the next normal if not null. */
  resume(block: number, draws: number, spare: number | null): void {
    this.begin(block);
    for (let i = 0; i < draws; i++) this.rng.nextU32();
    this.count = draws;
    this.hasSpare = spare !== null;
    this.spare = spare ?? 0;
  }

  u32(): number {
    this.count++;
    return this.rng.nextU32();
  }

  /** Uniform in (0, 1], safe for log. */
  uniform(): number {
    return (this.u32() + 1) * U32;
  }

  /** Standard normal by the polar method, from counted draws so restore can replay them. */
  normal(): number {
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
