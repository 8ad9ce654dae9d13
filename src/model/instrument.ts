/** Instruments: the tradable universe, loaded from `config/instruments.csv`. */
import type { InstrumentToken } from './ids.js';
import type { Paise, Quantity } from './money.js';

export interface Instrument {
  readonly token: InstrumentToken;
  readonly symbol: string;
  readonly name: string;
  readonly exchange: 'NSE' | 'BSE';
  /** Smallest price step, in paise (NSE equities: 5 paise). */
  readonly tickSize: Paise;
  readonly lotSize: Quantity;
  /** Reference price the mock feed starts from, in paise. */
  readonly refPrice: Paise;
  /** True for indices, which can be watched but not traded. */
  readonly isIndex: boolean;
}

const HEADER = [
  'instrument_token',
  'tradingsymbol',
  'name',
  'exchange',
  'tick_size',
  'lot_size',
  'ref_price',
  'segment',
];

/**
 * Parses the instruments CSV (columns as in HEADER; `#` comments and blank lines allowed).
 * Throws an error naming the line and the field that is wrong.
 */
export function parseInstrumentsCsv(text: string, source = 'instruments.csv'): Instrument[] {
  const out: Instrument[] = [];
  const seen = new Set<number>();
  const lines = text.split(/\r?\n/);
  let header: string[] | null = null;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    if (header === null) {
      header = cells;
      const missing = HEADER.filter((h) => !cells.includes(h));
      if (missing.length > 0) {
        throw new Error(
          `${source}: header is missing column(s) ${missing.join(', ')}; expected ${HEADER.join(',')}`,
        );
      }
      return;
    }
    const h = header;
    const get = (col: string): string => cells[h.indexOf(col)] ?? '';
    const where = `${source}:${i + 1}`;
    const token = Number(get('instrument_token'));
    if (!Number.isSafeInteger(token) || token <= 0)
      throw new Error(
        `${where}: instrument_token must be a positive integer, got "${get('instrument_token')}"`,
      );
    if (seen.has(token)) throw new Error(`${where}: instrument_token ${token} appears twice`);
    seen.add(token);
    const exchange = get('exchange');
    if (exchange !== 'NSE' && exchange !== 'BSE')
      throw new Error(`${where}: exchange must be NSE or BSE, got "${exchange}"`);
    const tick = rupeesToPaise(get('tick_size'), `${where}: tick_size`);
    const ref = rupeesToPaise(get('ref_price'), `${where}: ref_price`);
    const lot = Number(get('lot_size'));
    if (!Number.isSafeInteger(lot) || lot <= 0)
      throw new Error(`${where}: lot_size must be a positive integer, got "${get('lot_size')}"`);
    if (tick <= 0) throw new Error(`${where}: tick_size must be positive`);
    if (ref <= 0 || ref % tick !== 0)
      throw new Error(`${where}: ref_price must be a positive multiple of tick_size`);
    out.push({
      token,
      symbol: get('tradingsymbol'),
      name: get('name'),
      exchange,
      tickSize: tick as Paise,
      lotSize: lot as Quantity,
      refPrice: ref as Paise,
      isIndex: get('segment') === 'INDICES',
    });
  });
  if (out.length === 0) throw new Error(`${source}: no instruments found`);
  return out;
}

function rupeesToPaise(s: string, what: string): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new Error(`${what} must be rupees with at most 2 decimals, got "${s}"`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
