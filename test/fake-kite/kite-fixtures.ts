/**
 * Zerodha's recorded payloads (../shared/fixtures/kite/) as the templates of every answer the
 * fake gives: an answer is a template's copy with values set, never a field the recordings lack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKiteInstruments, type KiteInstrument } from '../../src/brokers/index.js';
import { loadInstruments } from '../../src/config/index.js';

/** The folder of the recorded payloads. */
export const KITE_FIXTURES = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'fixtures',
  'kite',
);

export type Json = Record<string, unknown>;

function file(name: string): string {
  return readFileSync(join(KITE_FIXTURES, name), 'utf8');
}

function data(name: string): unknown {
  return (JSON.parse(file(name)) as { data: unknown }).data;
}

function first(name: string): Json {
  const d = data(name);
  const row = Array.isArray(d) ? (d[0] as Json | undefined) : undefined;
  if (row === undefined) throw new Error(`${name}: expected a non-empty data array`);
  return row;
}

/** Copies of the recorded templates (each call gives a fresh deep copy). */
export const TEMPLATES = {
  order: (): Json => structuredClone(ORDER),
  trade: (): Json => structuredClone(TRADE),
  position: (): Json => structuredClone(POSITION),
  holding: (): Json => structuredClone(HOLDING),
  session: (): Json => structuredClone(SESSION),
  profile: (): Json => structuredClone(PROFILE),
  postback: (): Json => structuredClone(POSTBACK),
};

const ORDER = first('orders.json');
const TRADE = first('trades.json');
const POSITION = (data('positions.json') as { net: Json[] }).net[0]!;
const HOLDING = first('holdings.json');
const SESSION = data('generate_session.json') as Json;
const PROFILE = data('profile.json') as Json;
const POSTBACK = JSON.parse(file('postback.json')) as Json;

/** The user every answer names (profile.json's). */
export const USER_ID = PROFILE['user_id'] as string;

/** `GET /instruments` and `/instruments/:exchange` bodies, as recorded. */
export const INSTRUMENTS_CSV = {
  all: file('instruments_all.csv'),
  nse: file('instruments_nse.csv'),
};

/**
 * Our own instruments (config/instruments.csv: RELIANCE, TCS, ...) as rows of Kite's instrument
 * dump, so the daemon's default instruments and the broker contract's trade on the fake too.
 */
function ourInstrumentRows(): string {
  const header =
    'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange';
  const rows = loadInstruments(join(import.meta.dirname, '..', '..', 'config')).map((i) =>
    [
      i.token,
      Math.floor(i.token / 256),
      i.symbol,
      `"${i.name}"`,
      (i.refPrice / 100).toFixed(2),
      '',
      0,
      (i.tickSize / 100).toFixed(2),
      i.lotSize,
      'EQ',
      i.isIndex ? 'INDICES' : i.exchange,
      i.exchange,
    ].join(','),
  );
  return [header, ...rows].join('\n');
}

/** The NSE dump the fake serves: instruments_nse.csv, then ours. */
export const NSE_DUMP = `${INSTRUMENTS_CSV.nse.trimEnd()}\n${ourInstrumentRows().split('\n').slice(1).join('\n')}\n`;

/** The instruments orders may name: instruments_nse.csv and ours, parsed by our own parser. */
export const INSTRUMENTS: readonly KiteInstrument[] = parseKiteInstruments(NSE_DUMP, 'NSE dump');
