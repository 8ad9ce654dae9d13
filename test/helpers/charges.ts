/**
 * Zerodha's equity rates as the project's config/charges/zerodha-equity.yaml holds them, read
 * through the real loader: tests never keep a second copy of the numbers.
 */
import { join } from 'node:path';
import type { ChargesModel } from '../../src/brokers/index.js';
import { loadZerodhaRates } from '../../src/config/index.js';
import type { ZerodhaRates } from '../../src/model/index.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The project's charges file. */
export const ZERODHA_RATES_FILE = join(ROOT, 'config', 'charges', 'zerodha-equity.yaml');

/** The rates of the project's charges file. */
export function zerodhaRates(): ZerodhaRates {
  return loadZerodhaRates(ZERODHA_RATES_FILE);
}

/** The zerodha charges model at the project's rates. */
export function zerodhaCharges(): ChargesModel {
  return { kind: 'zerodha', rates: zerodhaRates() };
}
