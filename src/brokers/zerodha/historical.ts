/**
 * Kite Connect's historical candles (GET /instruments/historical/:token/:interval, answered as
 * `{status, data: {candles: [[time, open, high, low, close, volume, oi?], ...]}}`): a long range
 * split into chunks of the interval's day limit, requests spaced by a limiter on an injected
 * clock, each finished chunk cached on disk (written whole, then renamed) so a re-run asks
 * again only for what it lacks. Failures are KiteErrors, as for every other Kite call.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IST_OFFSET_MS } from '../../model/index.js';
import { KiteError } from './errors.js';

/** One candle as Kite answers it: time (`2017-12-15T09:15:00+0530`), OHLC in rupees, volume, oi. */
export type KiteCandleRow = readonly [string, number, number, number, number, number, number?];

/** The limiter's time: `sleep` resolves after `ms` of this clock. */
export interface HistoricalClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Spaces calls at least 1000 / perSecond ms apart on `clock` (rounded up to a whole ms). */
export class RateLimiter {
  #next = -Infinity;
  constructor(
    private readonly perSecond: number,
    private readonly clock: HistoricalClock,
  ) {
    if (!(perSecond > 0)) throw new RangeError(`perSecond must be above 0, received ${perSecond}`);
  }

  /** Resolves when a call may start; returns the clock's time then. */
  async acquire(): Promise<number> {
    const now = this.clock.now();
    if (now < this.#next) await this.clock.sleep(this.#next - now);
    const at = Math.max(this.clock.now(), this.#next);
    this.#next = at + Math.ceil(1000 / this.perSecond);
    return at;
  }
}

const DAY_MS = 86_400_000;

/** `t` as Kite's query takes it: `2026-01-05 09:15:00`, IST. */
export function kiteQueryTime(t: number): string {
  const s = new Date(t + IST_OFFSET_MS).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}

/** from..to (epoch ms, both included) in chunks of at most `maxDays` days, in order. */
export function chunkRange(
  from: number,
  to: number,
  maxDays: number,
): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (let f = from; f <= to; f += maxDays * DAY_MS)
    out.push({ from: f, to: Math.min(to, f + maxDays * DAY_MS - 1000) });
  return out;
}

export interface HistoricalRequest {
  readonly token: number;
  /** Kite's interval name: minute, 3minute, ..., day. */
  readonly interval: string;
  /** Epoch ms, both included. */
  readonly from: number;
  readonly to: number;
  readonly continuous?: boolean;
  readonly oi?: boolean;
}

export interface KiteHistoricalOptions {
  readonly apiKey: string;
  readonly accessToken: string;
  /** e.g. https://api.kite.trade, or a fake server's http://127.0.0.1:port. */
  readonly root: string;
  readonly timeoutMs: number;
  readonly requestsPerSecond: number;
  /** Days one request may span, by interval (config/market-rules.yaml `historical.max_days`). */
  readonly maxDays: Readonly<Record<string, number>>;
  readonly clock: HistoricalClock;
  /** Where chunks are cached: <cacheDir>/<token>/<interval>/<from>_<to>.json. */
  readonly cacheDir: string;
  /** Sees each request as it is sent (its time on `clock` and its range). */
  readonly onRequest?: (r: { at: number; from: string; to: string }) => void;
  /**
   * Further attempts at a chunk refused with 429 (another program shares the account's 3/s), a
   * 5xx or a network failure, after 1 s, 2 s, 4 s... on `clock`. Default 4.
   */
  readonly retries?: number;
}

/** Whether a failed request may succeed if asked again later. */
const transient = (e: KiteError): boolean =>
  e.status === null || e.status === 429 || e.status >= 500;

const stamp = (t: number): string => kiteQueryTime(t).replace(/[-:]/g, '').replace(' ', 'T');

export class KiteHistorical {
  readonly #o: KiteHistoricalOptions;
  readonly #limiter: RateLimiter;
  /** Requests sent and chunks read from the cache, so far. */
  requests = 0;
  cached = 0;

  constructor(o: KiteHistoricalOptions) {
    this.#o = o;
    this.#limiter = new RateLimiter(o.requestsPerSecond, o.clock);
  }

  /** The chunks' cache file. */
  cachePath(r: HistoricalRequest, chunk: { from: number; to: number }): string {
    const flags = `${r.continuous ? '-continuous' : ''}${r.oi ? '-oi' : ''}`;
    return join(
      this.#o.cacheDir,
      String(r.token),
      `${r.interval}${flags}`,
      `${stamp(chunk.from)}_${stamp(chunk.to)}.json`,
    );
  }

