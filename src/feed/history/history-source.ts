/**
 * A backtest's `--data`: a file (one instrument, or a tick file with a token column), a folder of
 * one file per instrument (`738561.csv`, `RELIANCE.csv`, `738561-minute.csv`), or a recorded
 * journal (a data folder holding `journal/`, or the journal folder itself). Opened as one stream
 * of ticks in time order across instruments.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { istMidnight, MARKET_TICKS, type Instrument, type MarketTick } from '../../model/index.js';
import type { LogTransport, Random } from '../../runtime/index.js';
import { parseCsv, type CsvTable } from './csv-table.js';
import { HistoryDataError, type Suggest } from './history-error.js';
import { candlesOf, inferInterval, isCandleTable, SESSION_MS } from './kite-candles.js';
import { DAY_CANDLE_MINUTE } from './ist-time.js';
import { mergeTicks } from './merge-ticks.js';
import { candleTicks } from './ohlc-path.js';
import { isTickTable, ticksOf } from './tick-csv.js';

/** Kite's candle intervals, with their length in ms (a day: the session it spreads over). */
export const KITE_INTERVALS: Readonly<Record<string, number>> = {
  minute: 60_000,
  '3minute': 180_000,
  '5minute': 300_000,
  '10minute': 600_000,
  '15minute': 900_000,
  '30minute': 1_800_000,
  '60minute': 3_600_000,
  day: 375 * 60_000,
};

export interface HistoryOptions {
  /** The `--data` path. */
  readonly data: string;
  /** Every instrument the run knows (CONFIG_DIR's). */
  readonly known: readonly Instrument[];
  /** `--instruments`: tokens or trading symbols to read (a single file: the one it holds). */
  readonly only?: readonly string[];
  /** Ticks with from <= ts < until, epoch ms. */
  readonly from?: number;
  readonly until?: number;
  /** The candles' interval, ms; absent: inferred from their dates (or the file name). */
  readonly intervalMs?: number;
  /** Draws the OHLC path's steps (forked per instrument and candle). */
  readonly random: Random;
  readonly suggest: Suggest;
  /** Opens the journal of a data folder to read (LMDB); needed only for journals. */
  readonly openJournal?: (dataDir: string) => Promise<LogTransport>;
}

export interface HistorySource {
  readonly kind: 'candles' | 'ticks' | 'journal';
  /** The instruments the data holds (after `only`), by token. */
  readonly instruments: readonly Instrument[];
  /** Every tick in (ts, token) order. */
  ticks(): AsyncIterable<MarketTick>;
  close(): Promise<void>;
}

const isJournalDir = (dir: string): boolean => existsSync(join(dir, 'data.mdb'));

/** Opens `--data`; every problem is a HistoryDataError or names the file. */
export async function openHistory(o: HistoryOptions): Promise<HistorySource> {
  if (!existsSync(o.data))
    throw new HistoryDataError(o.data, null, 'no such file or folder; pass --data FILE|DIR');
  if (statSync(o.data).isDirectory()) {
    if (isJournalDir(join(o.data, 'journal'))) return openJournalSource(o, o.data);
    if (isJournalDir(o.data) && basename(o.data) === 'journal')
      return openJournalSource(o, dirname(o.data));
    return folderSource(o);
  }
  return fileSource(o);
}

function resolver(o: HistoryOptions) {
  const byToken = new Map(o.known.map((i) => [i.token as number, i]));
  const bySymbol = new Map(o.known.map((i) => [i.symbol.toUpperCase(), i]));
  return (name: string, file: string, line: number | null): Instrument => {
    const found = /^\d+$/.test(name) ? byToken.get(Number(name)) : bySymbol.get(name.toUpperCase());
    if (found) return found;
    const near = o.suggest(name.toUpperCase(), [...bySymbol.keys()]);
    throw new HistoryDataError(
      file,
      line,
      `unknown instrument ${JSON.stringify(name)}${near === undefined ? '' : `; did you mean "${near}"?`} (CONFIG_DIR's instruments.csv lists the known ones)`,
    );
  };
}

/** `--instruments` as instruments (null: no filter). */
function onlyOf(o: HistoryOptions, resolve: ReturnType<typeof resolver>): Set<number> | null {
  if (o.only === undefined || o.only.length === 0) return null;
  return new Set(o.only.map((n) => resolve(n, '--instruments', null).token as number));
}

const inRange = (o: HistoryOptions) => (t: { ts: number }) =>
  (o.from === undefined || t.ts >= o.from) && (o.until === undefined || t.ts < o.until);

/** A file's name as `<token|symbol>[-<interval>].csv`. */
function nameOf(file: string): { name: string; interval?: number } {
  const stem = basename(file).replace(/\.csv$/i, '');
  const m = /^(.+)-([0-9]*minute|day)$/.exec(stem);
  if (m && KITE_INTERVALS[m[2]!] !== undefined)
    return { name: m[1]!, interval: KITE_INTERVALS[m[2]!]! };
  return { name: stem };
}

