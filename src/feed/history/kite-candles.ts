/**
 * Kite's historical candles as CSV (`date,open,high,low,close,volume[,oi]`, rupees), the format
 * `data fetch` writes and Kite's own API answers as rows: to candles in paise on the
 * instrument's tick size, checked row by row.
 */
import { parseCsv, numberCell, tickPaise, type CsvTable } from './csv-table.js';
import { HistoryDataError, type Suggest } from './history-error.js';
import { parseDataTime } from './ist-time.js';

/** One candle; prices in paise. */
export interface Candle {
  /** Epoch ms of the candle's start. */
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly oi: number;
  /** 1-based line of the file it came from (for messages). */
  readonly line: number;
}

export const KITE_CANDLE_COLUMNS = ['date', 'open', 'high', 'low', 'close', 'volume'] as const;

/** True when the table's header is the candle format's (it has `date` and `open`). */
export function isCandleTable(t: CsvTable): boolean {
  return t.index('date') !== undefined || t.index('open') !== undefined;
}

/** The candles of a Kite CSV, in time order; every bad row is a HistoryDataError. */
export function parseKiteCandles(
  file: string,
  text: string,
  tickSize: number,
  suggest: Suggest,
): Candle[] {
  return candlesOf(parseCsv(file, text, suggest), tickSize);
}

export function candlesOf(t: CsvTable, tickSize: number): Candle[] {
  const [date, open, high, low, close, volume] = KITE_CANDLE_COLUMNS.map((c) => t.require(c));
  const oi = t.index('oi');
  const out: Candle[] = [];
  for (const row of t.rows) {
    const when = row.cells[date!]!;
    const ts = parseDataTime(when);
    if (ts === null)
      throw new HistoryDataError(
        t.file,
        row.line,
        `date ${JSON.stringify(when)} is not a time; write 2026-01-05T09:15:00+0530, 2026-01-05 09:15:00 (IST) or 2026-01-05`,
      );
    const o = tickPaise(numberCell(t, row, open!), tickSize);
    const h = tickPaise(numberCell(t, row, high!), tickSize);
    const l = tickPaise(numberCell(t, row, low!), tickSize);
    const c = tickPaise(numberCell(t, row, close!), tickSize);
    const v = numberCell(t, row, volume!);
    const oiValue = oi === undefined || row.cells[oi] === '' ? 0 : numberCell(t, row, oi);
    if (l <= 0) throw new HistoryDataError(t.file, row.line, `low ${l / 100} is not above 0`);
    if (h < l)
      throw new HistoryDataError(t.file, row.line, `high ${h / 100} is below low ${l / 100}`);
    for (const [name, p] of [
      ['open', o],
      ['close', c],
    ] as const)
      if (p < l || p > h)
        throw new HistoryDataError(
          t.file,
          row.line,
          `${name} ${p / 100} is outside the candle's low-high range ${l / 100}..${h / 100}`,
        );
    if (!Number.isSafeInteger(v) || v < 0)
      throw new HistoryDataError(t.file, row.line, `volume ${v} is not a whole number >= 0`);
    if (!Number.isSafeInteger(oiValue) || oiValue < 0)
      throw new HistoryDataError(t.file, row.line, `oi ${oiValue} is not a whole number >= 0`);
    const prev = out.at(-1);
    if (prev !== undefined && ts <= prev.ts)
      throw new HistoryDataError(
        t.file,
        row.line,
        `dates out of order: ${when} is not after line ${prev.line}'s; sort the file by date`,
      );
    out.push({ ts, open: o, high: h, low: l, close: c, volume: v, oi: oiValue, line: row.line });
  }
  return out;
}

/**
 * The candles' interval, ms: the smallest gap between consecutive candles (gaps across nights
 * and holidays are longer), at most a session (375 minutes); one candle alone: a session.
 */
export function inferInterval(candles: readonly Candle[]): number {
  let best = Infinity;
  for (let i = 1; i < candles.length; i++)
    best = Math.min(best, candles[i]!.ts - candles[i - 1]!.ts);
  if (best !== Infinity) return Math.min(best, SESSION_MS);
  return SESSION_MS;
}

/** NSE's regular session, 09:15 to 15:30 IST: the span a day candle's ticks are spread over. */
export const SESSION_MS = 375 * 60_000;
