/**
 * The `backtest` command's run: the settings' configuration (CONFIG_DIR's instruments, the
 * strategies of CONFIG_DIR or `--config`, STRATEGIES_DIR's strategy files, the brokers' limits and
 * models) over the mock feed or recorded history (`--data`), journaled to LMDB.
 */
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
import { openHistory, parseDataTime } from '../feed/index.js';
import { istIso, istMidnight, type StrategyConfig } from '../model/index.js';
import { ConfigError, SeededRandom, type LogTransport } from '../runtime/index.js';
import type { StrategyRegistry } from '../strategies/index.js';
import { runBacktest, type BacktestHistory, type BacktestResult } from './backtest.js';
import { backtestJournal, openJournalToRead } from './compose.js';
import { marketHoursOf } from './market-timers.js';
import { runSpec, systemOptions } from './run-spec.js';
import { loadStrategyRegistry } from './strategy-files/index.js';
import { TradingSystem } from './trading-system.js';

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

const DAY_MS = 86_400_000;

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
