/**
 * Strategy rows changed in Postgres (LISTEN/NOTIFY), applied to the running strategies, each as a
 * journaled input. A deleted row disables its strategy.
 */
import type { Logger } from 'pino';
import type { PgConfigStore, StrategyChange } from '../config/index.js';
import type { StrategyConfig } from '../model/index.js';
import type { TradingSystem } from './trading-system.js';

/** Starts watching; resolves with the function that stops it. */
export function watchStrategyRows(
  system: TradingSystem,
  strategies: readonly StrategyConfig[],
  store: PgConfigStore,
  log: Logger,
): Promise<() => Promise<void>> {
  const apply = (change: StrategyChange) => {
    const was = strategies.find((c) => c.id === change.id);
    const cfg = change.config ?? (was ? { ...was, enabled: false } : null);
    if (!cfg) {
      log.warn({ strategy: change.id }, 'strategy row deleted; it was not running');
      return;
    }
    const r = system.configureStrategy(cfg, 'config:postgres');
    if (r.ok)
      log.info(
        { strategy: cfg.id, enabled: cfg.enabled, seq: r.seq, deleted: change.config === null },
        'strategy reconfigured from Postgres',
      );
    else log.warn({ strategy: cfg.id, error: r.error }, 'strategy change not applied');
  };
  return store.watchStrategies(apply, {
    onError: (err) => log.warn({ error: err.message }, 'strategy notification not applied'),
  });
}
