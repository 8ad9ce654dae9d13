/**
 * The backtest report as JSON: every figure of one run of a journal. Money is integer paise,
 * times are epoch ms, ratios are plain numbers; a portfolio is one (broker, strategy).
 */
import type { BrokerName } from '../../model/index.js';

/** One round trip: the part of an entry fill that a later fill closed (FIFO). */
export interface Trade {
  readonly broker: BrokerName;
  readonly strategyId: string;
  readonly token: number;
  readonly symbol: string;
  readonly side: 'LONG' | 'SHORT';
  /** Shares. */
  readonly quantity: number;
  readonly entryTs: number;
  /** Paise per share. */
  readonly entryPrice: number;
  readonly exitTs: number;
  /** Paise per share. */
  readonly exitPrice: number;
  /** (exit − entry) × quantity for a long, (entry − exit) × quantity for a short, paise. */
  readonly grossPnl: number;
  /** The entry's and the exit's fees prorated to this quantity, paise. */
  readonly charges: number;
  /** grossPnl − charges, paise. */
  readonly netPnl: number;
}

/** A position still open when the run ended, marked at the instrument's last price. */
export interface OpenPosition {
  readonly broker: BrokerName;
  readonly strategyId: string;
  readonly token: number;
  readonly symbol: string;
  readonly side: 'LONG' | 'SHORT';
  readonly quantity: number;
  /** Entry time of the oldest open lot. */
  readonly entryTs: number;
  /** Average entry price of the open lots, paise (rounded). */
  readonly averageEntryPrice: number;
  readonly lastPrice: number;
  /** Open quantity marked at lastPrice less its entry cost, paise. */
  readonly unrealizedPnl: number;
  /** The entry fees of the open quantity, paise. */
  readonly charges: number;
}

export interface PortfolioReport {
  readonly broker: BrokerName;
  readonly strategyId: string;
  /** The broker's starting cash, paise (each portfolio of the broker gets all of it). */
  readonly startingCash: number;
  /** Cash plus open positions marked at the last prices, paise. */
  readonly endingEquity: number;
  /** (endingEquity − startingCash) / startingCash. */
  readonly return: number;
  /** Gross PnL of the closed trades, paise. */
  readonly realized: number;
  /** Gross PnL of the open positions at the last prices, paise. */
  readonly unrealized: number;
  /** Every fee the portfolio paid, open positions' included, paise. */
  readonly charges: number;
  readonly trades: number;
  readonly fills: number;
}

export interface InstrumentReport {
  readonly token: number;
  readonly symbol: string;
  readonly trades: number;
  /** Net PnL of its closed trades, paise. */
  readonly netPnl: number;
  /** Every fee paid on it, open positions' included, paise. */
  readonly charges: number;
}

export interface EquityPoint {
  readonly ts: number;
  /** Paise. */
  readonly equity: number;
}

export interface DrawdownPoint {
  readonly ts: number;
  /** Fraction below the running peak, 0 at a new peak. */
  readonly drawdown: number;
}

export interface MaxDrawdown {
  /** Largest fall from a running peak as a fraction of that peak; 0 when equity never fell. */
  readonly fraction: number;
  /** That fall, paise. */
  readonly paise: number;
  readonly peakTs: number | null;
  readonly troughTs: number | null;
}

/** A fill on a price chart: what it did to the position. */
export interface PriceMarker {
  readonly ts: number;
  readonly price: number;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: number;
  /** ENTRY opened or grew a position, EXIT closed some of one, REVERSAL closed one and opened the other side. */
  readonly kind: 'ENTRY' | 'EXIT' | 'REVERSAL';
  readonly strategyId: string;
}

export interface PriceSeries {
  readonly token: number;
  readonly symbol: string;
  /** Last prices, downsampled to at most maxPoints. */
  readonly points: readonly { readonly ts: number; readonly price: number }[];
  readonly markers: readonly PriceMarker[];
}

export interface BacktestReport {
  /** RunStarted records in the journal; the report covers the last run. */
  readonly runsInJournal: number;
  readonly run: {
    /** Seq of the run's RunStarted. */
    readonly fromSeq: number;
    /** Seq of the run's last record. */
    readonly toSeq: number;
    readonly seed: number;
    /** First and last tick time of the run; null without ticks. */
    readonly startTs: number | null;
    readonly endTs: number | null;
    /** IST trading days with at least one tick. */
    readonly days: number;
  };
  readonly startingEquity: number;
  readonly endingEquity: number;
  readonly return: number;
  readonly netPnl: number;
  readonly trades: readonly Trade[];
  readonly openPositions: readonly OpenPosition[];
  readonly portfolios: readonly PortfolioReport[];
  readonly perInstrument: readonly InstrumentReport[];
  readonly equity: readonly EquityPoint[];
  readonly drawdown: readonly DrawdownPoint[];
  readonly maxDrawdown: MaxDrawdown;
  /** Annualized by √252 from daily returns; null with fewer than 2 IST days or no variation. */
  readonly sharpe: number | null;
  readonly sortino: number | null;
  /** Winning trades (net PnL > 0) over all trades; null without trades. */
  readonly winRate: number | null;
  /** Sum of winning trades' net PnL over the loss of losing ones; null without a losing trade. */
  readonly profitFactor: number | null;
  /** Fraction of the run's time (first to last tick) with any position open. */
  readonly exposure: number;
  readonly chargesPaid: number;
  /** Refusals by code: risk denials (SignalRejected) and broker rejections (OrderRejected). */
  readonly rejections: Readonly<Record<string, number>>;
  readonly signals: number;
  readonly orders: number;
  readonly fills: number;
  readonly cancels: number;
  readonly prices: readonly PriceSeries[];
}
