import { zerodhaCharges, zerodhaRates } from '../../../test/helpers/charges.js';
import { kiteFixture } from '../../../test/helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import { computeCharges, FLAT_CHARGES_ORIGINAL } from './charges.js';

/** Zerodha's schedule at the rates of config/charges/zerodha-equity.yaml. */
const ZERODHA = zerodhaCharges();

describe("computeCharges at Zerodha's published equity-delivery rates", () => {
  // The rates (zerodha.com/charges, equity, as config/charges/zerodha-equity.yaml holds them):
  //   brokerage 0 on delivery; STT 0.1% on buy and sell; NSE transaction charge 0.00297%;
  //   SEBI fee ₹10 per crore; stamp duty 0.015% on the buy; GST 18% on brokerage + transaction
  //   + SEBI; DP ₹15.34 incl. GST on the day's first sell of a scrip from the demat.
  // 100 shares at ₹1,000 = turnover ₹1,00,000 (10,000,000 paise).
  // BUY, by hand:
  //   brokerage    0                                   = ₹0.00
  //   STT          ₹1,00,000 × 0.1%                    = ₹100.00
  //   transaction  ₹1,00,000 × 0.00297%                = ₹2.97
  //   SEBI         ₹1,00,000 × ₹10 / ₹1,00,00,000      = ₹0.10
  //   stamp duty   ₹1,00,000 × 0.015%                  = ₹15.00
  //   GST          18% × (0 + 2.97 + 0.10) = ₹0.5526   → ₹0.55
  //   total        100.00 + 2.97 + 0.10 + 15.00 + 0.55 = ₹118.62
  it('charges ₹118.62 on a ₹1,00,000 delivery buy, and no DP on a buy', () => {
    const expected = {
      brokerage: 0,
      stt: 10_000,
      exchangeTurnover: 297,
      sebi: 10,
      stampDuty: 1_500,
      gst: 55,
      dp: 0,
      total: 11_862,
    };
    expect(computeCharges('BUY', 100, 100_000, 'CNC', ZERODHA)).toEqual(expected);
    expect(computeCharges('BUY', 100, 100_000, 'CNC', ZERODHA, { dpCharge: true })).toEqual(
      expected,
    );
  });

  // SELL of the same 100 shares at ₹1,000, the scrip's first sell today, by hand:
  //   STT ₹100.00, transaction ₹2.97, SEBI ₹0.10, no stamp duty, GST ₹0.55 (as on the buy),
  //   DP ₹15.34 (GST included, so outside the GST line)
  //   total 100.00 + 2.97 + 0.10 + 0.55 + 15.34 = ₹118.96
  it('charges ₹118.96 on its sell, DP included', () => {
    expect(computeCharges('SELL', 100, 100_000, 'CNC', ZERODHA, { dpCharge: true })).toEqual({
      brokerage: 0,
      stt: 10_000,
      exchangeTurnover: 297,
      sebi: 10,
      stampDuty: 0,
      gst: 55,
      dp: 1_534,
      total: 11_896,
    });
  });

  // A later sell of the scrip the same day pays no DP: ₹118.96 - ₹15.34 = ₹103.62.
  it('charges no DP on a sell that is not the first of the day', () => {
    const c = computeCharges('SELL', 100, 100_000, 'CNC', ZERODHA);
    expect(c.dp).toBe(0);
    expect(c.total).toBe(10_362);
    expect(computeCharges('SELL', 100, 100_000, 'CNC', ZERODHA, { dpCharge: false })).toEqual(c);
  });
});

describe('computeCharges, an intraday (MIS) round trip at the ₹20 brokerage cap', () => {
  // Rates: brokerage 0.03% or ₹20 per executed order, whichever is lower; STT 0.025% on the
  // sell; stamp duty 0.003% on the buy; transaction, SEBI and GST as for delivery; no DP.
  // 100 shares at ₹1,000 = ₹1,00,000; 0.03% = ₹30, so brokerage is ₹20 on each leg.
  // BUY:  brokerage 20.00 + STT 0 + transaction 2.97 + SEBI 0.10 + stamp 3.00
  //       + GST 18% × (20.00 + 2.97 + 0.10) = 4.1526 → 4.15;  total ₹30.22
  // SELL: brokerage 20.00 + STT 25.00 + transaction 2.97 + SEBI 0.10 + GST 4.15;  total ₹52.22
  // Round trip ₹82.44.
  it('caps brokerage on both legs and charges STT on the sell, stamp duty on the buy', () => {
    const buy = computeCharges('BUY', 100, 100_000, 'MIS', ZERODHA);
    const sell = computeCharges('SELL', 100, 100_000, 'MIS', ZERODHA, { dpCharge: true });
    expect(buy).toEqual({
      brokerage: 2_000,
      stt: 0,
      exchangeTurnover: 297,
      sebi: 10,
      stampDuty: 300,
      gst: 415,
      dp: 0,
      total: 3_022,
    });
    expect(sell).toEqual({
      brokerage: 2_000,
      stt: 2_500,
      exchangeTurnover: 297,
      sebi: 10,
      stampDuty: 0,
      gst: 415,
      dp: 0,
      total: 5_222,
    });
    expect(buy.total + sell.total).toBe(8_244);
  });
});

