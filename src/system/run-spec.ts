/**
 * A run's description, both ways: settings, instruments and strategies → `RunStarted` (journaled
 * as the run's first record), and `RunStarted` → the options that build its trading system. The
 * daemon and the backtest build their systems through it, so replay builds exactly the same one.
 */
import { MACHINE_VERSIONS } from './versions.js';
import type { TradingSystemOptions } from './trading-system.js';
import { type SystemState } from './system-state.js';
import {
  type StrategyConfig,
  strategyId,
  type BrokerSpec,
  type Instrument,
  type RunStarted,
  type StrategySpec,
} from '../model/index.js';
import type { Settings } from '../config/index.js';
import { brokerSetups } from './compose.js';
import { chargesSpec } from './paper-charges.js';
import type { Clock, Random, LogTransport } from '../runtime/index.js';
import { ConfigError } from '../runtime/index.js';

/** Converts a percent setting to whole basis points, refusing fractions of a basis point. */
export function bps(name: string, percent: number): number {
  const v = Math.round(percent * 100);
  if (Math.abs(v - percent * 100) > 1e-9)
    throw new ConfigError(`${name}: received ${percent}; use a multiple of 0.01 (one basis point)`);
  return v;
}

export function runSpec(
  settings: Settings,
  instruments: readonly Instrument[],
  strategies: readonly StrategyConfig[],
  seed: number,
): RunStarted {
  const r = settings.risk;
  const pt = settings.paper_trading;
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
    },
    paper: {
      slippageBps: bps('PAPER_TRADING__SLIPPAGE_PERCENT', pt.slippage_percent),
      charges,
      product: pt.product,
    },
  }));
  return {
    type: 'RunStarted',
    seed,
    instruments,
    strategies: strategies.map((s): StrategySpec => ({
      id: s.id,
      type: s.type,
      params: s.params,
      instruments: s.instruments,
      brokers: s.brokers,
      enabled: s.enabled,
    })),
    brokers,
    budget: {
      maxRestarts: settings.supervisor.max_restarts,
      windowMs: settings.supervisor.window_seconds * 1000,
    },
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
  },
): TradingSystemOptions {
  const brokers = brokerSetups(run, parts.random);
  return {
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
    run,
  };
}
