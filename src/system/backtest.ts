/**
 * Backtest: runs ticks through the real actors on a simulated clock, as fast as possible,
 * journaling every message, and reports counts, the run's fingerprint and the portfolios. The
 * ticks come from the seeded mock feed (N of them) or from recorded history (`--data`: Kite
 * candle CSV, tick CSV or a journal, see feed/history), whose times the clock follows. The
 * command's side (settings, files, the journal folder) is backtest-run.ts.
 */
import type { MockMarketConfig, PreparedTicks } from '../feed/index.js';
import type {
  DailyMarks,
  Instrument,
  JournalRecord,
  MarketHours,
  MarketTick,
  PortfolioSnapshot,
  StrategyConfig,
} from '../model/index.js';
import { SimulatedClock, SeededRandom } from '../runtime/index.js';
import { mockMarket } from './compose.js';
import { TradingSystem, type StrategyStatus } from './trading-system.js';

/** 2026-01-05 09:15 IST, a Monday: where a mock backtest's simulated clock starts. */
export const BACKTEST_START_MS = Date.UTC(2026, 0, 5, 3, 45, 0);

/** Recorded ticks for a backtest, in time order, and the market they trade in. */
export interface BacktestHistory {
  readonly ticks: AsyncIterable<MarketTick>;
  /** Where the clock starts (before the first tick). */
  readonly startMs: number;
  /** A batch is cut where a market mark falls between two ticks, so the mark fires between. */
  readonly hours: MarketHours;
  readonly marks: DailyMarks;
}

export interface BacktestOptions {
  /** Mock ticks to run; with `history`, the most ticks to read from it. */
  readonly ticks: number;
  readonly seed: number;
  readonly instruments: readonly Instrument[];
  readonly strategies: readonly StrategyConfig[];
  /** Ticks per delivery batch (the batch boundaries are journaled). */
  readonly batch?: number;
  /** Recorded history: the most exchange time one delivery batch spans, ms (default 100). */
  readonly batchWindowMs?: number;
  /** Simulated time between mock ticks, ms. */
  readonly tickIntervalMs?: number;
  readonly scenario?: Partial<MockMarketConfig>;
  /** Recorded ticks instead of the mock market. */
  readonly history?: BacktestHistory;
  /**
   * Ticks generated before the run (a benchmark's data, see feed/random-walk.ts) instead of the
   * mock market: delivered `batch` at a time, the clock at each batch's last tick. A function
   * gives them in chunks (null: no more), so a long run holds one chunk at a time.
   */
  readonly prepared?: PreparedTicks | (() => PreparedTicks | null);
  /** Sees every record but ticks as it is journaled (benchmarks measure latency with it). */
  readonly tap?: (r: JournalRecord, derived: boolean) => void;
  /** Sees every tick batch as it is journaled: ticks[i] has seq firstSeq + i. */
  readonly tapTicks?: (ticks: readonly MarketTick[], firstSeq: number) => void;
}

export interface BacktestResult {
  readonly ticks: number;
  readonly signals: number;
  readonly orders: number;
  readonly fills: number;
  readonly rejections: number;
  readonly deadLettered: number;
  readonly records: number;
  readonly fingerprint: string;
  readonly portfolios: readonly PortfolioSnapshot[];
  /** Each configured strategy as the run left it: FAULTED ones (refused at start) with why. */
  readonly strategies: readonly StrategyStatus[];
  /** A data backtest's first and last tick times (ISO, IST), instruments and `--data` path. */
  readonly from?: string;
  readonly until?: string;
  readonly instruments?: readonly number[];
  readonly data?: string;
}

/** Builds the trading system for a run (the composition root supplies transport and adapters). */
export type SystemFactory = (clock: SimulatedClock, random: SeededRandom) => Promise<TradingSystem>;

/** Unflushed records past which the loop waits for the journal, and how far it lets it drain. */
const BACKLOG_HIGH = 400_000;
const BACKLOG_RESUME = 300_000;
const YIELD_EVERY_TICKS = 5_000;

/** Delivers one batch: the timers due by its last tick first (session marks, PnL), as live. */
async function deliver(system: TradingSystem, clock: SimulatedClock, ticks: MarketTick[]) {
  system.commands.advance(clock.now());
  system.ingestTicks(ticks);
  // Bound memory: let the journal catch up when its backlog grows (never drops, invariant 4).
  if (system.bridge.backlog > BACKLOG_HIGH)
    await system.bridge.whenDurable(system.bridge.lastSeq - BACKLOG_RESUME);
}