describe('computeCharges, zerodha CNC (delivery)', () => {
  // BUY 100 @ ₹1573.70: notional = 100 × 157,370 = 15,737,000 paise (₹1,57,370).
  //   brokerage 0
  //   STT 0.1%          = 15,737,000 × 0.001      = 15,737        → 15,737
  //   NSE 0.00297%      = 15,737,000 × 0.0000297  = 467.3889      → 467
  //   SEBI ₹10/crore    = 15,737,000 × 0.000001   = 15.737        → 16
  //   stamp 0.015% buy  = 15,737,000 × 0.00015    = 2,360.55      → 2,361
  //   GST 18% × (0 + 467.3889 + 15.737) = 86.9627 → 87 (on exact amounts)
  //   total = 15,737 + 467 + 16 + 2,361 + 87 = 18,668 paise (₹186.68)
  it('charges a delivery buy, stamp duty included', () => {
    expect(computeCharges('BUY', 100, 157_370, 'CNC', ZERODHA)).toEqual({
      brokerage: 0,
      stt: 15_737,
      exchangeTurnover: 467,
      sebi: 16,
      stampDuty: 2_361,
      gst: 87,
      dp: 0,
      total: 18_668,
    });
  });

  // SELL 100 @ ₹1573.70: the same but no stamp duty: 15,737 + 467 + 16 + 87 = 16,307 paise.
  it('charges a delivery sell without stamp duty', () => {
    expect(computeCharges('SELL', 100, 157_370, 'CNC', ZERODHA)).toEqual({
      brokerage: 0,
      stt: 15_737,
      exchangeTurnover: 467,
      sebi: 16,
      stampDuty: 0,
      gst: 87,
      dp: 0,
      total: 16_307,
    });
  });
});

describe('computeCharges, zerodha MIS (intraday)', () => {
  // BUY 100 @ ₹1573.70 MIS: brokerage min(₹20, 0.03% × 15,737,000 = 4,721.1) = 2,000;
  //   STT 0 on buy; NSE 467; SEBI 16; stamp 0.003% = 472.11 → 472;
  //   GST 18% × (2,000 + 467.3889 + 15.737) = 446.9627 → 447; total 2,000 + 467 + 16 + 472 + 447 = 3,402.
  it('caps brokerage at ₹20 and charges stamp duty on a buy', () => {
    expect(computeCharges('BUY', 100, 157_370, 'MIS', ZERODHA)).toEqual({
      brokerage: 2_000,
      stt: 0,
      exchangeTurnover: 467,
      sebi: 16,
      stampDuty: 472,
      gst: 447,
      dp: 0,
      total: 3_402,
    });
  });

  // SELL: STT 0.025% = 3,934.25 → 3,934; no stamp; total 2,000 + 3,934 + 467 + 16 + 447 = 6,864.
  it('charges STT on an intraday sell only', () => {
    const c = computeCharges('SELL', 100, 157_370, 'MIS', ZERODHA);
    expect(c.stt).toBe(3_934);
    expect(c.stampDuty).toBe(0);
    expect(c.total).toBe(6_864);
  });

  // BUY 10 @ ₹100: notional 100,000 paise; brokerage 0.03% = 30 (< ₹20 cap); NSE 2.97 → 3;
  // SEBI 0.1 → 0; stamp 3; GST 18% × 33.07 = 5.95 → 6; total 42.
  it('uses 0.03% brokerage below the cap', () => {
    const c = computeCharges('BUY', 10, 10_000, 'MIS', ZERODHA);
    expect(c).toMatchObject({ brokerage: 30, exchangeTurnover: 3, sebi: 0, stampDuty: 3, gst: 6 });
    expect(c.total).toBe(42);
  });
});

