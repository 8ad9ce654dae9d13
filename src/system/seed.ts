/** Seeds the Postgres configuration store from the files under the config directory. */
import type { Logger } from 'pino';
import { loadInstruments, loadStrategies } from '../config/index.js';
import { configStore } from './compose.js';

export interface SeedOptions {
  readonly databaseUrl: string;
  /** Holds strategies.yaml and instruments.csv. */
  readonly configDir: string;
  readonly log: Logger;
}

/**
 * Migrates the database, then inserts or updates every strategy of `strategies.yaml` and every
 * instrument of `instruments.csv`. Rows already equal are not written, so a second run changes
 * nothing; rows absent from the files are kept. Resolves with the number of rows in the files.
 */
export async function runSeed(
  opts: SeedOptions,
): Promise<{ strategies: number; instruments: number }> {
  // Read the files first: a bad file should fail before anything touches the database.
  const strategies = loadStrategies(opts.configDir);
  const instruments = loadInstruments(opts.configDir);
  const store = await configStore(opts.databaseUrl);
  try {
    const { applied } = await store.migrate();
    if (applied.length > 0) opts.log.info({ applied }, 'migrations applied');
    const r = await store.seed({ strategies, instruments });
    opts.log.info(
      { strategies: r.strategies, instruments: r.instruments, changed: r.changed },
      'configuration seeded',
    );
    return { strategies: r.strategies, instruments: r.instruments };
  } finally {
    await store.close();
  }
}