async function runHistory(
  opts: BacktestOptions,
  h: BacktestHistory,
  system: TradingSystem,
  clock: SimulatedClock,
): Promise<{ done: number; first: number; last: number }> {
  const batch = opts.batch ?? 100;
  // A delivery batch spans no more exchange time than a live one (FEED__BATCH_MS): the paper
  // broker sees a batch's ticks before the strategies' orders from it, so a longer batch would
  // fill an order at a price from later in the batch than the tick it answers.
  const windowMs = opts.batchWindowMs ?? 100;
  let pending: MarketTick[] = [];
  let done = 0;
  let first = NaN;
  let last = NaN;
  for await (const t of h.ticks) {
    if (done + pending.length >= opts.ticks) break;
    if (Number.isNaN(first)) first = t.ts;
    const cut =
      pending.length >= batch ||
      (pending.length > 0 &&
        (t.ts - pending[0]!.ts >= windowMs ||
          h.hours.marksBetween(last, t.ts, h.marks).length > 0));
    if (cut) {
      await deliver(system, clock, pending);
      done += pending.length;
      // Yield now and then so journal writes complete beside the loop instead of after it.
      if (done % YIELD_EVERY_TICKS < pending.length) await new Promise((r) => setImmediate(r));
      pending = [];
    }
    clock.set(t.ts);
    last = t.ts;
    pending.push(t);
  }
  if (pending.length > 0) {
    await deliver(system, clock, pending);
    done += pending.length;
  }
  return { done, first, last };
}

export async function runBacktest(
  opts: BacktestOptions,
  build: SystemFactory,
): Promise<{
  result: BacktestResult;
  system: TradingSystem;
  span?: { first: number; last: number };
}> {
  const h = opts.history;
  const clock = new SimulatedClock(h ? h.startMs : BACKTEST_START_MS);
  const random = new SeededRandom(opts.seed);
  const system = await build(clock, random);
  if (opts.tap) system.switchboard.tap(opts.tap);
  if (opts.tapTicks) system.switchboard.tapTicks(opts.tapTicks);
  let done = 0;
  let span: { first: number; last: number } | undefined;
  if (h) {
    const r = await runHistory(opts, h, system, clock);
    done = r.done;
    span = { first: r.first, last: r.last };
  } else if (opts.prepared) {
    const p = opts.prepared;
    let given = false;
    const next =
      typeof p === 'function' ? p : () => (given ? null : ((given = true), p as PreparedTicks));
    const batch = opts.batch ?? 100;
    let chunk = next();
    let at = 0;
    while (chunk !== null && done < opts.ticks) {
      if (at >= chunk.length) {
        chunk = next();
        at = 0;
        continue;
      }
      const n = Math.min(batch, chunk.length - at, opts.ticks - done);
      const ticks = new Array<MarketTick>(n);
      for (let i = 0; i < n; i++) ticks[i] = chunk.tick(at + i);
      clock.set(chunk.ts[at + n - 1]!);
      await deliver(system, clock, ticks);
      done += n;
      at += n;
      if (done % YIELD_EVERY_TICKS < n) await new Promise((r) => setImmediate(r));
    }
  } else {
    const market = mockMarket(opts.instruments, random.fork('market'), opts.scenario);
    const batch = opts.batch ?? 100;
    const dt = opts.tickIntervalMs ?? 10;
    while (done < opts.ticks) {
      const n = Math.min(batch, opts.ticks - done);
      const ticks = new Array(n);
      for (let i = 0; i < n; i++) {
        clock.advance(dt);
        ticks[i] = market.next(clock.now());
      }
      await deliver(system, clock, ticks);
      done += n;
      if (done % YIELD_EVERY_TICKS < n) await new Promise((r) => setImmediate(r));
    }
  }
  await system.bridge.flush();
  const st = system.switchboard.stats();
  const by = st.byType;
  return {
    system,
    ...(span ? { span } : {}),
    result: {
      ticks: done,
      signals: by.TradingSignal ?? 0,
      orders: by.SubmitOrder ?? 0,
      fills: by.OrderFilled ?? 0,
      rejections: (by.SignalRejected ?? 0) + (by.OrderRejected ?? 0),
      deadLettered: st.deadLettered,
      records: st.records,
      fingerprint: system.switchboard.fingerprint(),
      portfolios: system.portfolios(),
      strategies: system.strategies(),
    },
  };
}
