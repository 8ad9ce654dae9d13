/**
 * The business metrics counted from the journal's records (docs/metrics.md is the catalogue):
 * names, labels, help and buckets. Gauges read at scrape time are in scrape-gauges.ts.
 */
import { Histogram, type Registry } from 'prom-client';
import { CounterSlots } from './counter-slots.js';

/** Every business metric's name starts with this. */
export const METRIC_PREFIX = 'alpha_panda_';

/** The hops of `alpha_panda_hop_latency_seconds`, along a trade's path. */
export const HOPS = [
  'tick_to_signal',
  'signal_to_validated',
  'validated_to_order',
  'order_to_fill',
  'broker_round_trip',
  'tick_to_order',
  'tick_to_fill',
] as const;
export type Hop = (typeof HOPS)[number];

/** The `status` values of `alpha_panda_orders_total`. */
export const ORDER_STATUSES = [
  'submitted',
  'accepted',
  'filled',
  'partially_filled',
  'rejected',
  'canceled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The `reason_kind` values of `alpha_panda_trading_halts_total`. */
export const HALT_REASON_KINDS = [
  'operator',
  'kill_switch',
  'loss_limit',
  'journal',
  'session',
  'other',
] as const;
export type HaltReasonKind = (typeof HALT_REASON_KINDS)[number];

/** The `strategy` label of a loss limit that covers all of a broker's strategies. */
export const WHOLE_BROKER = '_broker';

/** The `broker` label of records not scoped to a broker (market data, the runtime's own). */
export const SHARED = 'shared';

/**
 * Seconds: from a few microseconds (one in-process hop) to minutes (a resting order's fill). Every
 * 50-250 µs up to 2 ms, so a sub-millisecond p99 of a live run is read from buckets narrower than
 * the figure itself.
 */
export const LATENCY_BUCKETS = [
  0.000005, 0.00001, 0.000025, 0.00005, 0.000075, 0.0001, 0.00015, 0.0002, 0.00025, 0.0003, 0.0004,
  0.0005, 0.0006, 0.0007, 0.0008, 0.0009, 0.001, 0.00125, 0.0015, 0.00175, 0.002, 0.0025, 0.003,
  0.004, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];

/** Seconds per journal write: from an LMDB commit to a slow Kafka acknowledgement. */
export const FLUSH_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** |fill price - reference price| / reference price: 0 to 10% (5 bps is the paper default). */
export const SLIPPAGE_BUCKETS = [
  0, 0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
];

/** The metrics the record and tick taps update. */
export interface RecordCatalogue {
  readonly events: CounterSlots<'broker' | 'actor' | 'type'>;
  readonly hopLatency: Histogram<'broker' | 'hop'>;
  readonly signals: CounterSlots<'broker' | 'strategy'>;
  readonly signalRejections: CounterSlots<'broker' | 'strategy' | 'code'>;
  readonly orders: CounterSlots<'broker' | 'status'>;
  readonly orderRejections: CounterSlots<'broker' | 'code'>;
  readonly deadLetters: CounterSlots<'topic'>;
  readonly restarts: CounterSlots<'broker' | 'actor'>;
  readonly faults: CounterSlots<'broker' | 'actor'>;
  readonly halts: CounterSlots<'broker' | 'reason_kind'>;
  readonly lossLimitHits: CounterSlots<'broker' | 'strategy'>;
  readonly feedTicks: CounterSlots<never>;
  readonly feedGaps: CounterSlots<'broker'>;
  readonly slippage: Histogram<'strategy'>;
}

/** The metrics of the journal's writes (the bridge's write observer). */
export interface FlushCatalogue {
  readonly flushSeconds: Histogram;
  readonly flushedBytes: CounterSlots<never>;
  readonly flushedRecords: CounterSlots<never>;
}

const P = METRIC_PREFIX;

/** Registers the record-driven metrics in `registry`. */
export function recordCatalogue(registry: Registry): RecordCatalogue {
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new CounterSlots<L>(registry, { name: P + name, help, labelNames });
  return {
    events: counter(
      'events_total',
      'Journaled records by broker (shared: not scoped to one), source actor kind and record type.',
      ['broker', 'actor', 'type'],
    ),
    hopLatency: new Histogram({
      name: `${P}hop_latency_seconds`,
      help: 'Monotonic time from a record being journaled to the record it caused (docs/metrics.md names each hop).',
      labelNames: ['broker', 'hop'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    signals: counter('signals_total', 'Trading signals by broker and strategy.', [
      'broker',
      'strategy',
    ]),
    signalRejections: counter(
      'signal_rejections_total',
      'Signals the risk gate rejected, by broker, strategy and denial code.',
      ['broker', 'strategy', 'code'],
    ),
    orders: counter(
      'orders_total',
      'Order lifecycle events by broker and status (filled: the fill that completes the order).',
      ['broker', 'status'],
    ),
    orderRejections: counter('order_rejections_total', 'Orders rejected, by broker and code.', [
      'broker',
      'code',
    ]),
    deadLetters: counter('dead_letters_total', 'Messages dead-lettered, by DLQ topic.', ['topic']),
    restarts: counter('supervisor_restarts_total', 'Actors restarted by their supervisor.', [
      'broker',
      'actor',
    ]),
    faults: counter(
      'actor_faults_total',
      'Actors stopped and marked FAULTED (restart budget spent).',
      ['broker', 'actor'],
    ),
    halts: counter(
      'trading_halts_total',
      'Trading state changes to HALTED (a broker or one strategy on it), by what halted it.',
      ['broker', 'reason_kind'],
    ),
    lossLimitHits: counter(
      'loss_limit_hits_total',
      `Loss limits breached (strategy ${WHOLE_BROKER}: the broker's daily loss limit).`,
      ['broker', 'strategy'],
    ),
    feedTicks: counter('feed_ticks_total', 'Market ticks journaled.', []),
    feedGaps: counter('feed_gaps_total', 'Market data gaps opened (FeedGap records).', ['broker']),
    slippage: new Histogram({
      name: `${P}paper_fill_slippage_ratio`,
      help: "Paper fills' |fill price - reference price| / reference price (the order's reference price).",
      labelNames: ['strategy'],
      buckets: SLIPPAGE_BUCKETS,
      registers: [registry],
    }),
  };
}

/** Registers the journal write metrics in `registry`. */
export function flushCatalogue(registry: Registry): FlushCatalogue {
  return {
    flushSeconds: new Histogram({
      name: `${P}journal_flush_seconds`,
      help: 'Monotonic time of each journal write, from its start until it is durable.',
      buckets: FLUSH_BUCKETS,
      registers: [registry],
    }),
    flushedBytes: new CounterSlots<never>(registry, {
      name: `${P}journal_flushed_bytes_total`,
      help: 'Encoded bytes written durably to the journal.',
      labelNames: [],
    }),
    flushedRecords: new CounterSlots<never>(registry, {
      name: `${P}journal_flushed_records_total`,
      help: 'Records written durably to the journal.',
      labelNames: [],
    }),
  };
}
