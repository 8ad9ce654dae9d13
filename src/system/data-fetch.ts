/**
 * `data fetch`: Kite historical candles of one instrument downloaded through the Zerodha adapter
 * with the stored Kite session (DATA_DIR/zerodha-session.enc, ZERODHA__SESSION_KEY), at Kite's
 * historical rate and per-interval spans (config/market-rules.yaml), cached per chunk under
 * DATA_DIR/history/, and written as the Kite CSV that `backtest --data` reads.
 */
import { join } from 'node:path';
import { loadInstruments, loadMarketRules, nearest, type Settings } from '../config/index.js';
import {
  candlesCsv,
  FileSessionStore,
  KiteHistorical,
  sessionKey,
  writeAtomically,
  type HistoricalClock,
} from '../brokers/index.js';
import { ConfigError } from '../runtime/index.js';
import { dataBound } from './backtest-run.js';

export interface DataFetchOptions {
  /** A token or trading symbol of CONFIG_DIR's instruments. */
  readonly instrument: string;
  readonly interval: string;
  /** Days (IST; `until` included) or times with their offset. */
  readonly from: string;
  readonly until: string;
  /** A folder for <token>-<interval>.csv, or a file ending in .csv; default DATA_DIR/history. */
  readonly out?: string | undefined;
  readonly continuous?: boolean;
  readonly oi?: boolean;
  readonly clock: HistoricalClock;
  readonly onRequest?: (r: { at: number; from: string; to: string }) => void;
}

export interface DataFetchResult {
  readonly file: string;
  readonly token: number;
  readonly interval: string;
  readonly candles: number;
  /** Requests sent to Kite, and chunks read from the cache instead. */
  readonly requests: number;
  readonly cached: number;
}

export async function dataFetch(settings: Settings, o: DataFetchOptions): Promise<DataFetchResult> {
  const rules = loadMarketRules(settings.config_dir);
  const intervals = Object.keys(rules.historicalMaxDays);
  if (!intervals.includes(o.interval)) {
    const near = nearest(o.interval, intervals);
    throw new ConfigError(
      `--interval: received ${JSON.stringify(o.interval)}${near ? `; did you mean "${near}"?` : ''} (intervals: ${intervals.join(', ')})`,
    );
  }
  const instruments = loadInstruments(settings.config_dir);
  const inst = /^\d+$/.test(o.instrument)
    ? instruments.find((i) => i.token === Number(o.instrument))
    : instruments.find((i) => i.symbol.toUpperCase() === o.instrument.toUpperCase());
  if (inst === undefined) {
    const near = nearest(
      o.instrument.toUpperCase(),
      instruments.map((i) => i.symbol),
    );
    throw new ConfigError(
      `--instrument: ${JSON.stringify(o.instrument)} is not in CONFIG_DIR's instruments.csv${near ? `; did you mean "${near}"?` : ''}`,
    );
  }
  const from = dataBound(o.from, 'from', false)!;
  // `until` is inclusive: a day runs to its last second.
  const until =
    dataBound(o.until, 'until', true)! - (/^\d{4}-\d{2}-\d{2}$/.test(o.until) ? 1000 : 0);
  if (until < from) throw new ConfigError('--until is before --from');
  const z = settings.zerodha;
  if (z.api_key === undefined || z.session_key === undefined)
    throw new ConfigError(
      'data fetch needs ZERODHA__API_KEY and ZERODHA__SESSION_KEY (the stored Kite session); log in once with the daemon first',
    );
  const sessionFile = join(settings.data_dir, 'zerodha-session.enc');
  const session = new FileSessionStore(sessionFile, sessionKey(z.session_key)).load();
  if (session === null)
    throw new ConfigError(
      `data fetch: no Kite session at ${sessionFile}; log in with the daemon (node dist/main.js login) first`,
    );
  const client = new KiteHistorical({
    apiKey: z.api_key,
    accessToken: session.accessToken,
    root: z.api_url,
    timeoutMs: z.timeout_ms,
    requestsPerSecond: rules.historicalRequestsPerSecond,
    maxDays: rules.historicalMaxDays,
    clock: o.clock,
    cacheDir: join(settings.data_dir, 'history'),
    ...(o.onRequest ? { onRequest: o.onRequest } : {}),
  });
  const rows = await client.candles({
    token: inst.token,
    interval: o.interval,
    from,
    to: until,
    continuous: o.continuous ?? false,
    oi: o.oi ?? false,
  });
  const name = `${inst.token}-${o.interval}.csv`;
  const out = o.out ?? join(settings.data_dir, 'history');
  const file = /\.csv$/i.test(out) ? out : join(out, name);
  writeAtomically(file, candlesCsv(rows, o.oi ?? false));
  return {
    file,
    token: inst.token,
    interval: o.interval,
    candles: rows.length,
    requests: client.requests,
    cached: client.cached,
  };
}