  /** Every candle of the range, in time order (chunks from the cache where present). */
  async candles(r: HistoricalRequest): Promise<KiteCandleRow[]> {
    const maxDays = this.#o.maxDays[r.interval];
    if (maxDays === undefined)
      throw new RangeError(
        `interval ${JSON.stringify(r.interval)} is not one of ${Object.keys(this.#o.maxDays).join(', ')}`,
      );
    if (!(r.to >= r.from)) throw new RangeError('the range ends before it starts');
    const out: KiteCandleRow[] = [];
    for (const chunk of chunkRange(r.from, r.to, maxDays)) {
      const path = this.cachePath(r, chunk);
      if (existsSync(path)) {
        this.cached++;
        out.push(...(JSON.parse(readFileSync(path, 'utf8')) as KiteCandleRow[]));
        continue;
      }
      const rows = await this.#fetch(r, chunk);
      // A chunk reaching into the present is not final yet: fetched again next time.
      if (chunk.to < this.#o.clock.now()) writeAtomically(path, JSON.stringify(rows));
      out.push(...rows);
    }
    return out;
  }

  /** One chunk, asked again after a transient failure until the retries are spent. */
  async #fetch(
    r: HistoricalRequest,
    chunk: { from: number; to: number },
  ): Promise<KiteCandleRow[]> {
    const retries = this.#o.retries ?? 4;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#fetchOnce(r, chunk);
      } catch (err) {
        if (!(err instanceof KiteError) || !transient(err) || attempt >= retries) throw err;
        await this.#o.clock.sleep(1000 * 2 ** attempt);
      }
    }
  }

  async #fetchOnce(
    r: HistoricalRequest,
    chunk: { from: number; to: number },
  ): Promise<KiteCandleRow[]> {
    const operation = `GET /instruments/historical/${r.token}/${r.interval}`;
    const query = new URLSearchParams({
      from: kiteQueryTime(chunk.from),
      to: kiteQueryTime(chunk.to),
      continuous: r.continuous ? '1' : '0',
      oi: r.oi ? '1' : '0',
    });
    const at = await this.#limiter.acquire();
    this.requests++;
    this.#o.onRequest?.({ at, from: query.get('from')!, to: query.get('to')! });
    let res: Response;
    try {
      res = await fetch(
        `${this.#o.root}/instruments/historical/${r.token}/${r.interval}?${query}`,
        {
          headers: {
            'X-Kite-Version': '3',
            Authorization: `token ${this.#o.apiKey}:${this.#o.accessToken}`,
          },
          signal: AbortSignal.timeout(this.#o.timeoutMs),
        },
      );
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new KiteError(
        { status: null, errorType: 'NetworkException', message: String(err), networkCode: code },
        operation,
        { cause: err },
      );
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const b = (body ?? {}) as {
      status?: string;
      error_type?: string;
      message?: string;
      data?: { candles?: unknown };
    };
    if (!res.ok || b.status !== 'success') {
      throw new KiteError(
        {
          status: res.status,
          errorType: b.error_type ?? 'NetworkException',
          message: b.message ?? text.slice(0, 120),
        },
        operation,
      );
    }
    const candles = b.data?.candles;
    if (!Array.isArray(candles) || !candles.every(isCandleRow))
      throw new KiteError(
        {
          status: res.status,
          errorType: 'DataException',
          message: 'data.candles is not a list of [time, open, high, low, close, volume(, oi)]',
        },
        operation,
      );
    return candles;
  }
}

function isCandleRow(x: unknown): x is KiteCandleRow {
  return (
    Array.isArray(x) &&
    (x.length === 6 || x.length === 7) &&
    typeof x[0] === 'string' &&
    x.slice(1).every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

/** Writes `text` to a temporary name beside `path`, then renames it over `path`. */
export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Candles as Kite's historical CSV (`date,open,high,low,close,volume[,oi]`), one row each. */
export function candlesCsv(rows: readonly KiteCandleRow[], oi: boolean): string {
  const header = oi ? 'date,open,high,low,close,volume,oi' : 'date,open,high,low,close,volume';
  const lines = rows.map((r) => (oi ? [...r.slice(0, 6), r[6] ?? 0] : r.slice(0, 6)).join(','));
  return `${[header, ...lines].join('\n')}\n`;
}
