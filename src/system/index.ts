/**
 * The application: the trading system and its supervision tree, recovery, the replay engine, the
 * snapshotter, run specs, the daemon, and `compose.ts`, the one file that builds concrete parts.
 */
export * from './trading-system.js';
export * from './system-state.js';
export * from './strategy-config.js';
export * from './versions.js';
export * from './dead-letters.js';
export * from './recovery.js';
export * from './replayer.js';
export * from './replay.js';
export * from './snapshotter.js';
export * from './run-spec.js';
export * from './paper-charges.js';
export * from './run-config.js';
export * from './compose.js';
export * from './daemon.js';
export * from './daemon-view.js';
export * from './backtest.js';
export * from './backtest-run.js';
export * from './seed.js';
export * from './read-models.js';
export * from './strategy-watch.js';
export * from './strategy-control.js';
export * from './logger.js';
export * from './trading-events-log.js';
export * from './trading-service.js';
export * from './trading-commands.js';
export * from './market-timers.js';
export type { BrokerTradingStatus } from './tree-queries.js';
export * from './kite-capture.js';
export * from './zerodha.js';
export * from './notify/index.js';
export * from './metrics/index.js';
export * from './event-stream.js';
export * from './journal-status.js';
export * from './portfolio-changes.js';
export * from './journal-views.js';
export * from './inspector/index.js';
export * from './strategy-files/index.js';
export * from './report/index.js';
export * from './compare/index.js';
export { libraryReference } from '../strategies/index.js';
export * from './sweep/index.js';
export * from './data-fetch.js';
export { KITE_INTERVALS } from '../feed/index.js';
