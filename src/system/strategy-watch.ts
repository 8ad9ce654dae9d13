/**
 * Strategy rows changed in Postgres (LISTEN/NOTIFY), applied to the running strategies, each as a
 * journaled input. A deleted row disables its strategy. Every (re)subscribe re-reads the table, so
 * a change made while the listener was disconnected is applied once it is back.
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
  // What the daemon last applied per strategy: the rows it started with, then each change. A row
  // delivered again unchanged (by a catch-up, or a notification that raced one) is not re-applied.
  const applied = new Map(strategies.map((c) => [c.id as string, c]));
  const faulted = (id: string) =>
    system.strategies().some((s) => s.id === id && s.status === 'FAULTED');
  const apply = (change: StrategyChange) => {
    const was = applied.get(change.id);
    const cfg: StrategyConfig | null = change.config ?? (was ? { ...was, enabled: false } : null);
    if (!cfg) {
      log.warn({ strategy: change.id }, 'strategy row deleted; it was not running');
      return;
    }
    // The exception: a notification for a FAULTED strategy revives it even when nothing changed
    // (a hand-written NOTIFY); a catch-up never does.
    if (was && sameConfig(was, cfg) && (change.catchUp || !faulted(cfg.id))) return;
    const r = system.configureStrategy(cfg, 'config:postgres');
    if (r.ok) {
      applied.set(cfg.id, cfg);
      log.info(
        { strategy: cfg.id, enabled: cfg.enabled, seq: r.seq, deleted: change.config === null },
        'strategy reconfigured from Postgres',
      );
    } else log.warn({ strategy: cfg.id, error: r.error }, 'strategy change not applied');
  };
  return store.watchStrategies(apply, {
    onError: (err) => log.warn({ error: err.message }, 'strategy notification not applied'),
    catchUp: { known: [...applied.keys()] },
  });
}

/** Whether two configurations are the same (parameters compared as JSON, key order aside). */
function sameConfig(a: StrategyConfig, b: StrategyConfig): boolean {
  return canonical(a) === canonical(b);
}

function canonical(c: StrategyConfig): string {
  const { id, type, enabled, brokers, instruments, params } = c;
  return JSON.stringify([id, type, enabled, brokers, instruments, sortKeys(params)]);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sortKeys(o[k])]),
  );
}
