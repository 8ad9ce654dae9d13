/** Zerodha's NSE equity charges as integers: what config/charges/zerodha-equity.yaml holds. */

/**
 * One product's rates. `*PerCrore` are rupees per crore (10^7 rupees) of turnover, so a rate r
 * takes r / 10^7 of the turnover (0.1% = 10,000); `*Paise` are fixed amounts in paise.
 */
export interface ZerodhaProductRates {
  readonly brokeragePerCrore: number;
  /** Brokerage per executed order is at most this, paise. */
  readonly brokerageCapPaise: number;
  readonly sttBuyPerCrore: number;
  readonly sttSellPerCrore: number;
  /** Stamp duty is charged on the buy only. */
  readonly stampDutyBuyPerCrore: number;
}

/** Where the rates come from, as the file states it. */
export interface ZerodhaRatesSource {
  readonly page: string;
  readonly section: string;
  readonly asOf: string;
  readonly note: string;
}

/**
 * Zerodha's charges for NSE equity, field for field the charges file (camelCase for its
 * snake_case). Journaled in a run's RunStarted, so a replay charges what the run charged.
 */
export interface ZerodhaRates {
  readonly source: ZerodhaRatesSource;
  /** Delivery. */
  readonly CNC: ZerodhaProductRates;
  /** Intraday. */
  readonly MIS: ZerodhaProductRates;
  /** NSE transaction charge, rupees per crore of turnover, buy and sell. */
  readonly nseTransactionPerCrore: number;
  /** SEBI turnover fee, rupees per crore of turnover, buy and sell. */
  readonly sebiPerCrore: number;
  /** GST on brokerage + transaction charge + SEBI fee, whole percent. */
  readonly gstPercent: number;
  /** DP charge of a delivery sell, once per scrip per day, paise including GST. */
  readonly dpChargePaise: number;
}
