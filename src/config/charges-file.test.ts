import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZERODHA_RATES_FILE } from '../../test/helpers/charges.js';
import { configFile } from '../../test/helpers/fixtures.js';
import { ConfigError } from '../runtime/index.js';
import { loadZerodhaRates, parseZerodhaRatesYaml, zerodhaRatesPath } from './charges-file.js';

const YAML = configFile('charges/zerodha-equity.yaml');

/** The project's file with `from` replaced by `to` (which must occur once). */
function edited(from: string | RegExp, to: string): string {
  const out = YAML.replace(from, to);
  expect(out, `${String(from)} is not in the file`).not.toBe(YAML);
  return out;
}

/** The ConfigError's message for `text`; fails when it parses. */
function refusal(text: string): string {
  try {
    parseZerodhaRatesYaml(text, 'config/charges/zerodha-equity.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('parseZerodhaRatesYaml accepted the text');
}

describe('loadZerodhaRates on config/charges/zerodha-equity.yaml', () => {
  const rates = loadZerodhaRates(ZERODHA_RATES_FILE);

  it('finds the file under the config directory', () => {
    expect(zerodhaRatesPath('config')).toBe(join('config', 'charges', 'zerodha-equity.yaml'));
    expect(
      loadZerodhaRates(zerodhaRatesPath(join(import.meta.dirname, '..', '..', 'config'))),
    ).toEqual(rates);
  });

  it('reads every field, camelCased, as an integer, with its source', () => {
    expect(Object.keys(rates)).toEqual([
      'source',
      'CNC',
      'MIS',
      'nseTransactionPerCrore',
      'sebiPerCrore',
      'gstPercent',
      'dpChargePaise',
    ]);
    for (const p of [rates.CNC, rates.MIS])
      expect(Object.keys(p)).toEqual([
        'brokeragePerCrore',
        'brokerageCapPaise',
        'sttBuyPerCrore',
        'sttSellPerCrore',
        'stampDutyBuyPerCrore',
      ]);
    const { source, CNC, MIS, ...rest } = rates;
    for (const n of [...Object.values(CNC), ...Object.values(MIS), ...Object.values(rest)])
      expect(Number.isSafeInteger(n)).toBe(true);
    expect(source.page).toBe('https://zerodha.com/charges');
    expect(source.asOf).toBe('2026');
    expect(source.note).toMatch(/dp_charge_paise .* not re-verified/);
  });

  it('takes an unquoted year as the same as-of date', () => {
    expect(parseZerodhaRatesYaml(edited("as_of: '2026'", 'as_of: 2026'))).toEqual(rates);
  });
});

describe('parseZerodhaRatesYaml refuses', () => {
  it('an unknown field, naming the file and the nearest valid one', () => {
    expect(refusal(edited('  brokerage_cap_paise: 2000', '  brokerage_cap: 2000'))).toBe(
      'config/charges/zerodha-equity.yaml: MIS: unknown field "brokerage_cap"; did you mean "brokerage_cap_paise"?; MIS.brokerage_cap_paise: missing; expected an integer from 0 to 100000000 (paise)',
    );
    expect(refusal(edited('gst_percent: 18', 'gst_percnt: 18'))).toMatch(
      /^config\/charges\/zerodha-equity\.yaml: unknown field "gst_percnt"; did you mean "gst_percent"\?/,
    );
    expect(refusal(edited('  as_of:', '  asof:'))).toContain(
      'source: unknown field "asof"; did you mean "as_of"?',
    );
  });

  it('an unknown field near none, listing the valid ones', () => {
    expect(refusal(`${YAML}\nturnover_tax: 1\n`)).toContain(
      'unknown field "turnover_tax"; the fields are source, CNC, MIS, nse_transaction_per_crore, sebi_per_crore, gst_percent, dp_charge_paise',
    );
  });

  it('a fraction, a negative, a string or a rate above 100%, naming the field and the value', () => {
    expect(
      refusal(edited('nse_transaction_per_crore: 297', 'nse_transaction_per_crore: 29.7')),
    ).toBe(
      'config/charges/zerodha-equity.yaml: nse_transaction_per_crore: expected an integer from 0 to 10000000 (rupees per crore of turnover; 0.1% is 10000), received 29.7',
    );
    expect(refusal(edited('  stt_sell_per_crore: 2500', '  stt_sell_per_crore: -1'))).toContain(
      'MIS.stt_sell_per_crore: expected an integer from 0 to 10000000',
    );
    expect(refusal(edited('dp_charge_paise: 1534', "dp_charge_paise: '15.34'"))).toContain(
      'dp_charge_paise: expected an integer from 0 to 100000000 (paise), received "15.34"',
    );
    expect(refusal(edited('sebi_per_crore: 10', 'sebi_per_crore: 10000001'))).toContain(
      'sebi_per_crore: expected an integer from 0 to 10000000',
    );
    expect(refusal(edited('gst_percent: 18', 'gst_percent: 118'))).toContain(
      'gst_percent: expected an integer from 0 to 100 (percent), received 118',
    );
  });

  it('a missing field or section', () => {
    expect(refusal(edited(/\nsebi_per_crore: 10\n/, '\n'))).toBe(
      'config/charges/zerodha-equity.yaml: sebi_per_crore: missing; expected an integer from 0 to 10000000 (rupees per crore of turnover; 0.1% is 10000)',
    );
    expect(refusal(edited(/\nCNC:\n[^]*?\n\n/, '\nCNC: delivery\n\n'))).toContain(
      'CNC: expected a mapping of brokerage_per_crore, brokerage_cap_paise, stt_buy_per_crore, stt_sell_per_crore, stamp_duty_buy_per_crore',
    );
    expect(refusal(edited(/\n {2}note: [^]*?\n\n/, '\n\n'))).toContain(
      'source.note: missing; expected what is and is not verified',
    );
  });

  it('a file that is not a mapping or not YAML', () => {
    expect(refusal('')).toMatch(
      /^config\/charges\/zerodha-equity\.yaml: expected a mapping of source, CNC, MIS/,
    );
    expect(refusal('CNC: [')).toMatch(/^config\/charges\/zerodha-equity\.yaml: not valid YAML/);
  });

  it('a file it cannot read, naming it and how to fix it', () => {
    expect(() => loadZerodhaRates('/nonexistent/charges/zerodha-equity.yaml')).toThrow(
      /^cannot read the charges file \/nonexistent\/charges\/zerodha-equity\.yaml: .*set CONFIG_DIR to the folder holding charges\/zerodha-equity\.yaml, or PAPER_TRADING__CHARGES_MODEL=flat$/,
    );
  });
});