describe('computeCharges, flat', () => {
  it('charges the original 0.1% as a single total', () => {
    // 0.1% of 15,737,000 paise = 15,737 paise.
    expect(computeCharges('BUY', 100, 157_370, 'CNC', FLAT_CHARGES_ORIGINAL)).toEqual({
      brokerage: 0,
      stt: 0,
      exchangeTurnover: 0,
      sebi: 0,
      stampDuty: 0,
      gst: 0,
      dp: 0,
      total: 15_737,
    });
  });

  it('rounds half away from zero to the paisa and ignores side and product', () => {
    // 0.03% of 15,737,000 = 4,721.1 → 4,721; 0.05% of 1,001 = 0.5005 → 1; 0.05% of 999 = 0.4995 → 0.
    expect(computeCharges('SELL', 100, 157_370, 'MIS', { kind: 'flat', percent: 0.03 }).total).toBe(
      4_721,
    );
    expect(computeCharges('BUY', 1, 1_001, 'CNC', { kind: 'flat', percent: 0.05 }).total).toBe(1);
    expect(computeCharges('BUY', 1, 999, 'CNC', { kind: 'flat', percent: 0.05 }).total).toBe(0);
    // 0.05% of 1,000 = 0.5 exactly → 1 (half away from zero).
    expect(computeCharges('BUY', 1, 1_000, 'CNC', { kind: 'flat', percent: 0.05 }).total).toBe(1);
  });

  it('refuses a percent it cannot represent exactly, or a negative one', () => {
    expect(() => computeCharges('BUY', 1, 100, 'CNC', { kind: 'flat', percent: 0.123456 })).toThrow(
      /5 decimals/,
    );
    expect(() => computeCharges('BUY', 1, 100, 'CNC', { kind: 'flat', percent: -0.1 })).toThrow(
      RangeError,
    );
    expect(() =>
      computeCharges('BUY', 1, 100, 'CNC', { kind: 'flat', percent: Number.NaN }),
    ).toThrow(RangeError);
  });
});

describe('computeCharges, inputs and scale', () => {
  it('refuses fractional or negative quantities and prices', () => {
    expect(() => computeCharges('BUY', 1.5, 100, 'CNC', ZERODHA)).toThrow(/quantity/);
    expect(() => computeCharges('BUY', 1, -100, 'CNC', ZERODHA)).toThrow(/price/);
  });

  it('refuses a rate that is not a non-negative integer, naming it', () => {
    const rates = zerodhaRates();
    expect(() =>
      computeCharges('BUY', 1, 100, 'CNC', {
        kind: 'zerodha',
        rates: { ...rates, gstPercent: 18.5 },
      }),
    ).toThrow(/zerodha rate gstPercent must be a non-negative safe integer, received 18.5/);
    const mis = { ...rates.MIS, sttSellPerCrore: -1 };
    expect(() =>
      computeCharges('SELL', 1, 100, 'MIS', { kind: 'zerodha', rates: { ...rates, MIS: mis } }),
    ).toThrow(/MIS\.sttSellPerCrore/);
  });

  it('charges no DP under the flat model', () => {
    expect(
      computeCharges('SELL', 100, 100_000, 'CNC', FLAT_CHARGES_ORIGINAL, { dpCharge: true }),
    ).toMatchObject({ dp: 0, total: 10_000 });
  });

  it('stays exact on a ₹1,000 crore trade, where paise × rate exceeds 2^53', () => {
    // 1,000,000 × ₹10,000 = ₹1,000 crore = 10^12 paise; × the STT rate 10,000 = 10^16 > 2^53.
    // STT 0.1% = 10^9; NSE 297 × 10^12 / 10^7 = 29,700,000; SEBI 10 × 10^5 = 1,000,000.
    const c = computeCharges('SELL', 1_000_000, 1_000_000, 'CNC', ZERODHA);
    expect(c.stt).toBe(1_000_000_000);
    expect(c.exchangeTurnover).toBe(29_700_000);
    expect(c.sebi).toBe(1_000_000);
    // GST 18% × (29,700,000 + 1,000,000) = 5,526,000.
    expect(c.gst).toBe(5_526_000);
  });
});

describe("Kite's virtual contract note", () => {
  interface KiteCharges {
    transaction_tax: number;
    exchange_turnover_charge: number;
    sebi_turnover_charge: number;
    brokerage: number;
    stamp_duty: number;
    gst: { total: number };
    total: number;
  }
  const note = kiteFixture<{
    data: { tradingsymbol: string; quantity: number; price: number; charges: KiteCharges }[];
  }>('virtual_contract_note.json');
  const sbin = note.data.find((d) => d.tradingsymbol === 'SBIN');
  const toPaise = (rupees: number): number => Math.round(rupees * 100);

  it('agrees with the NSE CNC entry, component by component, after rounding to the paisa', () => {
    if (sbin === undefined) throw new Error('fixture lost its SBIN entry');
    const c = computeCharges('BUY', sbin.quantity, toPaise(sbin.price), 'CNC', ZERODHA);
    expect(c.brokerage).toBe(toPaise(sbin.charges.brokerage));
    expect(c.stt).toBe(toPaise(sbin.charges.transaction_tax)); // 56 paise
    expect(c.exchangeTurnover).toBe(toPaise(sbin.charges.exchange_turnover_charge)); // 2 paise
    expect(c.sebi).toBe(toPaise(sbin.charges.sebi_turnover_charge)); // 0 paise
    expect(c.gst).toBe(toPaise(sbin.charges.gst.total)); // 0 paise
    // Kite's sample shows stamp duty 0 on a delivery buy; the published rate is 0.015%:
    // 56,000 × 0.00015 = 8.4 → 8 paise, so stamp duty and the total differ from the sample.
    expect(c.stampDuty).toBe(8);
  });
});
