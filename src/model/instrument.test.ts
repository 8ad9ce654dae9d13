import { configFile } from '../../test/helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import { parseInstrumentsCsv } from './instrument.js';

const CSV = configFile('instruments.csv');
const HEADER = 'instrument_token,tradingsymbol,name,exchange,tick_size,lot_size,ref_price,segment';
const RELIANCE = '738561,RELIANCE,RELIANCE INDUSTRIES,NSE,0.05,1,1420.00,NSE';

/** A CSV whose line 1 is a comment, line 2 the header, line 3 RELIANCE and line 4 `bad`. */
const withLine4 = (bad: string) => `# test\n${HEADER}\n${RELIANCE}\n${bad}\n`;

describe('parseInstrumentsCsv on config/instruments.csv', () => {
  const all = parseInstrumentsCsv(CSV);

  it('reads the 20 instruments of the original, in file order', () => {
    expect(all).toHaveLength(20);
    expect(new Set(all.map((i) => i.token)).size).toBe(20);
    expect(all.slice(0, 3).map((i) => [i.token, i.symbol])).toEqual([
      [256265, 'NIFTY 50'],
      [260105, 'NIFTY BANK'],
      [738561, 'RELIANCE'],
    ]);
  });

  it('converts rupees to paise and marks indices', () => {
    const reliance = all.find((i) => i.token === 738561)!;
    expect(reliance).toEqual({
      token: 738561,
      symbol: 'RELIANCE',
      name: 'RELIANCE INDUSTRIES',
      exchange: 'NSE',
      tickSize: 5,
      lotSize: 1,
      refPrice: 142_000,
      isIndex: false,
    });
    expect(all.filter((i) => i.isIndex).map((i) => i.token)).toEqual([256265, 260105]);
    for (const i of all) {
      expect(Number.isSafeInteger(i.refPrice) && Number.isSafeInteger(i.tickSize)).toBe(true);
      expect(i.refPrice % i.tickSize).toBe(0);
    }
  });
});

describe('parseInstrumentsCsv errors', () => {
  it('accepts columns in any order and CRLF line ends', () => {
    const text =
      'segment,ref_price,lot_size,tick_size,exchange,name,tradingsymbol,instrument_token\r\nNSE,1.5,10,0.05,BSE,X LTD,X,42\r\n';
    expect(parseInstrumentsCsv(text)).toEqual([
      {
        token: 42,
        symbol: 'X',
        name: 'X LTD',
        exchange: 'BSE',
        tickSize: 5,
        lotSize: 10,
        refPrice: 150,
        isIndex: false,
      },
    ]);
  });

  it.each([
    ['abc,X,X,NSE,0.05,1,10.00,NSE', 'instrument_token', '"abc"'],
    ['-5,X,X,NSE,0.05,1,10.00,NSE', 'instrument_token', '"-5"'],
    ['738561,X,X,NSE,0.05,1,10.00,NSE', 'instrument_token 738561 appears twice', ''],
    ['11,X,X,NYSE,0.05,1,10.00,NSE', 'exchange', '"NYSE"'],
    ['11,X,X,NSE,0.055,1,10.00,NSE', 'tick_size', '"0.055"'],
    ['11,X,X,NSE,0.00,1,10.00,NSE', 'tick_size', 'positive'],
    ['11,X,X,NSE,0.05,0,10.00,NSE', 'lot_size', '"0"'],
    ['11,X,X,NSE,0.05,1.5,10.00,NSE', 'lot_size', '"1.5"'],
    ['11,X,X,NSE,0.05,1,ten,NSE', 'ref_price', '"ten"'],
    ['11,X,X,NSE,0.05,1,10.02,NSE', 'ref_price', 'multiple of tick_size'],
    ['11,X,X', 'exchange', '""'],
  ])('names line 4 and the field for %j', (bad, field, received) => {
    expect(() => parseInstrumentsCsv(withLine4(bad))).toThrow(`instruments.csv:4: ${field}`);
    if (received) expect(() => parseInstrumentsCsv(withLine4(bad))).toThrow(received);
  });

  it('counts comment and blank lines in the line number, and uses the source name', () => {
    const text = `${HEADER}\n\n# gap\n${RELIANCE}\n\n12,X,X,NSE,0.05,1,oops,NSE\n`;
    expect(() => parseInstrumentsCsv(text, 'config/instruments.csv')).toThrow(
      'config/instruments.csv:6: ref_price must be rupees with at most 2 decimals, got "oops"',
    );
  });

  it('names the missing header columns', () => {
    expect(() => parseInstrumentsCsv('instrument_token,tradingsymbol,name\n1,X,X\n')).toThrow(
      'instruments.csv: header is missing column(s) exchange, tick_size, lot_size, ref_price, segment',
    );
  });

  it('refuses a file with no instruments', () => {
    expect(() => parseInstrumentsCsv(`# nothing\n${HEADER}\n`)).toThrow(
      'instruments.csv: no instruments found',
    );
  });
});
