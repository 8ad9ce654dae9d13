/** Historical market data for backtests: Kite candle CSV, tick CSV and recorded journals as ticks. */
export { HistoryDataError, type Suggest } from './history-error.js';
export { parseDataTime, kiteCandleTime, kiteQueryTime, DAY_CANDLE_MINUTE } from './ist-time.js';
export { parseCsv, type CsvTable, type CsvRow } from './csv-table.js';
export {
  parseKiteCandles,
  inferInterval,
  KITE_CANDLE_COLUMNS,
  SESSION_MS,
  type Candle,
} from './kite-candles.js';
export { candlePrices, candleTicks, depthAround } from './ohlc-path.js';
export { parseTickCsv, TICK_COLUMNS } from './tick-csv.js';
export { mergeTicks } from './merge-ticks.js';
export {
  openHistory,
  KITE_INTERVALS,
  type HistoryOptions,
  type HistorySource,
} from './history-source.js';
