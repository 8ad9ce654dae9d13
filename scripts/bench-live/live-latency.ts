/**
 * Live latency of the daemon: the real process on the mock feed with the real clock, an ema_cross
 * per tradable instrument on the paper broker, the embedded LMDB journal. Tick-to-order and
 * tick-to-fill percentiles are read from the `alpha_panda_hop_latency_seconds` histogram that
 * GET /metrics exports (hops `tick_to_order`, `tick_to_fill`), as the difference of two scrapes
 * that bracket the measured window (start-up and warm-up excluded), interpolated linearly within
 * a bucket as PromQL's histogram_quantile does.
 *
 *   node --import tsx scripts/bench-live/live-latency.ts [--seconds 25] [--tps 10000]
 *     [--batch-ms 2] [--runs 3] [--warmup 5] [--entry tsx|dist] [--log-level info]
 *     [--bar-ticks 25] [--env NAME=value]... [--hops] [--json]
 *     [--cpu-prof [--cpu-prof-dir $TMPDIR/ap-live-profiles]] [--node-flags '--max-semi-space-size=64']
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchConfig, type BenchStrategyOptions } from './bench-config.js';
import { ROOT, startDaemonChild } from './daemon-process.js';
import { bucketsOf, countOf, quantile, type Buckets } from './histogram.js';
import { median } from '../bench-core/goals.js';

/** Percentiles of one hop over the measured window, microseconds; n observations. */
export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly n: number;
}

export interface LiveLatency {
  /** Ticks the daemon journaled per second of the measured window. */
  readonly ticksPerSecond: number;
  readonly tickToOrder: Percentiles;
  readonly tickToFill: Percentiles;
  /** Every hop of the histogram over the same window (where the time goes), by hop name. */
  readonly hops: Readonly<Record<string, Percentiles>>;
  /** Garbage collections in the window by kind (major, minor, incremental...): count and seconds. */
  readonly gc: Readonly<Record<string, { n: number; seconds: number }>>;
  /** The daemon's peak resident set, MiB (VmHWM; null where /proc is not there). */
  readonly peakRssMiB: number | null;
  /** Length of the measured window, s, and the feed's batch interval, ms. */
  readonly seconds: number;
  readonly batchMs: number;
}

export interface LiveLatencyOptions {
  /** Length of the measured window, s. */
  readonly seconds: number;
  /** FEED__TICKS_PER_SECOND. */
  readonly ticksPerSecond: number;
  /** FEED__BATCH_MS (default 2: 20 ticks a batch at 10,000 ticks/s). */
  readonly batchMs?: number;
  /** Seconds of trading before the window opens (default 5: start-up, JIT warm-up). */
  readonly warmupSeconds?: number;
  readonly entry?: 'tsx' | 'dist';
  readonly nodeFlags?: readonly string[];
  readonly strategies?: BenchStrategyOptions;
  /** LOG_LEVEL of the daemon (default info, the operator's default: an info line per order and fill). */
  readonly logLevel?: string;
  /** More environment for the daemon (it wins over the benchmark's). */
  readonly env?: Readonly<Record<string, string>>;
}

const HOP = 'alpha_panda_hop_latency_seconds';
const HOPS = [
  'tick_to_signal',
  'signal_to_validated',
  'validated_to_order',
  'order_to_fill',
  'tick_to_order',
  'tick_to_fill',
] as const;
const TICKS = /^alpha_panda_feed_ticks_total(?:\{\})?\s+(\S+)/m;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `after` less `before`, bucket by bucket (the same bounds: one process's two scrapes). */
export function bucketDelta(after: Buckets, before: Buckets | null): Buckets {
  if (before === null) return after;
  return {
    le: after.le,
    cumulative: after.cumulative.map((c, i) => c - (before.cumulative[i] ?? 0)),
  };
}

function percentiles(before: string, after: string, hop: string): Percentiles {
  const match = { broker: 'paper', hop };
  const end = bucketsOf(after, HOP, match);
  if (end === null) return { p50: NaN, p99: NaN, n: 0 };
  const b = bucketDelta(end, bucketsOf(before, HOP, match));
  const us = (q: number) => Math.round(quantile(b, q) * 1e7) / 10;
  return { p50: us(0.5), p99: us(0.99), n: countOf(b) };
}

const GC = /^nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\}\s+(\S+)/gm;

/** GC pauses between two scrapes, by kind (prom-client's nodejs_gc_duration_seconds). */
function gcOf(before: string, after: string): Record<string, { n: number; seconds: number }> {
  const read = (text: string) => {
    const out: Record<string, { n: number; seconds: number }> = {};
    for (const m of text.matchAll(GC)) {
      const k = (out[m[2]!] ??= { n: 0, seconds: 0 });
      if (m[1] === 'sum') k.seconds = Number(m[3]);
      else k.n = Number(m[3]);
    }
    return out;
  };
  const a = read(after);
  const b = read(before);
  return Object.fromEntries(
    Object.entries(a).map(([k, v]) => [
      k,
      {
        n: v.n - (b[k]?.n ?? 0),
        seconds: Math.round((v.seconds - (b[k]?.seconds ?? 0)) * 1e4) / 1e4,
      },
    ]),
  );
}

