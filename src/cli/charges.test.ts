import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadSettings } from '../config/index.js';
import { ConfigError } from '../runtime/index.js';
import { parseArgs } from './args.js';
import { charges, chargesRequest } from './charges.js';

const CONFIG_DIR = join(import.meta.dirname, '..', '..', 'config');

/** What `charges` prints for `argv` under the project's config and `env`. */
async function run(argv: string[], env: Record<string, string> = {}): Promise<string> {
  const out: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    const settings = loadSettings({ CONFIG_DIR, ...env });
    expect(await charges.run({ settings, log: pino({ level: 'silent' }) }, argv)).toBe(0);
  } finally {
    write.mockRestore();
  }
  return out.join('');
}

afterEach(() => vi.restoreAllMocks());

/** The ConfigError's message for `argv`; fails when the options are accepted. */
function refusal(argv: string[]): string {
  try {
    chargesRequest(parseArgs(argv));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('chargesRequest accepted the options');
}

const SELL = ['--side', 'SELL', '--product', 'CNC', '--qty', '100', '--price', '1000'];

describe('charges', () => {
  // ₹1,00,000 delivery sell at the rates of config/charges/zerodha-equity.yaml (worked by hand
  // in src/brokers/paper/charges.test.ts): STT 100.00 + transaction 2.97 + SEBI 0.10 + GST 0.55
  // + DP 15.34 = ₹118.96.
  it('prints every component in rupees and paise, with the rates it used', async () => {
    expect(await run(SELL)).toBe(
      [
        "SELL 100 CNC at ₹1000.00: turnover ₹100000.00; the scrip's first sell today (DP charged)",
        "rates: Zerodha's equity charges, https://zerodha.com/charges (Equity (NSE), delivery and intraday), as of 2026",
        'note: dp_charge_paise is the commonly quoted ₹15.34 incl. GST, not re-verified against the published page; the other rates are as published.',
        '',
        'component             rupees  paise',
        'brokerage               0.00      0',
        'STT                   100.00  10000',
        'exchange transaction    2.97    297',
        'SEBI                    0.10     10',
        'stamp duty              0.00      0',
        'GST                     0.55     55',
        'DP                     15.34   1534',
        'total                 118.96  11896',
        '',
      ].join('\n'),
    );
  });

  it('leaves DP out of a later sell, and follows the flat model when it is configured', async () => {
    const later = await run([...SELL, '--first-sell-today', 'false']);
    expect(later).toContain("not the scrip's first sell today (no DP)");
    expect(later).toMatch(/\nDP +0\.00 +0\ntotal +103\.62 +10362\n$/);
    const flat = await run(SELL, { PAPER_TRADING__CHARGES_MODEL: 'flat' });
    expect(flat).toContain('rates: flat, 0.1% of the turnover');
    expect(flat).toMatch(/\ntotal +100\.00 +10000\n$/);
  });

  it('refuses a missing or bad option, naming it and the valid values', () => {
    expect(refusal(SELL.slice(2))).toBe('--side is required (BUY or SELL)');
    expect(refusal(['--side', 'sell', ...SELL.slice(2)])).toBe(
      '--side: received "sell"; expected BUY or SELL',
    );
    expect(refusal([...SELL, '--product', 'NRML'])).toBe(
      '--product: received "NRML"; expected CNC or MIS',
    );
    expect(refusal([...SELL, '--qty', '0'])).toBe(
      '--qty: received "0"; expected an integer from 1 to 1000000000',
    );
    expect(refusal(SELL.slice(0, 6))).toBe(
      '--price is required (rupees from 0.01 to 10000000.00 with at most 2 decimals, e.g. 1000 or 2450.50)',
    );
    for (const price of ['10.005', '0', '-5', 'abc', '10000000.01'])
      expect(refusal([...SELL, '--price', price])).toBe(
        `--price: received "${price}"; expected rupees from 0.01 to 10000000.00 with at most 2 decimals, e.g. 1000 or 2450.50`,
      );
    expect(refusal([...SELL, '--first-sell-today', 'yes'])).toBe(
      '--first-sell-today: received "yes"; expected true or false',
    );
  });

  it('refuses an unknown option, naming the nearest', async () => {
    await expect(run([...SELL, '--quantity', '5'])).rejects.toThrow(
      /charges: unknown option --quantity.*its options are --side, --product, --qty, --price, --first-sell-today/,
    );
  });
});
