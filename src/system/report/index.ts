/** The backtest report: figures of a journal's last run as JSON, and as one self-contained HTML page. */
export { buildReport, DEFAULT_MAX_POINTS, type ReportOptions } from './build-report.js';
export { renderReportHtml } from './html/render-html.js';
export type {
  BacktestReport,
  DrawdownPoint,
  EquityPoint,
  InstrumentReport,
  MaxDrawdown,
  OpenPosition,
  PortfolioReport,
  PriceMarker,
  PriceSeries,
  Trade,
} from './report-types.js';