const ticksOf = (text: string): number => Number(TICKS.exec(text)?.[1] ?? NaN);

/** Runs the daemon, measures one window, stops it. */
export async function measureLiveLatency(opts: LiveLatencyOptions): Promise<LiveLatency> {
  const batchMs = opts.batchMs ?? 2;
  const config = benchConfig(join(ROOT, 'config'), opts.strategies);
  try {
    const d = await startDaemonChild({
      entry: opts.entry ?? 'tsx',
      nodeFlags: opts.nodeFlags ?? [],
      env: {
        CONFIG_DIR: config.dir,
        LOG_LEVEL: opts.logLevel ?? 'info',
        FEED__SOURCE: 'mock',
        FEED__SEED: '42',
        FEED__TICKS_PER_SECOND: String(opts.ticksPerSecond),
        FEED__BATCH_MS: String(batchMs),
        ACTIVE_BROKERS: 'paper',
        METRICS__ENABLED: 'true',
        RISK__MAX_DAILY_TRADES: '100000000',
        ...opts.env,
      },
    });
    try {
      await sleep((opts.warmupSeconds ?? 5) * 1000);
      const before = await d.scrape();
      const t0 = performance.now();
      await sleep(opts.seconds * 1000);
      const after = await d.scrape();
      const elapsed = (performance.now() - t0) / 1000;
      const rss = d.peakRssBytes();
      return {
        ticksPerSecond: Math.round((ticksOf(after) - ticksOf(before)) / elapsed),
        tickToOrder: percentiles(before, after, 'tick_to_order'),
        tickToFill: percentiles(before, after, 'tick_to_fill'),
        gc: gcOf(before, after),
        hops: Object.fromEntries(HOPS.map((h) => [h, percentiles(before, after, h)])),
        peakRssMiB: rss === null ? null : Math.round(rss / 2 ** 20),
        seconds: Math.round(elapsed * 10) / 10,
        batchMs,
      };
    } finally {
      const end = await d.stop();
      if (end.code !== 0)
        process.stderr.write(`daemon exited with ${end.code ?? end.signal}:\n${d.output()}\n`);
    }
  } finally {
    config.remove();
  }
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function line(r: LiveLatency): string {
  const p = (x: Percentiles) => `p50 ${x.p50} µs  p99 ${x.p99} µs  (n ${x.n})`;
  return (
    `${r.ticksPerSecond} ticks/s over ${r.seconds} s, batches of ${r.batchMs} ms, peak RSS ${r.peakRssMiB} MiB\n` +
    `  tick->order ${p(r.tickToOrder)}\n  tick->fill  ${p(r.tickToFill)}` +
    (process.argv.includes('--hops')
      ? Object.entries(r.hops)
          .map(([h, x]) => `\n    ${h.padEnd(20)} ${p(x)}`)
          .join('') + `\n    gc ${JSON.stringify(r.gc)}`
      : '')
  );
}

async function main(): Promise<void> {
  const runs = Number(arg('runs', '3'));
  const opts: LiveLatencyOptions = {
    seconds: Number(arg('seconds', '25')),
    ticksPerSecond: Number(arg('tps', '10000')),
    batchMs: Number(arg('batch-ms', '2')),
    warmupSeconds: Number(arg('warmup', '5')),
    entry: arg('entry', 'tsx') === 'dist' ? 'dist' : 'tsx',
    logLevel: arg('log-level', 'info'),
    strategies: { barTicks: Number(arg('bar-ticks', '25')) },
    env: Object.fromEntries(
      process.argv.flatMap((a, i) =>
        process.argv[i - 1] === '--env' && a.includes('=')
          ? [[a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]]
          : [],
      ),
    ),
    nodeFlags: [
      ...arg('node-flags', '')
        .split(' ')
        .filter((f) => f !== ''),
      ...(process.argv.includes('--cpu-prof')
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${arg('cpu-prof-dir', join(tmpdir(), 'ap-live-profiles'))}`,
          ]
        : []),
    ],
  };
  const results: LiveLatency[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await measureLiveLatency(opts);
    results.push(r);
    console.log(`run ${i + 1}/${runs}: ${line(r)}`);
  }
  const med = (f: (r: LiveLatency) => number) => median(results.map(f));
  const summary = {
    runs,
    ticksPerSecond: med((r) => r.ticksPerSecond),
    tickToOrder: { p50: med((r) => r.tickToOrder.p50), p99: med((r) => r.tickToOrder.p99) },
    tickToFill: { p50: med((r) => r.tickToFill.p50), p99: med((r) => r.tickToFill.p99) },
    peakRssMiB: med((r) => r.peakRssMiB ?? NaN),
  };
  console.log(
    `median of ${runs}: ${summary.ticksPerSecond} ticks/s; tick->order p50 ${summary.tickToOrder.p50} µs p99 ${summary.tickToOrder.p99} µs; ` +
      `tick->fill p50 ${summary.tickToFill.p50} µs p99 ${summary.tickToFill.p99} µs; peak RSS ${summary.peakRssMiB} MiB`,
  );
  if (process.argv.includes('--json')) console.log(JSON.stringify({ summary, results }, null, 2));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
