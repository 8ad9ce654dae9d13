/**
 * Strategy rows changed in Postgres (LISTEN/NOTIFY), applied to the running strategies, each as a
 * journaled input. A deleted row disables its strategy. Every (re)subscribe re-reads the table, so
 * a change made while the listener was disconnected is applied once it is back.
 */
import type { Logger } from 'pino';
import type { PgConfigStore } from '../config/index.js';
import type { StrategyControl } from './strategy-control.js';

/** Starts watching; resolves with the function that stops it. */
export function watchStrategyRows(
  control: StrategyControl,
  known: readonly string[],
  store: PgConfigStore,
  log: Logger,
): Promise<() => Promise<void>> {
  return store.watchStrategies(
    (change) => {
      const r = control.applyRow(change);
      if ('error' in r)
        log.warn({ strategy: change.id, error: r.error }, 'strategy change not applied');
      else if (r.seq === null && change.config === null && !known.includes(change.id))
        log.warn({ strategy: change.id }, 'strategy row deleted; it was not running');
      else if (r.seq !== null)
        log.info(
          {
            strategy: change.id,
            enabled: control.get(change.id)?.enabled,
            seq: r.seq,
            deleted: change.config === null,
          },
          'strategy reconfigured from Postgres',
        );
    },
    {
      onError: (err) => log.warn({ error: err.message }, 'strategy notification not applied'),
      catchUp: { known },
    },
  );
}
