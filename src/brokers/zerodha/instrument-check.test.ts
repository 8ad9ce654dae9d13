import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { paise, quantity, type Instrument, type InstrumentToken } from '../../model/index.js';
import { dumpOfDay, instrumentMismatches } from './instrument-check.js';
import { parseKiteInstruments } from './symbols.js';

const HEADER =
  'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange';
const row = (token: number, symbol: string, tick = '0.05', lot = 1) =>
  `${token},${token >> 8},${symbol},"${symbol}",1420.0,,0,${tick},${lot},EQ,NSE,NSE`;
const dump = (...rows: string[]) => parseKiteInstruments([HEADER, ...rows].join('\n'));

const stock = (token: number, symbol: string): Instrument => ({
  token: token as InstrumentToken,
  symbol,
  name: symbol,
  exchange: 'NSE',
  tickSize: paise(5),
  lotSize: quantity(1),
  refPrice: paise(142_000),
  isIndex: false,
});
const ours = [stock(738561, 'RELIANCE'), stock(2953217, 'TCS')];

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("our instruments against Kite's dump", () => {
  it('agree when tokens, symbols, tick and lot sizes are Kite’s', () => {
    expect(instrumentMismatches(ours, dump(row(738561, 'RELIANCE'), row(2953217, 'TCS')))).toEqual(
      [],
    );
  });

  it('name every difference: a token Kite maps elsewhere, a size, a missing token', () => {
    const wrong = instrumentMismatches(ours, dump(row(738561, 'RELIANCE', '0.10', 5)));
    expect(wrong).toEqual([
      'NSE:RELIANCE (token 738561) has tick size 5 paise, Kite 10',
      'NSE:RELIANCE (token 738561) has lot size 1, Kite 5',
      "NSE:TCS (token 2953217) is not in Kite's NSE instrument dump",
    ]);
    expect(instrumentMismatches(ours, dump(row(738561, 'RELIANCE'), row(2953217, 'INFY')))).toEqual(
      ['NSE:TCS (token 2953217) is NSE:INFY at Kite'],
    );
  });

  it('fetches the dump once per IST day and reads the cached one after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-dump-'));
    dirs.push(dir);
    let fetched = 0;
    const fetch = () => {
      fetched += 1;
      return Promise.resolve([HEADER, row(738561, 'RELIANCE')].join('\n'));
    };
    const a = await dumpOfDay(dir, 'NSE', '2026-01-05', fetch);
    const b = await dumpOfDay(dir, 'NSE', '2026-01-05', fetch);
    expect(b).toEqual(a);
    expect(fetched).toBe(1);
    expect(existsSync(join(dir, 'NSE-2026-01-05.csv'))).toBe(true);
    await dumpOfDay(dir, 'NSE', '2026-01-06', fetch);
    expect(fetched).toBe(2);
  });

  it('refuses a damaged dump without caching it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-dump-'));
    dirs.push(dir);
    await expect(
      dumpOfDay(dir, 'NSE', '2026-01-05', () => Promise.resolve('<html>maintenance</html>')),
    ).rejects.toThrow(/header lacks/);
    expect(existsSync(join(dir, 'NSE-2026-01-05.csv'))).toBe(false);
  });
});
