/**
 * The paper broker's charges as a run records them: settings (and CONFIG_DIR's charges file) →
 * the `charges` of a RunStarted's BrokerSpec → the model the paper broker computes with. The
 * `charges` command quotes a fill through the same steps.
 */
import {
  computeCharges,
  type ChargesBreakdown,
  type ChargesModel,
  type Product,
} from '../brokers/index.js';
import { loadZerodhaRates, zerodhaRatesPath, type Settings } from '../config/index.js';
import type { BrokerSpec, Paise, Side } from '../model/index.js';
import { JournalUnusable } from '../runtime/index.js';

/** A run's charges as its RunStarted records them. */
export type ChargesSpec = BrokerSpec['paper']['charges'];

/**
 * The charges of a run under `settings`: flat at PAPER_TRADING__COMMISSION_PERCENT, or zerodha
 * at the rates of CONFIG_DIR's charges file, read now so the run records the rates it trades
 * with. Throws ConfigError naming the file (and field) when it cannot be read or is invalid.
 */
export function chargesSpec(settings: Settings): ChargesSpec {
  const pt = settings.paper_trading;
  return pt.charges_model === 'flat'
    ? { kind: 'flat', percent: String(pt.commission_percent) }
    : { kind: 'zerodha', rates: loadZerodhaRates(zerodhaRatesPath(settings.config_dir)) };
}

/**
 * The model a run's charges spec describes. Throws JournalUnusable for a zerodha spec journaled
 * without its rates (by a build that kept them in code): replaying it at today's rates could
 * silently differ, so it takes the build that wrote it.
 */
export function chargesModel(spec: ChargesSpec): ChargesModel {
  if (spec.kind === 'flat') return { kind: 'flat', percent: Number(spec.percent) };
  if ((spec as { rates?: unknown }).rates === undefined)
    throw new JournalUnusable(
      'RUN_CHARGES_UNRECORDED',
      'the run was recorded with the zerodha charges model but without its rates (an earlier build kept them in code); replay it with the build that wrote it',
    );
  return { kind: 'zerodha', rates: spec.rates };
}

/** One fill to quote. */
export interface ChargesRequest {
  readonly side: Side;
  readonly product: Product;
  readonly quantity: number;
  /** Per share, paise. */
  readonly price: Paise;
  /** The fill is the first delivery sell of its scrip today (so it pays the DP charge). */
  readonly firstSellToday: boolean;
}

export interface ChargesQuote {
  /** The charges spec a run under the same settings would record. */
  readonly spec: ChargesSpec;
  readonly charges: ChargesBreakdown;
}

/**
 * The charges of one fill as a run under `settings` would compute them (same spec, same model,
 * same computeCharges), the DP charge included when `firstSellToday`. Throws ConfigError for an
 * unreadable or invalid charges file, RangeError for a negative or fractional quantity or price.
 */
export function quoteCharges(settings: Settings, fill: ChargesRequest): ChargesQuote {
  const spec = chargesSpec(settings);
  const charges = computeCharges(
    fill.side,
    fill.quantity,
    fill.price,
    fill.product,
    chargesModel(spec),
    { dpCharge: fill.firstSellToday },
  );
  return { spec, charges };
}
