/** Charges of one fill: Zerodha's NSE equity schedule at given rates or a flat percent, paise. */
import type { Paise, Quantity, Side, ZerodhaRates } from '../../model/index.js';
import { bigPaise, divRound, nonNegativeInt } from './div-round.js';

/** Zerodha product: CNC is delivery, MIS is intraday. */
export type Product = 'CNC' | 'MIS';

/** Zerodha's NSE equity rates, as config/charges/zerodha-equity.yaml holds them (see model). */
export type { ZerodhaRates, ZerodhaProductRates } from '../../model/index.js';

/**
 * How a fill is charged. `flat`: `percent` of the notional as one total (the original system's
 * model; it used 0.1), with at most 5 decimals so it converts exactly to a per-crore rate.
 * `zerodha`: Zerodha's NSE equity schedule at `rates` (loaded from the charges file).
 */
export type ChargesModel =
  | { readonly kind: 'flat'; readonly percent: number }
  | { readonly kind: 'zerodha'; readonly rates: ZerodhaRates };

/** The original system's flat commission: 0.1% of the notional. */
export const FLAT_CHARGES_ORIGINAL: ChargesModel = { kind: 'flat', percent: 0.1 };

/** A fill's charges, each in paise; `total` is the sum of the other seven. */
export interface ChargesBreakdown {
  readonly brokerage: Paise;
  /** Securities transaction tax. */
  readonly stt: Paise;
  /** Exchange transaction charge (Kite's `exchange_turnover_charge`). */
  readonly exchangeTurnover: Paise;
  /** SEBI turnover fee (Kite's `sebi_turnover_charge`). */
  readonly sebi: Paise;
  readonly stampDuty: Paise;
  readonly gst: Paise;
  /** Depository charge of a delivery sell, GST included (so not in `gst`). */
  readonly dp: Paise;
  readonly total: Paise;
}

/** Options of one computation. */
export interface ChargesOptions {
  /**
   * Charge the DP fee: the fill is the first delivery sell of its scrip today from the demat.
   * Only a CNC SELL under the zerodha model pays it; default false.
   */
  readonly dpCharge?: boolean;
}

/** Rates are rupees per crore (10^7 rupees) of turnover, so a rate r means r / 10^7. */
const PER_CRORE = 10_000_000n;

/**
 * Computes the charges of a fill of `qty` shares at `price` paise per share.
 * Each component is the exact rate × notional rounded half away from zero to the paisa; brokerage
 * is capped per executed order; GST is taken on the exact (unrounded) brokerage + transaction +
 * SEBI amounts, then rounded; DP is a fixed amount, added only with `opts.dpCharge` on a CNC
 * SELL; `total` is the sum of the rounded components, so the breakdown always adds up.
 * `product` matters only to the `zerodha` model. Throws RangeError for a negative or non-integer
 * qty, price or rate, or a flat percent that is negative or finer than 0.00001%.
 */
export function computeCharges(
  side: Side,
  qty: Quantity | number,
  price: Paise | number,
  product: Product,
  model: ChargesModel,
  opts: ChargesOptions = {},
): ChargesBreakdown {
  const notional = nonNegativeInt(qty, 'quantity') * nonNegativeInt(price, 'price (paise)');
  if (model.kind === 'flat') {
    const total = bigPaise(divRound(notional * flatRatePerCrore(model.percent), PER_CRORE));
    const zero = bigPaise(0n);
    return {
      brokerage: zero,
      stt: zero,
      exchangeTurnover: zero,
      sebi: zero,
      stampDuty: zero,
      gst: zero,
      dp: zero,
      total,
    };
  }
  const t = model.rates;
  const p = t[product];
  // Checked on every use (rates may come from a journal), named only when one is bad.
  const rate = (n: number, name: string, of = ''): bigint =>
    Number.isSafeInteger(n) && n >= 0 ? BigInt(n) : nonNegativeInt(n, `zerodha rate ${of}${name}`);
  const of = `${product}.`;
  // Numerators in paise × 10^-7; each component is numerator / PER_CRORE.
  const brokerageRaw = notional * rate(p.brokeragePerCrore, 'brokeragePerCrore', of);
  const brokerageCap = rate(p.brokerageCapPaise, 'brokerageCapPaise', of) * PER_CRORE;
  const brokerageN = brokerageRaw < brokerageCap ? brokerageRaw : brokerageCap;
  const sttN =
    side === 'BUY'
      ? notional * rate(p.sttBuyPerCrore, 'sttBuyPerCrore', of)
      : notional * rate(p.sttSellPerCrore, 'sttSellPerCrore', of);
  const exchangeN = notional * rate(t.nseTransactionPerCrore, 'nseTransactionPerCrore');
  const sebiN = notional * rate(t.sebiPerCrore, 'sebiPerCrore');
  const stampN =
    side === 'BUY' ? notional * rate(p.stampDutyBuyPerCrore, 'stampDutyBuyPerCrore', of) : 0n;
  const gstN = (brokerageN + exchangeN + sebiN) * rate(t.gstPercent, 'gstPercent'); // ÷ 100 below
  const dpDue = opts.dpCharge === true && product === 'CNC' && side === 'SELL';

  const brokerage = divRound(brokerageN, PER_CRORE);
  const stt = divRound(sttN, PER_CRORE);
  const exchangeTurnover = divRound(exchangeN, PER_CRORE);
  const sebi = divRound(sebiN, PER_CRORE);
  const stampDuty = divRound(stampN, PER_CRORE);
  const gst = divRound(gstN, PER_CRORE * 100n);
  const dp = dpDue ? rate(t.dpChargePaise, 'dpChargePaise') : 0n;
  return {
    brokerage: bigPaise(brokerage),
    stt: bigPaise(stt),
    exchangeTurnover: bigPaise(exchangeTurnover),
    sebi: bigPaise(sebi),
    stampDuty: bigPaise(stampDuty),
    gst: bigPaise(gst),
    dp: bigPaise(dp),
    total: bigPaise(brokerage + stt + exchangeTurnover + sebi + stampDuty + gst + dp),
  };
}

/** Converts a percent (0.1) to rupees per crore (10,000), exactly; throws when it cannot. */
function flatRatePerCrore(percent: number): bigint {
  const scaled = percent * 100_000;
  const rate = Math.round(scaled);
  if (!Number.isFinite(percent) || percent < 0 || Math.abs(scaled - rate) > 1e-6) {
    throw new RangeError(
      `flat charges percent must be a non-negative number with at most 5 decimals (e.g. 0.1 for 0.1%), received ${String(percent)}`,
    );
  }
  return BigInt(rate);
}
