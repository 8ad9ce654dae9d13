/**
 * The process's own metrics (prom-client's defaults: CPU, memory, heap, event loop lag, GC,
 * handles), under their standard unprefixed names. One registry per process, made on first use:
 * its collectors watch the process, not a trading system, so every Metrics shares them.
 * prom-client's gauges named `_total` (`nodejs_active_handles_total`: the sum of the per-type
 * `nodejs_active_handles`) are left out: `promtool check metrics` refuses a gauge named so.
 */
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

let shared: Registry | null = null;

/** The process metrics' registry. */
export function processRegistry(): Registry {
  if (shared === null) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
    for (const m of shared.getMetricsAsArray())
      if (m.name.endsWith('_total') && !((m as unknown) instanceof Counter))
        shared.removeSingleMetric(m.name);
  }
  return shared;
}
