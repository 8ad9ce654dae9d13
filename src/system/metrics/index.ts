/** Prometheus metrics of the daemon (SPEC §10; docs/metrics.md is the catalogue). */
export { startMetrics, type Metrics, type MetricsOptions } from './metrics.js';
export {
  METRIC_PREFIX,
  HOPS,
  ORDER_STATUSES,
  HALT_REASON_KINDS,
  WHOLE_BROKER,
  type Hop,
  type OrderStatus,
  type HaltReasonKind,
} from './catalogue.js';
export { TRADING_STATES, type FeedState } from './scrape-gauges.js';
