/** Charges of one paper fill: Zerodha's NSE equity schedule or a flat percent, in integer paise. */
import type { Paise, Quantity, Side } from '../../model/index.js';
import { bigPaise, divRound, nonNegativeInt } from './div-round.js';

/** Zerodha product: CNC is delivery, MIS is intraday. */
export type Product = 'CNC' | 'MIS';

/**
 * How a fill is charged. `flat`: `percent` of the notional as one total (the original system's
 * model; it used 0.1), with at most 5 decimals so it converts exactly to a per-crore rate.
 * `zerodha`: the NSE equity schedule in ZERODHA_EQUITY_CHARGES.
 */
export type ChargesModel =
  { readonly kind: 'flat'; readonly percent: number } | { readonly kind: 'zerodha' };

/** The original system's flat commission: 0.1% of the notional. */
export const FLAT_CHARGES_ORIGINAL: ChargesModel = { kind: 'flat', percent: 0.1 };

/** A fill's charges, each in paise; `total` is the sum of the other six. */
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
  readonly total: Paise;
}

/** Rates below are rupees per crore (10^7 rupees) of turnover, so a rate r means r / 10^7. */
const PER_CRORE = 10_000_000n;

/**
 * Zerodha's charges for NSE equity, from Zerodha's published charges page
 * (https://zerodha.com/charges, "Equity" tab). Rates are integers in rupees per crore of
 * turnover (0.1% = 10,000; 0.00297% = 297; ₹10 per crore = 10) so the math stays in integers.
 * - CNC (delivery): no brokerage; STT 0.1% on buy and sell; stamp duty 0.015% on buy.
 * - MIS (intraday): brokerage 0.03% capped at ₹20 per executed order; STT 0.025% on sell;
 *   stamp duty 0.003% on buy.
 * - Both: NSE transaction charge 0.00297%; SEBI ₹10 per crore; GST 18% on brokerage +
 *   transaction charge + SEBI fee.
 */
export const ZERODHA_EQUITY_CHARGES = {
  CNC: { brokerage: 0, sttBuy: 10_000, sttSell: 10_000, stampBuy: 1_500 },
  MIS: { brokerage: 3_000, sttBuy: 0, sttSell: 2_500, stampBuy: 300 },
  /** Brokerage cap per executed order, in paise (₹20). */
  brokerageCapPaise: 2_000,
  nseTransaction: 297,
  sebi: 10,
  gstPercent: 18,
} as const;

/**
 * Computes the charges of a fill of `qty` shares at `price` paise per share.
 * Each component is the exact rate × notional rounded half away from zero to the paisa; GST is
 * taken on the exact (unrounded) brokerage + transaction + SEBI amounts, then rounded; `total`
 * is the sum of the rounded components, so the breakdown always adds up. `product` matters only
 * to the `zerodha` model. Throws RangeError for a negative or non-integer qty or price, or a flat
 * percent that is negative or finer than 0.00001%.
 */
export function computeCharges(
  side: Side,
  qty: Quantity | number,
  price: Paise | number,
  product: Product,
  model: ChargesModel,
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
      total,
    };
  }
  const t = ZERODHA_EQUITY_CHARGES;
  const p = t[product];
  // Numerators in paise × 10^-7; each component is numerator / PER_CRORE.
  const brokerageRaw = notional * BigInt(p.brokerage);
  const brokerageCap = BigInt(t.brokerageCapPaise) * PER_CRORE;
  const brokerageN = brokerageRaw < brokerageCap ? brokerageRaw : brokerageCap;
  const sttN = notional * BigInt(side === 'BUY' ? p.sttBuy : p.sttSell);
  const exchangeN = notional * BigInt(t.nseTransaction);
  const sebiN = notional * BigInt(t.sebi);
  const stampN = side === 'BUY' ? notional * BigInt(p.stampBuy) : 0n;
  const gstN = (brokerageN + exchangeN + sebiN) * BigInt(t.gstPercent); // ÷ 100 below

  const brokerage = divRound(brokerageN, PER_CRORE);
  const stt = divRound(sttN, PER_CRORE);
  const exchangeTurnover = divRound(exchangeN, PER_CRORE);
  const sebi = divRound(sebiN, PER_CRORE);
  const stampDuty = divRound(stampN, PER_CRORE);
  const gst = divRound(gstN, PER_CRORE * 100n);
  return {
    brokerage: bigPaise(brokerage),
    stt: bigPaise(stt),
    exchangeTurnover: bigPaise(exchangeTurnover),
    sebi: bigPaise(sebi),
    stampDuty: bigPaise(stampDuty),
    gst: bigPaise(gst),
    total: bigPaise(brokerage + stt + exchangeTurnover + sebi + stampDuty + gst),
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