function streamOf(
  o: HistoryOptions,
  t: CsvTable,
  inst: Instrument | null,
  resolve: ReturnType<typeof resolver>,
  interval: number | undefined,
): { kind: 'candles' | 'ticks'; ticks: Map<number, Iterable<MarketTick>> } {
  const keep = inRange(o);
  if (isTickTable(t)) {
    const all = ticksOf(t, (tok, line) => resolve(String(tok), t.file, line), inst).filter(keep);
    const byToken = new Map<number, MarketTick[]>();
    for (const k of all) {
      const list = byToken.get(k.token) ?? [];
      list.push(k);
      byToken.set(k.token, list);
    }
    return { kind: 'ticks', ticks: byToken };
  }
  if (!isCandleTable(t))
    throw new HistoryDataError(
      t.file,
      1,
      `the header (${t.header.join(',')}) is neither Kite's candles (date,open,high,low,close,volume[,oi]) nor ticks (ts,token,last_price,...)`,
    );
  if (inst === null)
    throw new HistoryDataError(
      t.file,
      null,
      'a candle file holds one instrument: name it with --instruments TOKEN or name the file by token or symbol',
    );
  let candles = candlesOf(t, inst.tickSize);
  const ms = o.intervalMs ?? interval ?? inferInterval(candles);
  // Kite dates a day candle 00:00 IST; its trading starts at the session open.
  if (ms >= SESSION_MS)
    candles = candles.map((c) =>
      istMidnight(c.ts) === c.ts ? { ...c, ts: c.ts + DAY_CANDLE_MINUTE * 60_000 } : c,
    );
  const picked = candles.filter((c) => keep(c));
  const random = o.random.fork(`history:${inst.token}`);
  return {
    kind: 'candles',
    ticks: new Map([
      [inst.token as number, { [Symbol.iterator]: () => candleTicks(picked, inst, ms, random) }],
    ]),
  };
}

function csvSource(
  o: HistoryOptions,
  parts: { kind: 'candles' | 'ticks'; ticks: Map<number, Iterable<MarketTick>> }[],
  only: Set<number> | null,
): HistorySource {
  const streams = new Map<number, Iterable<MarketTick>>();
  for (const p of parts)
    for (const [tok, s] of p.ticks) if (!only || only.has(tok)) streams.set(tok, s);
  const tokens = [...streams.keys()].sort((a, b) => a - b);
  const byToken = new Map(o.known.map((i) => [i.token as number, i]));
  return {
    kind: parts.some((p) => p.kind === 'candles') ? 'candles' : 'ticks',
    instruments: tokens.map((t) => byToken.get(t)!),
    async *ticks() {
      yield* mergeTicks(tokens.map((t) => streams.get(t)!));
    },
    close: async () => {},
  };
}

function read(file: string, o: HistoryOptions): CsvTable {
  return parseCsv(file, readFileSync(file, 'utf8'), o.suggest);
}

function fileSource(o: HistoryOptions): HistorySource {
  const resolve = resolver(o);
  const t = read(o.data, o);
  const { name, interval } = nameOf(o.data);
  let inst: Instrument | null = null;
  if (o.only !== undefined && o.only.length > 0) {
    if (o.only.length > 1 && !isTickTable(t))
      throw new HistoryDataError(
        o.data,
        null,
        `a candle file holds one instrument; --instruments names ${o.only.length}`,
      );
    if (!isTickTable(t) || t.index('token') === undefined)
      inst = resolve(o.only[0]!, '--instruments', null);
  } else if (!isTickTable(t) || t.index('token') === undefined) {
    inst = resolve(name, o.data, null);
  }
  const only = isTickTable(t) && t.index('token') !== undefined ? onlyOf(o, resolve) : null;
  return csvSource(o, [streamOf(o, t, inst, resolve, interval)], only);
}

function folderSource(o: HistoryOptions): HistorySource {
  const resolve = resolver(o);
  const only = onlyOf(o, resolve);
  const files = readdirSync(o.data)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort();
  if (files.length === 0)
    throw new HistoryDataError(
      o.data,
      null,
      'no .csv files and no journal here; put one file per instrument (738561.csv or RELIANCE.csv)',
    );
  const parts = [];
  const seen = new Map<number, string>();
  for (const f of files) {
    const path = join(o.data, f);
    const { name, interval } = nameOf(path);
    const inst = resolve(name, path, null);
    if (only && !only.has(inst.token)) continue;
    const before = seen.get(inst.token);
    if (before !== undefined)
      throw new HistoryDataError(
        path,
        null,
        `${inst.symbol} (${inst.token}) also has ${before}; keep one file per instrument`,
      );
    seen.set(inst.token, f);
    parts.push(streamOf(o, read(path, o), inst, resolve, interval));
  }
  return csvSource(o, parts, only);
}

async function openJournalSource(o: HistoryOptions, dataDir: string): Promise<HistorySource> {
  if (o.openJournal === undefined)
    throw new HistoryDataError(dataDir, null, 'a recorded journal cannot be read here');
  const resolve = resolver(o);
  const only = onlyOf(o, resolve);
  const known = new Map(o.known.map((i) => [i.token as number, i]));
  const keep = inRange(o);
  const transport = await o.openJournal(dataDir);
  // One pass to learn which instruments the journal holds.
  const tokens = new Set<number>();
  for await (const r of transport.read(1, { topics: [MARKET_TICKS] })) {
    if (r.type !== 'MarketTick') continue;
    const t = r.data as MarketTick;
    if (!known.has(t.token) || (only && !only.has(t.token)) || !keep(t)) continue;
    tokens.add(t.token);
  }
  return {
    kind: 'journal',
    instruments: [...tokens].sort((a, b) => a - b).map((t) => known.get(t)!),
    async *ticks() {
      for await (const r of transport.read(1, { topics: [MARKET_TICKS] })) {
        if (r.type !== 'MarketTick') continue;
        const t = r.data as MarketTick;
        if (tokens.has(t.token) && keep(t)) yield t;
      }
    },
    close: () => transport.close(),
  };
}
