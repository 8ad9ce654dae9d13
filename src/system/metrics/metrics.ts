/**
 * The daemon's Prometheus metrics (SPEC §10): the business metrics, counted from the journal's
 * records by the switchboard's taps and read from the system at scrape time, and the process's own
 * (CPU, memory, event loop, GC). With metrics disabled nothing is tapped: only the process's remain.
 */
import { Registry } from 'prom-client';
import type { PortfolioReadModel } from '../../readmodel/index.js';
import { SystemClock } from '../../runtime/index.js';
import type { TradingSystem } from '../trading-system.js';
import { flushCatalogue, recordCatalogue } from './catalogue.js';
import { processRegistry } from './process-metrics.js';
import { RecordMetrics } from './record-metrics.js';
import { registerScrapeGauges, type FeedState } from './scrape-gauges.js';

export interface Metrics {
  /** Prometheus text exposition of every metric (business + process). */
  render(): Promise<string>;
  readonly contentType: string;
  /** The prom-client registry (tests read metric names from it). */
  readonly registry: Registry;
  /**
   * Tells the metrics that a tick batch has reached the process and is about to be ingested
   * (call it where the feed hands its batch over, before anything else is journaled for it):
   * the batch's hops are then timed from here. Without it they are timed from the tick tap.
   */
  ticksArriving(): void;
  /** Stops timers/collectors. */
  close(): void;
}

export interface MetricsOptions {
  /** METRICS__ENABLED (settings.metrics.enabled): false records no business metric (no taps at all: zero hot-path cost); process metrics stay. */
  readonly enabled: boolean;
  /** Monotonic clock in ms for latencies (default: the system clock's monotonic time). */
  readonly monotonicMs?: () => number;
  /** Wall clock ms (for snapshot age). */
  readonly wallMs: () => number;
  /** The in-process portfolio read model: cash and PnL gauges are read from it at scrape time. */
  readonly portfolios: PortfolioReadModel;
  /** The snapshotter's last snapshot {seq, atMs} or null (Snapshotter.lastSaved). */
  readonly lastSnapshot: () => { seq: number; atMs: number } | null;
  /** Feed state at scrape time: source and per-connection state; staleness seconds since the last tick. */
  readonly feed: () => FeedState;
}

/** The host's monotonic time in ms. */
function hostMonotonicMs(): () => number {
  const clock = new SystemClock();
  return () => Number(clock.monotonicNs()) / 1e6;
}

/**
 * Starts the metrics of `system`: from now on its taps count every journaled record (a recovered
 * run's replayed records are not counted: counters start at zero with the process, as Prometheus
 * expects). Call it once the system is open, before the feed starts.
 */
export function startMetrics(system: TradingSystem, opts: MetricsOptions): Metrics {
  const business = new Registry();
  const recording = opts.enabled ? recordBusiness(system, opts, business) : null;
  const registry = Registry.merge([business, processRegistry()]);
  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    ticksArriving: recording === null ? () => undefined : recording.arriving,
    close() {
      recording?.stop();
      // The process registry's metrics are shared: only this registry lets go of them.
      registry.clear();
      business.clear();
    },
  };
}

/**
 * Registers the business metrics in `business` and starts feeding them; returns how to stop, and
 * the hook that marks a tick batch's arrival.
 */
function recordBusiness(
  system: TradingSystem,
  opts: MetricsOptions,
  business: Registry,
): { stop(): void; arriving(): void } {
  const monotonicMs = opts.monotonicMs ?? hostMonotonicMs();
  const startedAt = { wallMs: opts.wallMs(), monotonicMs: monotonicMs() };
  const records = new RecordMetrics(recordCatalogue(business), monotonicMs);
  let open = true;
  // The switchboard keeps its taps for good: a closed Metrics' taps return at once.
  system.switchboard.tap((rec) => {
    if (open) records.record(rec);
  });
  system.switchboard.tapTicks((ticks, firstSeq) => {
    if (open) records.ticks(ticks.length, firstSeq);
  });
  const flush = flushCatalogue(business);
  const bytes = flush.flushedBytes.at();
  const count = flush.flushedRecords.at();
  system.bridge.observeWrites((n, size) => {
    const t0 = monotonicMs();
    return () => {
      flush.flushSeconds.observe(Math.max(0, monotonicMs() - t0) / 1000);
      bytes.n += size;
      count.n += n;
    };
  });
  registerScrapeGauges(business, {
    system,
    portfolios: opts.portfolios,
    wallMs: opts.wallMs,
    monotonicMs,
    lastSnapshot: opts.lastSnapshot,
    feed: opts.feed,
    lastTickAt: () => records.lastTickAt,
    startedAt,
  });
  return {
    stop() {
      open = false;
      system.bridge.observeWrites(null);
    },
    arriving() {
      if (open) records.arrived();
    },
  };
}
