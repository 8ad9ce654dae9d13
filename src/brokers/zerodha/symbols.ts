/**
 * Kite's instrument dump (`GET /instruments`, a CSV refreshed daily): every row typed and checked
 * where it enters, prices in paise, and the equities and indices among them as our Instruments.
 * Columns: instrument_token, exchange_token, tradingsymbol, name, last_price, expiry, strike,
 * tick_size, lot_size, instrument_type, segment, exchange.
 */
import type { Instrument, InstrumentToken, Paise, Quantity } from '../../model/index.js';
import { KiteDecodeError } from './decode.js';

export interface KiteInstrument {
  readonly token: InstrumentToken;
  readonly exchangeToken: number;
  readonly tradingSymbol: string;
  readonly name: string;
  /** Paise (0 when the dump has none). */
  readonly lastPrice: number;
  /** YYYY-MM-DD for derivatives, else null. */
  readonly expiry: string | null;
  /** Paise (0 for non-options). */
  readonly strike: number;
  /** Paise. */
  readonly tickSize: number;
  readonly lotSize: number;
  /** EQ, CE, PE, FUT, ... */
  readonly instrumentType: string;
  /** NSE, BSE, NFO-OPT, INDICES, ... */
  readonly segment: string;
  readonly exchange: string;
}

const COLUMNS = [
  'instrument_token',
  'exchange_token',
  'tradingsymbol',
  'name',
  'last_price',
  'expiry',
  'strike',
  'tick_size',
  'lot_size',
  'instrument_type',
  'segment',
  'exchange',
] as const;

/** Parses the dump; throws KiteDecodeError naming the line, the column and the value. */
export function parseKiteInstruments(csv: string, source = 'instruments.csv'): KiteInstrument[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split(',').map((c) => c.trim()) ?? [];
  const missing = COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new KiteDecodeError(`${source}: the header lacks ${missing.join(', ')}`);
  const col = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  const out: KiteInstrument[] = [];
  for (let i = 1; i < lines.length; i++) {
    // Kite quotes no field and no name holds a comma in the dump; a row of another width is bad.
    const cells = lines[i]!.split(',');
    const where = `${source}:${i + 1}`;
    if (cells.length !== header.length)
      throw new KiteDecodeError(
        `${where}: ${cells.length} fields, the header has ${header.length}`,
      );
    const get = (c: (typeof COLUMNS)[number]) => cells[col[c]]!.trim();
    const int = (c: (typeof COLUMNS)[number], min: number) => {
      const v = Number(get(c));
      if (!Number.isSafeInteger(v) || v < min)
        throw new KiteDecodeError(`${where}: ${c} must be an integer ≥ ${min}, got "${get(c)}"`);
      return v;
    };
    const paise = (c: (typeof COLUMNS)[number]) => {
      const m = /^(\d+)(?:\.(\d{1,2})0*)?$/.exec(get(c));
      if (!m)
        throw new KiteDecodeError(
          `${where}: ${c} must be rupees with at most 2 decimals, got "${get(c)}"`,
        );
      return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
    };
    const expiry = get('expiry');
    if (expiry !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(expiry))
      throw new KiteDecodeError(`${where}: expiry must be YYYY-MM-DD or empty, got "${expiry}"`);
    const tickSize = paise('tick_size');
    if (tickSize <= 0) throw new KiteDecodeError(`${where}: tick_size must be positive`);
    out.push({
      token: int('instrument_token', 1),
      exchangeToken: int('exchange_token', 0),
      tradingSymbol: get('tradingsymbol'),
      name: get('name'),
      lastPrice: paise('last_price'),
      expiry: expiry === '' ? null : expiry,
      strike: paise('strike'),
      tickSize,
      lotSize: int('lot_size', 1),
      instrumentType: get('instrument_type'),
      segment: get('segment'),
      exchange: get('exchange'),
    });
  }
  return out;
}

/**
 * The instrument as this runtime trades it: NSE and BSE equities, and indices (watched, not
 * traded); null for anything else (derivatives, currencies, commodities).
 */
export function instrumentOf(k: KiteInstrument): Instrument | null {
  const index = k.segment === 'INDICES';
  const equity = k.instrumentType === 'EQ' && (k.segment === 'NSE' || k.segment === 'BSE');
  if (!index && !equity) return null;
  if (k.exchange !== 'NSE' && k.exchange !== 'BSE') return null;
  return {
    token: k.token,
    symbol: k.tradingSymbol,
    name: k.name,
    exchange: k.exchange,
    tickSize: k.tickSize as Paise,
    lotSize: k.lotSize as Quantity,
    refPrice: k.lastPrice as Paise,
    isIndex: index,
  };
}
