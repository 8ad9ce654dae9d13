/**
 * Backtest: runs ticks through the real actors on a simulated clock, as fast as possible,
 * journaling every message, and reports counts, the run's fingerprint and the portfolios. The
 * ticks come from the seeded mock feed (N of them) or from recorded history (`--data`: Kite
 * candle CSV, tick CSV or a journal, see feed/history), whose times the clock follows.
 */
import { loadStrategyRegistry } from './strategy-files/index.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadInstruments,
  loadStrategies,
  nearest,
  parseStrategiesYaml,
  type Settings,
} from '../config/index.js';
import type { MockMarketConfig } from '../feed/index.js';
import { openHistory, parseDataTime } from '../feed/index.js';
import type {
  DailyMarks,
  Instrument,
  JournalRecord,
  MarketHours,
  MarketTick,
  PortfolioSnapshot,
  StrategyConfig,
} from '../model/index.js';
import { ConfigError, SimulatedClock, SeededRandom, type LogTransport } from '../runtime/index.js';
import type { StrategyRegistry } from '../strategies/index.js';
import { backtestJournal, mockMarket, openJournalToRead } from './compose.js';
import { marketHoursOf } from './market-timers.js';
import { runSpec, systemOptions } from './run-spec.js';
import { TradingSystem } from './trading-system.js';

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
    },
  };
}

/** The `backtest` command's options (see src/cli/backtest.ts). */
export interface BacktestRunOptions {
  ticks: number;
  seed: number;
  batch: number;
  dataDir?: string | undefined;
  onJournalProblem: (message: string) => void;
  /** `--data`: a candle or tick CSV, a folder of them, or a recorded journal. */
  data?: string | undefined;
  /** `--from`: the first IST day (2026-01-05) or time (with its offset) of the data read. */
  from?: string | undefined;
  /** `--until`: the last IST day read (included), or a time (excluded). */
  until?: string | undefined;
  /** `--instruments`: tokens or trading symbols to read from the data. */
  instruments?: readonly string[] | undefined;
  /** Candle interval, ms (absent: inferred). */
  intervalMs?: number | undefined;
  /** `--config`: a strategies YAML file instead of CONFIG_DIR's strategies.yaml. */
  config?: string | undefined;
  /** The strategies to run, as given (a sweep's parameter set); wins over `config`. */
  strategies?: readonly StrategyConfig[] | undefined;
  /** The strategy types; absent: the built-in ones and STRATEGIES_DIR's files. */
  registry?: StrategyRegistry | undefined;
  /** Told of each STRATEGIES_DIR file that could not be loaded (its strategies are refused). */
  onStrategyProblem?: ((file: string, error: string) => void) | undefined;
  /** Reads the run's journal (LMDB, read-only) before a temporary data dir is removed. */
  onJournal?: ((transport: LogTransport) => Promise<void>) | undefined;
}

/** The strategies of a `--config` file (the format of config/strategies.yaml). */
export function loadStrategiesFile(path: string): StrategyConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`--config: cannot read ${path}: ${(err as Error).message}`);
  }
  return parseStrategiesYaml(text, path) as StrategyConfig[];
}

/** The settings without Kafka: a backtest's journals are LMDB folders. */
function localSettings(settings: Settings): Settings {
  const { kafka_brokers: _kafka, ...rest } = settings;
  return rest as Settings;
}

const IST_MS = 330 * 60_000;
const DAY_MS = 86_400_000;
const istMidnight = (t: number): number => Math.floor((t + IST_MS) / DAY_MS) * DAY_MS - IST_MS;
const istIso = (t: number): string => `${new Date(t + IST_MS).toISOString().slice(0, 23)}+05:30`;

/** `--from`/`--until` as epoch ms: a date is its IST midnight (for `until`, the next one). */
export function dataBound(
  v: string | undefined,
  name: string,
  endOfDay: boolean,
): number | undefined {
  if (v === undefined) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const t = parseDataTime(dateOnly ? `${v} 00:00:00` : v, true);
  if (t === null)
    throw new ConfigError(
      `--${name}: received ${JSON.stringify(v)}; expected a date (2026-01-05, IST) or a time (2026-01-05T10:00:00+05:30)`,
    );
  return dateOnly && endOfDay ? t + DAY_MS : t;
}

