/**
 * Alpha Panda's entry point and composition root: the only file that picks concrete transports
 * and adapters. Commands: `start` (default), `backtest`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { TradingSystem, type StrategyConfig } from './actors/index.js';
import { PaperBroker } from './brokers/paper/index.js';
import { loadSettings, type Settings } from './config/index.js';
import type { Instrument } from './model/index.js';
import { expectOnly, intOption, parseArgs, stringOption } from './cli/args.js';
import { runBacktest } from './cli/backtest.js';
import { runDaemon } from './cli/daemon.js';
import { loadInstruments, loadStrategies } from './cli/load-config.js';
import { SystemClock, type Clock } from './runtime/clock.js';
import { ConfigError } from './runtime/errors.js';
import { entropySeed, SeededRandom, type Random } from './runtime/ids.js';
import { LmdbTransport } from './runtime/transports/lmdb.js';

/** Converts a percent setting to whole basis points, refusing fractions of a basis point. */
function bps(name: string, percent: number): number {
  const v = Math.round(percent * 100);
  if (Math.abs(v - percent * 100) > 1e-9)
    throw new ConfigError(`${name}: received ${percent}; use a multiple of 0.01 (one basis point)`);
  return v;
}

function paperBroker(settings: Settings, random: Random): PaperBroker {
  const pt = settings.paper_trading;
  return new PaperBroker(
    {
      slippageBps: bps('PAPER_TRADING__SLIPPAGE_PERCENT', pt.slippage_percent),
      charges:
        pt.charges_model === 'flat'
          ? { kind: 'flat', percent: pt.commission_percent }
          : { kind: 'zerodha' },
      product: pt.product,
    },
    random.fork('paper'),
  );
}

async function buildSystem(
  settings: Settings,
  instruments: readonly Instrument[],
  strategies: readonly StrategyConfig[],
  clock: Clock,
  random: Random,
  journalDir: string,
  log: pino.Logger,
) {
  const transport = new LmdbTransport(journalDir);
  const r = settings.risk;
  const system = await TradingSystem.open({
    clock,
    random,
    transport,
    instruments,
    strategies,
    brokers: settings.active_brokers.map((name) => ({
      name,
      adapter: paperBroker(settings, random),
      startingCash: Math.round(settings.paper_trading.starting_cash * 100),
      limits: {
        maxPositionPerInstrument: r.max_position_per_instrument,
        priceBandBps: bps('RISK__PRICE_BAND_PERCENT', r.price_band_percent),
        maxNotionalPerOrder: Math.round(r.max_notional_per_order * 100),
        minQuantity: r.min_quantity,
        maxQuantity: r.max_quantity,
      },
    })),
    budget: {
      maxRestarts: settings.supervisor.max_restarts,
      windowMs: settings.supervisor.window_seconds * 1000,
    },
    bridge: {
      batchRecords: settings.journal.batch_records,
      maxBacklog: settings.journal.max_backlog,
    },
    onJournalProblem: (m) => log.warn(m),
  });
  return { system, transport };
}

async function start(settings: Settings, log: pino.Logger): Promise<void> {
  const instruments = loadInstruments(settings.config_dir);
  const strategies = loadStrategies(settings.config_dir);
  const clock = new SystemClock();
  const seed = settings.feed.seed ?? entropySeed();
  const random = new SeededRandom(seed);
  const { system, transport } = await buildSystem(
    settings,
    instruments,
    strategies,
    clock,
    random,
    join(settings.data_dir, 'journal'),
    log,
  );
  for (const s of system.strategies())
    if (s.status === 'FAULTED')
      log.error({ strategy: s.id, error: s.error }, 'strategy not started');
  log.info({ seed, journalFrom: system.bridge.lastSeq + 1 }, 'journal opened');
  await runDaemon({ settings, instruments, system, transport, clock, random, log });
}

async function backtest(settings: Settings, argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  expectOnly(args, 'backtest', ['ticks', 'seed', 'data-dir', 'batch']);
  const ticks = intOption(args, 'ticks', undefined, 1, 1e10);
  const seed = intOption(args, 'seed', 1, 0, 4294967295);
  const batch = intOption(args, 'batch', 100, 1, 100_000);
  const given = stringOption(args, 'data-dir');
  const dir = given ?? mkdtempSync(join(tmpdir(), 'alpha-panda-backtest-'));
  const log = pino({ level: 'warn' }, pino.destination(2));
  try {
    const instruments = loadInstruments(settings.config_dir);
    const strategies = loadStrategies(settings.config_dir);
    let transport: LmdbTransport | undefined;
    const { result, system } = await runBacktest(
      { ticks, seed, batch, instruments, strategies },
      async (clock, random) => {
        const built = await buildSystem(
          settings,
          instruments,
          strategies,
          clock,
          random,
          join(dir, 'journal'),
          log,
        );
        transport = built.transport;
        return built.system;
      },
    );
    await system.close(transport!);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (given === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const command = argv[0] && !argv[0].startsWith('--') ? argv[0] : 'start';
  const rest = argv[0] === command ? argv.slice(1) : argv;
  let settings: Settings;
  try {
    settings = loadSettings(process.env);
  } catch (err) {
    process.stderr.write(`alpha-panda: ${(err as Error).message}\n`);
    return 2;
  }
  const log = pino({
    level: settings.log_level,
    redact: {
      paths: ['*.token', '*.secret', '*.password', '*.access_token', '*.api_secret'],
      censor: '[redacted]',
    },
  });
  try {
    switch (command) {
      case 'start':
        expectOnly(parseArgs(rest), 'start', []);
        await start(settings, log);
        return 0;
      case 'backtest':
        await backtest(settings, rest);
        return 0;
      default:
        process.stderr.write(
          `alpha-panda: unknown command ${JSON.stringify(command)}; commands: start, backtest\n`,
        );
        return 2;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`alpha-panda: ${err.message}\n`);
      return 2;
    }
    log.fatal({ err }, 'fatal error');
    return 1;
  }
}

process.exitCode = await main();
