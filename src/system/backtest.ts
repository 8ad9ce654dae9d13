/**
 * Backtest: runs the seeded mock feed for N ticks through the real actors on a simulated clock,
 * as fast as possible, journaling every message, and reports counts, the run's fingerprint and
 * the portfolios.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInstruments, loadStrategies, type Settings } from '../config/index.js';
import type { MockMarketConfig } from '../feed/index.js';
import type {
  Instrument,
  JournalRecord,
  MarketTick,
  PortfolioSnapshot,
  StrategyConfig,
} from '../model/index.js';
import { SimulatedClock, SeededRandom } from '../runtime/index.js';
import { backtestJournal, mockMarket } from './compose.js';
import { runSpec, systemOptions } from './run-spec.js';
import { TradingSystem } from './trading-system.js';

/** 2026-01-05 09:15 IST, a Monday: where a backtest's simulated clock starts. */
export const BACKTEST_START_MS = Date.UTC(2026, 0, 5, 3, 45, 0);

export interface BacktestOptions {
  readonly ticks: number;
  readonly seed: number;
  readonly instruments: readonly Instrument[];
  readonly strategies: readonly StrategyConfig[];
  /** Ticks per delivery batch (the batch boundaries are journaled). */
  readonly batch?: number;
  /** Simulated time between ticks, ms. */
  readonly tickIntervalMs?: number;
  readonly scenario?: Partial<MockMarketConfig>;
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
}

/** Builds the trading system for a run (the composition root supplies transport and adapters). */
export type SystemFactory = (clock: SimulatedClock, random: SeededRandom) => Promise<TradingSystem>;

/** Unflushed records past which the loop waits for the journal, and how far it lets it drain. */
const BACKLOG_HIGH = 400_000;
const BACKLOG_RESUME = 300_000;
const YIELD_EVERY_TICKS = 5_000;

export async function runBacktest(
  opts: BacktestOptions,
  build: SystemFactory,
): Promise<{ result: BacktestResult; system: TradingSystem }> {
  const clock = new SimulatedClock(BACKTEST_START_MS);
  const random = new SeededRandom(opts.seed);
  const system = await build(clock, random);
  if (opts.tap) system.switchboard.tap(opts.tap);
  if (opts.tapTicks) system.switchboard.tapTicks(opts.tapTicks);
  const market = mockMarket(opts.instruments, random.fork('market'), opts.scenario);
  const batch = opts.batch ?? 100;
  const dt = opts.tickIntervalMs ?? 10;
  let done = 0;
  while (done < opts.ticks) {
    const n = Math.min(batch, opts.ticks - done);
    const ticks = new Array(n);
    for (let i = 0; i < n; i++) {
      clock.advance(dt);
      ticks[i] = market.next(clock.now());
    }
    // Timers due by the batch's last tick (session marks, midnight, PnL) go first, as live.
    system.commands.advance(clock.now());
    system.ingestTicks(ticks);
    done += n;
    // Bound memory: let the journal catch up when its backlog grows (never drops, invariant 4).
    // Yield now and then so journal writes complete beside the loop instead of after it.
    if (done % YIELD_EVERY_TICKS < n) await new Promise((r) => setImmediate(r));
    if (system.bridge.backlog > BACKLOG_HIGH)
      await system.bridge.whenDurable(system.bridge.lastSeq - BACKLOG_RESUME);
  }
  await system.bridge.flush();
  const st = system.switchboard.stats();
  const by = st.byType;
  return {
    system,
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
    },
  };
}

/**
 * The `backtest` command: the run of the settings' configuration (CONFIG_DIR's instruments and
 * strategies, the brokers' limits and models) over `ticks` mock ticks, journaled to LMDB under
 * `dataDir` (a temporary folder, removed afterwards, when none is given).
 */
export async function backtestRun(
  settings: Settings,
  opts: {
    ticks: number;
    seed: number;
    batch: number;
    dataDir?: string | undefined;
    onJournalProblem: (message: string) => void;
  },
): Promise<BacktestResult> {
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'alpha-panda-backtest-'));
  try {
    const instruments = loadInstruments(settings.config_dir);
    const strategies = loadStrategies(settings.config_dir);
    const { result, system } = await runBacktest(
      { ticks: opts.ticks, seed: opts.seed, batch: opts.batch, instruments, strategies },
      (clock, random) =>
        TradingSystem.open(
          systemOptions(runSpec(settings, instruments, strategies, random.seed), {
            clock,
            random,
            // A backtest journals to its own LMDB, whatever KAFKA_BROKERS says.
            transport: backtestJournal(dir),
            bridge: {
              batchRecords: settings.journal.batch_records,
              maxBacklog: settings.journal.max_backlog,
            },
            onJournalProblem: opts.onJournalProblem,
          }),
        ),
    );
    await system.close();
    return result;
  } finally {
    if (opts.dataDir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
