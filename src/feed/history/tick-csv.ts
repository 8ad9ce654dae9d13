/**
 * The tick CSV format (docs/backtesting.md): `ts,token,last_price,last_quantity,volume,bid,ask,
 * bid_qty,ask_qty,oi`. `ts` is an ISO time with its offset (or IST without one) or epoch ms;
 * prices are rupees as Kite gives them; `volume` is the day's cumulative volume. Only `ts` and
 * `last_price` are required, and `token` when the file does not name its instrument; the rest
 * default to 0 (no bid/ask: depth one tick either side, as the OHLC path builds it).
 */
import {
  istDay,
  type Instrument,
  type InstrumentToken,
  type MarketTick,
} from '../../model/index.js';
import { numberCell, parseCsv, tickPaise, type CsvTable } from './csv-table.js';
import { HistoryDataError, type Suggest } from './history-error.js';
import { parseDataTime } from './ist-time.js';
import { depthAround } from './ohlc-path.js';

export const TICK_COLUMNS = [
  'ts',
  'token',
  'last_price',
  'last_quantity',
  'volume',
  'bid',
  'ask',
  'bid_qty',
  'ask_qty',
  'oi',
] as const;

/** True when the table's header is the tick format's (it has `last_price`). */
export function isTickTable(t: CsvTable): boolean {
  return t.index('last_price') !== undefined;
}

export function parseTickCsv(
  file: string,
  text: string,
  instrumentOf: (token: number, line: number) => Instrument,
  fileInstrument: Instrument | null,
  suggest: Suggest,
): MarketTick[] {
  return ticksOf(parseCsv(file, text, suggest), instrumentOf, fileInstrument);
}

interface Day {
  day: number;
  open: number;
  high: number;
  low: number;
  close: number;
  last: number;
}

/** The ticks of a tick table, in file order (which must be time order). */
export function ticksOf(
  t: CsvTable,
  instrumentOf: (token: number, line: number) => Instrument,
  fileInstrument: Instrument | null,
): MarketTick[] {
  const ts = t.require('ts');
  const last = t.require('last_price');
  const tokenCol = fileInstrument === null ? t.require('token') : t.index('token');
  const opt = (name: string) => t.index(name);
  // The optional columns, in TICK_COLUMNS' order after ts, token and last_price.
  const [lq, vol, bid, ask, bq, aq, oi] = TICK_COLUMNS.slice(3).map(opt);
  const days = new Map<number, Day>();
  const out: MarketTick[] = [];
  let prevTs = -Infinity;
  let prevLine = 0;
  for (const row of t.rows) {
    const when = parseDataTime(row.cells[ts]!, true);
    if (when === null)
      throw new HistoryDataError(
        t.file,
        row.line,
        `ts ${JSON.stringify(row.cells[ts])} is not a time; write 2026-01-05T09:15:00.250+05:30 or epoch ms`,
      );
    if (when < prevTs)
      throw new HistoryDataError(
        t.file,
        row.line,
        `ts out of order: before line ${prevLine}'s; sort the file by ts`,
      );
    prevTs = when;
    prevLine = row.line;
    const num = (col: number | undefined): number =>
      col === undefined || row.cells[col] === '' ? 0 : numberCell(t, row, col);
    let inst = fileInstrument;
    if (tokenCol !== undefined) {
      const token = numberCell(t, row, tokenCol);
      if (inst !== null && token !== (inst.token as number))
        throw new HistoryDataError(
          t.file,
          row.line,
          `token ${token} differs from the file's instrument ${inst.token} (${inst.symbol})`,
        );
      inst ??= instrumentOf(token, row.line);
    }
    const tick = inst!.tickSize as number;
    const price = tickPaise(numberCell(t, row, last), tick);
    if (price <= 0) throw new HistoryDataError(t.file, row.line, 'last_price is not above 0');
    const qty = num(lq);
    const d = istDay(when);
    let day = days.get(inst!.token);
    if (day === undefined || day.day !== d) {
      const close = day?.last ?? price;
      day = { day: d, open: price, high: price, low: price, close, last: price };
      days.set(inst!.token, day);
    }
    day.high = Math.max(day.high, price);
    day.low = Math.min(day.low, price);
    day.last = price;
    const bidP = bid === undefined ? 0 : tickPaise(num(bid), tick);
    const askP = ask === undefined ? 0 : tickPaise(num(ask), tick);
    const depth =
      bidP > 0 || askP > 0
        ? {
            bids: bidP > 0 ? [{ price: bidP, quantity: num(bq), orders: 1 }] : [],
            asks: askP > 0 ? [{ price: askP, quantity: num(aq), orders: 1 }] : [],
          }
        : depthAround(price, tick, qty);
    out.push({
      token: inst!.token as InstrumentToken,
      ts: when,
      lastPrice: price,
      lastQuantity: qty,
      averagePrice: price,
      volume: num(vol),
      buyQuantity: depth.bids.reduce((s, l) => s + l.quantity, 0),
      sellQuantity: depth.asks.reduce((s, l) => s + l.quantity, 0),
      open: day.open,
      high: day.high,
      low: day.low,
      close: day.close,
      oi: num(oi),
      bids: depth.bids,
      asks: depth.asks,
    } as unknown as MarketTick);
  }
  return out;
}
