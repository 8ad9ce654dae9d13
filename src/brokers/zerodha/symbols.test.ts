import { describe, expect, it } from 'vitest';
import { configFile, kiteFixtureText } from '../../../test/helpers/fixtures.js';
import { parseInstrumentsCsv } from '../../model/index.js';
import { KiteDecodeError } from './decode.js';
import { instrumentOf, parseKiteInstruments } from './symbols.js';

describe("Kite's instrument dump", () => {
  it('reads every row of the recorded dumps, prices in paise', () => {
    const all = parseKiteInstruments(kiteFixtureText('instruments_all.csv'));
    expect(all).toHaveLength(99);
    expect(all.find((k) => k.tradingSymbol === 'BANKNIFTY18JAN23500CE')).toEqual({
      token: 12073986,
      exchangeToken: 47164,
      tradingSymbol: 'BANKNIFTY18JAN23500CE',
      name: '',
      lastPrice: 252_840,
      expiry: '2018-01-25',
      strike: 2_350_000,
      tickSize: 5,
      lotSize: 40,
      instrumentType: 'CE',
      segment: 'NFO-OPT',
      exchange: 'NFO',
    });
    expect(parseKiteInstruments(kiteFixtureText('instruments_nse.csv'))).toHaveLength(99);
  });

  it('makes instruments of equities only, agreeing with config/instruments.csv', () => {
    const dump = parseKiteInstruments(kiteFixtureText('instruments_nse.csv'));
    const ours = parseInstrumentsCsv(configFile('instruments.csv'));
    const adani = dump.find((k) => k.tradingSymbol === 'ADANIPORTS')!;
    expect(instrumentOf(adani)).toMatchObject({
      token: 3861249,
      exchange: 'NSE',
      tickSize: 5,
      lotSize: 1,
      isIndex: false,
    });
    const mine = ours.find((i) => i.symbol === 'ADANIPORTS')!;
    expect([mine.token, mine.tickSize, mine.lotSize]).toEqual([3861249, 5, 1]);
    const etf = dump.find((k) => k.tradingSymbol === 'MIDCAPIWIN-BL')!;
    expect(instrumentOf(etf)?.tickSize).toBe(1);
    const options = parseKiteInstruments(kiteFixtureText('instruments_all.csv')).filter(
      (k) => k.segment === 'NFO-OPT',
    );
    expect(options.length).toBeGreaterThan(0);
    for (const o of options) expect(instrumentOf(o)).toBeNull();
  });

  it('refuses a bad row, naming its line, column and value', () => {
    const text = kiteFixtureText('instruments_nse.csv').split('\n');
    const withBad = (line: string) => [text[0], text[1], line].join('\n');
    expect(() => parseKiteInstruments(withBad('x,1,A,B,0.0,,0.0,0.05,1,EQ,NSE,NSE'))).toThrow(
      KiteDecodeError,
    );
    expect(() => parseKiteInstruments(withBad('x,1,A,B,0.0,,0.0,0.05,1,EQ,NSE,NSE'))).toThrow(
      'instruments.csv:3: instrument_token must be an integer ≥ 1, got "x"',
    );
    expect(() => parseKiteInstruments(withBad('5,1,A,B,0.005,,0.0,0.05,1,EQ,NSE,NSE'))).toThrow(
      'last_price must be rupees with at most 2 decimals, got "0.005"',
    );
    expect(() =>
      parseKiteInstruments(withBad('5,1,A,B,0.0,2018-1-5,0.0,0.05,1,EQ,NSE,NSE')),
    ).toThrow('expiry must be YYYY-MM-DD or empty');
    expect(() => parseKiteInstruments(withBad('5,1,A,B,0.0,,0.0,0.05,1,EQ,NSE'))).toThrow(
      '11 fields, the header has 12',
    );
    expect(() => parseKiteInstruments('instrument_token,name\n1,x')).toThrow(
      /the header lacks exchange_token/,
    );
  });
});
