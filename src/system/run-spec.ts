/**
 * A run's description, both ways: settings, instruments and strategies → `RunStarted` (journaled
 * as the run's first record), and `RunStarted` → the options that build its trading system. The
 * daemon and the backtest build their systems through it, so replay builds exactly the same one.
 */
import type { StrategyRegistry } from '../strategies/index.js';
import { MACHINE_VERSIONS } from './versions.js';
import type { TradingSystemOptions } from './trading-system.js';
import { type SystemState } from './system-state.js';
import {
  type StrategyConfig,
  strategyId,
  type BrokerSpec,
  type Instrument,
  type MarketSpec,
  type RunStarted,
  type StrategySpec,
} from '../model/index.js';
import {
  loadCalendar,
  loadMarketRules,
  loadSettings,
  marketFilePath,
  type MarketRules,
  type Settings,
} from '../config/index.js';
import { brokerSetups, type RemoteAdapters } from './compose.js';
import { chargesSpec } from './paper-charges.js';
import type { Clock, Random, LogTransport } from '../runtime/index.js';
import { ConfigError, InputClock } from '../runtime/index.js';
import { marketHoursOf } from './market-timers.js';

/** Converts a percent setting to whole basis points, refusing fractions of a basis point. */
export function bps(name: string, percent: number): number {
  const v = Math.round(percent * 100);
  if (Math.abs(v - percent * 100) > 1e-9)
    throw new ConfigError(`${name}: received ${percent}; use a multiple of 0.01 (one basis point)`);
  return v;
}

/**
 * `calendar` hours unless MARKET_HOURS says otherwise or only the mock feed and the paper broker
 * run (so a first run trades at any hour).
 */
export function marketHoursMode(settings: Settings): 'calendar' | 'always' {
  if (settings.market_hours !== undefined) return settings.market_hours;
  const simulatedOnly =
    settings.feed.source !== 'none' && settings.active_brokers.every((b) => b === 'paper');
  return simulatedOnly || settings.feed.source === 'none' ? 'always' : 'calendar';
}

/** The market of a run: its hours, the calendar they read (as loaded now), the daily marks. */
export function marketSpec(settings: Settings, rules: MarketRules): MarketSpec {
  const hours = marketHoursMode(settings);
  return {
    hours,
    calendar:
      hours === 'calendar' ? loadCalendar(marketFilePath(settings.config_dir, 'calendar')) : [],
    marks: { misEntryCutoff: rules.misEntryCutoffMinute, misSquareOff: rules.misSquareOffMinute },
    pnlIntervalMs: settings.portfolio.pnl_snapshot_seconds * 1000,
  };
}

/**
 * The RunStarted of a run of `strategies` over `instruments`. With `registry` (the run's strategy
 * types, STRATEGIES_DIR's among them) each strategy records the code it runs (`code`).
 */
export function runSpec(
  settings: Settings,
  instruments: readonly Instrument[],
  strategies: readonly StrategyConfig[],
  seed: number,
  registry?: StrategyRegistry,
): RunStarted {
  const r = settings.risk;
  const pt = settings.paper_trading;
  const rules = loadMarketRules(settings.config_dir);
  // Read once: every broker of the run records the same rates.
  const charges = chargesSpec(settings);
  const brokers: BrokerSpec[] = settings.active_brokers.map((name) => ({
    name,
    startingCash: Math.round(pt.starting_cash * 100),
    limits: {
      maxPositionPerInstrument: r.max_position_per_instrument,
      priceBandBps: bps('RISK__PRICE_BAND_PERCENT', r.price_band_percent),
      maxNotionalPerOrder: Math.round(r.max_notional_per_order * 100),
      minQuantity: r.min_quantity,
      maxQuantity: r.max_quantity,
      cashBufferBps: bps('RISK__CASH_BUFFER_PERCENT', r.cash_buffer_percent),
      defaultProduct: pt.product,
      marketProtectionBps: rules.marketProtectionBps,
      freezeQuantity: r.freeze_quantity,
      maxSlices: rules.maxSlices,
      maxOpenOrders: r.max_open_orders,
      maxDailyTrades: r.max_daily_trades,
      ordersPerSecond: rules.ordersPerSecond,
      ordersPerMinute: rules.ordersPerMinute,
      ordersPerDay: rules.ordersPerDay,
      allowedInstruments: r.allowed_instruments ?? null,
      misEntryCutoffMinute: rules.misEntryCutoffMinute,
      dailyLossLimitPerStrategy: Math.round(r.daily_loss_limit_per_strategy * 100),
      dailyLossLimitPerBroker: Math.round(r.daily_loss_limit_per_broker * 100),
      maxDrawdownPerStrategy: Math.round(r.max_drawdown_per_strategy * 100),
      lossLimitAction: r.loss_limit_action,
    },
    paper: {
      slippageBps: bps('PAPER_TRADING__SLIPPAGE_PERCENT', pt.slippage_percent),
      charges,
      product: pt.product,
      latencyMs: pt.latency_ms,
      latencyJitterMs: pt.latency_jitter_ms,
      maxModifications: rules.maxModifications,
      bracketProtectionBps: rules.marketProtectionBps,
    },
  }));
  return {
    type: 'RunStarted',
    seed,
    instruments,
    strategies: strategies.map((s): StrategySpec => {
      const code = registry?.code(s.type, s.params);
      return {
        id: s.id,
        type: s.type,
        params: s.params,
        instruments: s.instruments,
        brokers: s.brokers,
        enabled: s.enabled,
        ...(code !== undefined ? { code } : {}),
      };
    }),
    brokers,
    budget: {
      maxRestarts: settings.supervisor.max_restarts,
      windowMs: settings.supervisor.window_seconds * 1000,
    },
    market: marketSpec(settings, rules),
    machines: MACHINE_VERSIONS,
  };
}

/** The trading system of `run`: its strategies, and its brokers as compose.ts builds them. */
export function systemOptions(
  run: RunStarted,
  parts: {
    clock: Clock;
    random: Random;
    transport: LogTransport;
    bridge?: TradingSystemOptions['bridge'];
    onJournalProblem?: (message: string) => void;
    /** A snapshot's state to continue from. */
    restore?: SystemState;
    /** The strategy types, when not only the built-in ones. */
    registry?: StrategyRegistry;
    /** Live adapters of remote brokers; absent: they send nothing (replay, backtests). */
    remotes?: RemoteAdapters;
  },
): TradingSystemOptions {
  const inputClock = new InputClock();
  const brokers = brokerSetups(run, inputClock, parts.remotes);
  return {
    inputClock,
    hours: marketHoursOf(run.market),
    clock: parts.clock,
    random: parts.random,
    transport: parts.transport,
    instruments: run.instruments,
    strategies: run.strategies.map((s) => ({
      id: strategyId(s.id),
      type: s.type,
      params: { ...s.params },
      instruments: s.instruments as StrategyConfig['instruments'],
      brokers: s.brokers,
      enabled: s.enabled,
    })),
    brokers,
    ...(run.budget ? { budget: run.budget } : {}),
    ...(parts.bridge ? { bridge: parts.bridge } : {}),
    ...(parts.onJournalProblem ? { onJournalProblem: parts.onJournalProblem } : {}),
    ...(parts.restore ? { restore: parts.restore } : {}),
    ...(parts.registry ? { registry: parts.registry } : {}),
    run,
  };
}

/** A broker as the default settings set it up (tests and tools that build a system directly). */
export function defaultBrokerSpec(): BrokerSpec {
  return runSpec(loadSettings({}), [], [], 0).brokers[0]!;
}