/**
 * The `backtest` command: the run of the settings' configuration (CONFIG_DIR's instruments, the
 * strategies of CONFIG_DIR or `--config`, the brokers' limits and models) over `ticks` mock ticks
 * or over `--data`, journaled to LMDB under `dataDir` (a temporary folder, removed afterwards,
 * when none is given). A data backtest trades by the exchange calendar unless MARKET_HOURS says
 * otherwise: real dates outside the session do not trade.
 */
export async function backtestRun(
  settings: Settings,
  opts: BacktestRunOptions,
): Promise<BacktestResult> {
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'alpha-panda-backtest-'));
  const local = localSettings(settings);
  const from = dataBound(opts.from, 'from', false);
  const until = dataBound(opts.until, 'until', true);
  try {
    const instruments = loadInstruments(settings.config_dir);
    const strategies =
      opts.strategies ??
      (opts.config !== undefined
        ? loadStrategiesFile(opts.config)
        : loadStrategies(settings.config_dir));
    const runSettings: Settings =
      opts.data === undefined
        ? settings
        : { ...settings, market_hours: settings.market_hours ?? 'calendar' };
    let registry = opts.registry;
    if (registry === undefined) {
      const loaded = loadStrategyRegistry(settings.strategies_dir);
      for (const p of loaded.problems) opts.onStrategyProblem?.(p.path, p.error);
      registry = loaded.registry;
    }
    const run = runSpec(runSettings, instruments, strategies, opts.seed, registry);
    const source =
      opts.data === undefined
        ? null
        : await openHistory({
            data: opts.data,
            known: instruments,
            ...(opts.instruments ? { only: opts.instruments } : {}),
            ...(from !== undefined ? { from } : {}),
            ...(until !== undefined ? { until } : {}),
            ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}),
            random: new SeededRandom(opts.seed).fork('history'),
            suggest: (name, candidates) => nearest(name, candidates, { abbreviations: true }),
            openJournal: (d) => openJournalToRead(local, d, 'backtest --data'),
          });
    let history: BacktestHistory | undefined;
    if (source !== null) {
      const it = source.ticks()[Symbol.asyncIterator]();
      const head = await it.next();
      if (head.done)
        throw new ConfigError(
          `backtest: ${opts.data} holds no ticks${opts.from !== undefined || opts.until !== undefined ? ' between --from and --until' : ''}`,
        );
      history = {
        ticks: (async function* () {
          yield head.value;
          for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
        })(),
        startMs: Math.min(from ?? Infinity, istMidnight(head.value.ts)),
        hours: marketHoursOf(run.market),
        marks: run.market.marks,
      };
    }
    let outcome;
    try {
      outcome = await runBacktest(
        {
          ticks: opts.data === undefined ? opts.ticks : (opts.ticks ?? Infinity),
          seed: opts.seed,
          batch: opts.batch,
          batchWindowMs: settings.feed.batch_ms,
          instruments,
          strategies,
          ...(history ? { history } : {}),
        },
        (clock, random) =>
          TradingSystem.open(
            systemOptions(run, {
              clock,
              random,
              // A backtest journals to its own LMDB, whatever KAFKA_BROKERS says.
              transport: backtestJournal(dir),
              bridge: {
                batchRecords: settings.journal.batch_records,
                maxBacklog: settings.journal.max_backlog,
              },
              onJournalProblem: opts.onJournalProblem,
              registry,
            }),
          ),
      );
    } finally {
      await source?.close();
    }
    await outcome.system.close();
    if (opts.onJournal) {
      const journal = await openJournalToRead(local, dir, 'backtest');
      try {
        await opts.onJournal(journal);
      } finally {
        await journal.close();
      }
    }
    if (source === null || outcome.span === undefined) return outcome.result;
    return {
      ...outcome.result,
      from: istIso(outcome.span.first),
      until: istIso(outcome.span.last),
      instruments: source.instruments.map((i) => i.token as number),
      data: opts.data!,
    };
  } finally {
    if (opts.dataDir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
