/**
 * `npm run bench`: two workloads through the real actors, every message journaled to LMDB
 * (with BENCH_KAFKA=host:port, to Kafka instead, on topics of a prefix of their own that are
 * deleted afterwards).
 * (a) seed: 20 instruments, 1,000,000 ticks, 10 strategies. (b) reference: 20 instruments ×
 * 50,000 random-walk ticks, one ema_cross (EMA 10/20 of 100-tick bar closes, market orders of
 * 100 shares) per instrument, paper broker, run twice: with the Prometheus metrics off and on
 * (each result says which in `metrics`). Prints the figures and writes bench/results.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from '../src/config/index.js';
import { TradingSystem } from '../src/system/index.js';
import { type StrategyConfig } from '../src/model/index.js';
import { runBacktest } from '../src/system/backtest.js';
import { openTradingSystem } from '../src/system/recovery.js';
import { runReplay } from '../src/system/replay.js';
import { pino } from 'pino';
import { runSpec, systemOptions } from '../src/system/run-spec.js';
import {
  parseInstrumentsCsv,
  type Instrument,
  type JournalRecord,
  type OrderFilled,
  type RunStarted,
} from '../src/model/index.js';
import { hrtimeNs, SimulatedClock, type Clock } from '../src/runtime/clock.js';
import { journalId, type SnapshotStore } from '../src/runtime/snapshots.js';
import { INPUTS, Replayer } from '../src/system/replayer.js';
import { DiscardTransport } from '../src/runtime/transports/discard.js';
import { LmdbSnapshotStore } from '../src/runtime/transports/lmdb-snapshots.js';
import { Snapshotter } from '../src/system/snapshotter.js';
import { portfolioReadModel } from '../src/system/compose.js';
import { startMetrics, type Metrics } from '../src/system/metrics/index.js';
import { eventStream } from '../src/system/event-stream.js';
import { liveInspector, MessageCounters } from '../src/system/inspector/index.js';
import { Kafka, logLevel } from 'kafkajs';
import { entropySeed } from '../src/runtime/ids.js';
import type { LogTransport } from '../src/runtime/transport.js';
import { KafkaTransport } from '../src/runtime/transports/kafka.js';
import { bootstrapTopics, topicTable } from '../src/runtime/transports/kafka-topics.js';
import { LmdbTransport } from '../src/runtime/transports/lmdb.js';

const ROOT = join(import.meta.dirname, '..');
const instruments: Instrument[] = parseInstrumentsCsv(
  readFileSync(join(ROOT, 'config', 'instruments.csv'), 'utf8'),
);
const tokens = instruments.map((i) => i.token);

interface Workload {
  readonly name: string;
  readonly description: string;
  readonly ticks: number;
  readonly strategies: StrategyConfig[];
  /** Runs it with the daemon's Prometheus metrics on as well as off. */
  readonly withMetrics?: boolean;
}

const reference: Workload = {
  name: 'reference',
  description:
    '20 instruments x 50,000 ticks; one ema_cross (EMA 10/20 of 100-tick bars, 100 shares) per instrument; paper broker',
  ticks: 20 * 50_000,
  withMetrics: true,
  strategies: tokens.map((t) => ({
    id: `ema_${t}`,
    type: 'ema_cross',
    params: { fast_period: 10, slow_period: 20, bar_ticks: 100, quantity: 100 },
    instruments: [t],
    brokers: ['paper'],
    enabled: true,
  })),
};

const seed: Workload = {
  name: 'seed',
  description:
    '20 instruments, 1,000,000 ticks, 10 strategies (5 ema_cross, 5 momentum over 4 instruments each)',
  ticks: 1_000_000,
  strategies: Array.from({ length: 10 }, (_, i) => ({
    id: `s${i}`,
    type: i % 2 === 0 ? 'ema_cross' : 'momentum',
    params:
      i % 2 === 0
        ? { fast_period: 5, slow_period: 15, bar_ticks: 20, quantity: 50 }
        : { lookback_periods: 20, threshold: 0.001, position_size: 25, max_position: 100 },
    instruments: tokens.slice((i * 2) % 20, ((i * 2) % 20) + 4),
    brokers: ['paper'],
    enabled: true,
  })),
};

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const kafkaBrokers = process.env.BENCH_KAFKA?.split(',');

/** The journal of one run, and how to remove it. */
async function journalFor(w: Workload): Promise<{
  transport: LogTransport;
  remove: () => Promise<void>;
  /** Another transport over the same journal: read-only for a replay, writable for a recovery. */
  fresh: (readOnly: boolean) => LogTransport;
}> {
  if (!kafkaBrokers) {
    const dir = mkdtempSync(join(tmpdir(), `ap-bench-${w.name}-`));
    return {
      transport: new LmdbTransport(join(dir, 'journal')),
      remove: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
      fresh: (readOnly) => new LmdbTransport(join(dir, 'journal'), { readOnly }),
    };
  }
  const prefix = `bench-${entropySeed().toString(36)}.`;
  const table = topicTable({ brokerCount: 1, partitionsMultiplier: 1, dlqForAll: false, prefix });
  const admin = new Kafka({ brokers: kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await bootstrapTopics(admin, table);
  return {
    transport: new KafkaTransport({ brokers: kafkaBrokers, topics: table, prefix }),
    // Read-only for the recoveries too: they add nothing to a journal that ends cleanly, and a
    // read-only open does not fence the bench's own writer.
    fresh: () =>
      new KafkaTransport({ brokers: kafkaBrokers, topics: table, prefix, readOnly: true }),
    remove: async () => {
      await admin.deleteTopics({ topics: table.map((t) => t.name) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/**
 * The run's RunStarted: the bench's strategies on one paper broker with the default settings
 * (the full risk gate, CNC) except the original's flat 0.1% charges, so the figures stay
 * comparable with earlier results.
 */
function runOf(w: Workload, seed: number): RunStarted {
  const settings = loadSettings({ PAPER_TRADING__CHARGES_MODEL: 'flat' });
  return { ...runSpec(settings, instruments, w.strategies, seed), budget: null };
}

/** Recovery as the daemon does it at start: the time until the run is live again. */
async function recover(
  w: Workload,
  seed: number,
  transport: LogTransport,
  snapshots: SnapshotStore | null,
) {
  const t1 = hrtimeNs();
  const opened = await openTradingSystem({
    transport,
    current: runOf(w, seed),
    bridge: { batchRecords: 1000, maxBacklog: 1e12 },
    log: pino({ level: 'silent' }),
    nowMs: 0,
    snapshots,
  });
  const seconds = Number(hrtimeNs() - t1) / 1e9;
  const fingerprint = opened.system.switchboard.fingerprint();
  await opened.system.close();
  return {
    seconds: Number(seconds.toFixed(3)),
    records: opened.recovered?.records ?? 0,
    divergences: opened.recovered?.divergences ?? null,
    snapshotSeq: opened.recovered?.snapshotSeq ?? null,
    fingerprint,
  };
}

/**
 * Replays the journal just written (records/s, and whether it reproduced the run), then recovers
 * from it as the daemon would at start: replaying the whole run, and from the snapshot taken at
 * the end of the run (as a graceful stop takes one).
 */
async function replayFigures(
  w: Workload,
  seed: number,
  reopen: (readOnly: boolean) => LogTransport,
  snapshots: SnapshotStore,
) {
  // A replay only reads, as `replay` does beside a live daemon.
  const t = reopen(true);
  await t.open({ nonce: 0, createdMs: 0 });
  let replay;
  try {
    const t0 = hrtimeNs();
    const r = await runReplay(t);
    const seconds = Number(hrtimeNs() - t0) / 1e9;
    replay = {
      seconds: Number(seconds.toFixed(3)),
      recordsPerSecond: Math.round(r.records / seconds),
      divergences: r.divergences,
      reproduced: r.fingerprint === r.recordedFingerprint,
    };
  } finally {
    await t.close();
  }
  const full = await recover(w, seed, reopen(false), null);
  const fromSnapshot = await recover(w, seed, reopen(false), snapshots);
  // A crash halfway between snapshots: the snapshot of the run's midpoint, then its second half.
  const midDir = mkdtempSync(join(tmpdir(), 'alpha-panda-bench-mid-'));
  const midStore = new LmdbSnapshotStore(midDir);
  await snapshotAt(reopen(false), midStore, Math.floor(full.records / 2));
  const fromMid = await recover(w, seed, reopen(false), midStore);
  await midStore.close();
  rmSync(midDir, { recursive: true, force: true });
  const { fingerprint: f1, ...recovery } = full;
  const { fingerprint: f2, ...recoveryFromSnapshot } = fromSnapshot;
  const { fingerprint: f3, ...recoveryFromMidSnapshot } = fromMid;
  return {
    ...replay,
    recovery,
    recoveryFromSnapshot: { ...recoveryFromSnapshot, sameState: f1 === f2 },
    recoveryFromMidSnapshot: { ...recoveryFromMidSnapshot, sameState: f1 === f3 },
  };
}

/** Takes and saves the snapshot of `system` (a bench run's one run) as the daemon would. */
async function snapshotNow(
  store: SnapshotStore,
  system: TradingSystem,
  journal: string,
  clock: Clock,
) {
  await new Snapshotter({
    store,
    system,
    journal,
    runStartSeq: 1,
    clock,
    wallNow: () => 0,
    everyRecords: 0,
    everySeconds: 0,
    log: pino({ level: 'silent' }),
    lastSnapshotSeq: 0,
  }).take();
}

/**
 * Saves in `store` the snapshot a daemon would have taken at the first input after `seq` (the
 * journal's one run, rebuilt by the replay engine up to there).
 */
async function snapshotAt(transport: LogTransport, store: SnapshotStore, seq: number) {
  const meta = await transport.open({ nonce: 0, createdMs: 0 });
  let seg: Replayer | null = null;
  try {
    for await (const r of transport.read(1)) {
      if (r.type === 'RunStarted') {
        seg = await Replayer.open(r, {
          transport: new DiscardTransport(r.seq - 1),
          clock: new SimulatedClock(r.ts),
        });
        continue;
      }
      if (!INPUTS.has(r.type)) continue;
      const startsInput = r.type !== 'MarketTick' || (r.batch ?? 0) > 0;
      if (r.seq > seq && startsInput) break;
      seg!.input(r);
    }
    seg!.settle();
    await snapshotNow(store, seg!.system, journalId(meta), seg!.clock);
  } finally {
    await seg?.close();
    await transport.close();
  }
}

/**
 * The inspector's parts during a run: `absent` (none), `idle` (as the daemon runs them: message
 * counters tapped and the event stream, no client), `client` (one client on the inspector's
 * event stream, filtered by actor, reading every event).
 */
type InspectorMode = 'absent' | 'idle' | 'client';

async function runWorkload(
  w: Workload,
  batch: number,
  metricsOn: boolean,
  inspector: InspectorMode = 'absent',
) {
  let inspectorEvents = 0;
  let stopClient = () => {};
  const { transport, remove, fresh } = await journalFor(w);
  // Monotonic ingest time of each delivery batch, by its first tick seq.
  const batchSeq: number[] = [];
  const batchNs: bigint[] = [];
  const toOrder: number[] = [];
  const toFill: number[] = [];
  /** Monotonic time at which the batch holding `tickSeq` was ingested. */
  const ingestNs = (tickSeq: number): bigint => {
    let lo = 0;
    let hi = batchSeq.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (batchSeq[mid]! <= tickSeq) lo = mid;
      else hi = mid - 1;
    }
    return batchNs[lo]!;
  };
  const tapTicks = (_ticks: readonly unknown[], firstSeq: number) => {
    batchSeq.push(firstSeq);
    batchNs.push(hrtimeNs());
  };
  // A SubmitOrder's correlation is the tick that caused its signal; an OrderFilled names it.
  const tap = (r: JournalRecord, derived: boolean) => {
    if (!derived) return;
    if (r.type === 'SubmitOrder')
      toOrder.push(Number(hrtimeNs() - ingestNs(r.correlationSeq)) / 1e3);
    else if (r.type === 'OrderFilled')
      toFill.push(Number(hrtimeNs() - ingestNs((r.data as OrderFilled).tickSeq)) / 1e3);
  };
  const rssStart = process.memoryUsage().rss;
  let runClock: Clock | undefined;
  let metrics: Metrics | undefined;
  const t0 = hrtimeNs();
  const { result, system } = await runBacktest(
    {
      ticks: w.ticks,
      seed: 1,
      batch,
      instruments,
      strategies: w.strategies,
      tap,
      tapTicks,
    },
    async (clock, random) => {
      runClock = clock;
      const system = await TradingSystem.open(
        systemOptions(runOf(w, random.seed), {
          clock,
          random,
          transport,
          // An offline run has no one to protect by halting: let the backlog grow while Kafka
          // catches up (the time until everything is durable is reported separately).
          ...(kafkaBrokers ? { bridge: { maxBacklog: 1e12 } } : {}),
        }),
      );
      if (inspector !== 'absent') {
        const counters = new MessageCounters();
        system.switchboard.tap(counters.tap);
        system.switchboard.tapTicks(counters.ticks);
        const ins = liveInspector({
          system,
          transport,
          events: eventStream(system, transport),
          counters,
          wallMs: () => clock.now(),
        });
        if (inspector === 'client')
          stopClient = ins.subscribe(
            null,
            { actor: 'trader:paper' },
            () => {
              inspectorEvents++;
            },
            (err) => process.stderr.write(`inspector client ended: ${err.message}\n`),
          );
      }
      // As the daemon starts them: every record tapped, latencies on the host's monotonic clock.
      if (metricsOn)
        metrics = startMetrics(system, {
          enabled: true,
          wallMs: () => clock.now(),
          portfolios: portfolioReadModel(),
          lastSnapshot: () => null,
          feed: () => ({ source: 'mock', connections: [] }),
        });
      return system;
    },
  );
  const seconds = Number(hrtimeNs() - t0) / 1e9;
  stopClient();
  const rssEnd = process.memoryUsage().rss;
  const stats = system.switchboard.stats();
  // One scrape, so a run with metrics on shows what it recorded.
  const exposition = metrics === undefined ? null : await metrics.render();
  metrics?.close();
  await system.bridge.flush();
  const durableSeconds = Number(hrtimeNs() - t0) / 1e9;
  const bytes = transport.bytesWritten();
  // The snapshot a graceful stop takes, in an LMDB store of its own.
  const snapDir = mkdtempSync(join(tmpdir(), 'alpha-panda-bench-snap-'));
  const snapshots = new LmdbSnapshotStore(snapDir);
  const snapBytes = JSON.stringify(system.snapshotState()).length;
  const ts0 = hrtimeNs();
  await snapshotNow(snapshots, system, journalId(system.meta), runClock!);
  const snapshotSeconds = Number(hrtimeNs() - ts0) / 1e9;
  await system.close();
  const replayed = await replayFigures(w, 1, fresh, snapshots);
  await snapshots.close();
  rmSync(snapDir, { recursive: true, force: true });
  await remove();
  toOrder.sort((a, b) => a - b);
  toFill.sort((a, b) => a - b);
  return {
    workload: w.name,
    description: w.description,
    metrics: metricsOn ? ('on' as const) : ('off' as const),
    inspector,
    inspectorEvents,
    metricsScrapeBytes: exposition?.length ?? null,
    journal: transport.kind,
    deliveryBatch: batch,
    ticks: result.ticks,
    seconds: Number(seconds.toFixed(3)),
    ticksPerSecond: Math.round(result.ticks / seconds),
    /** Until every record is durable in the journal (the final flush included). */
    durableSeconds: Number(durableSeconds.toFixed(3)),
    durableTicksPerSecond: Math.round(result.ticks / durableSeconds),
    journalRecords: stats.records,
    journalRecordsPerSecond: Math.round(stats.records / seconds),
    actorDeliveries: stats.deliveries,
    actorMessagesPerSecond: Math.round(stats.deliveries / seconds),
    latencyMicros: {
      tickToOrder: {
        p50: percentile(toOrder, 50),
        p99: percentile(toOrder, 99),
        n: toOrder.length,
      },
      tickToFill: { p50: percentile(toFill, 50), p99: percentile(toFill, 99), n: toFill.length },
    },
    rssMiB: { start: Math.round(rssStart / 2 ** 20), end: Math.round(rssEnd / 2 ** 20) },
    journalBytes: bytes,
    signals: result.signals,
    orders: result.orders,
    fills: result.fills,
    fingerprint: result.fingerprint,
    replay: replayed,
    snapshot: { bytes: snapBytes, seconds: Number(snapshotSeconds.toFixed(3)) },
  };
}

const batch = Number(process.env.BENCH_BATCH ?? 100);
const results = [];
for (const w of [seed, reference].filter(
  (x) => !process.env.BENCH_ONLY || x.name === process.env.BENCH_ONLY,
)) {
  // BENCH_METRICS=off or on runs one side only: a pair of processes, alternated, measures the
  // metrics' cost without the order effect of two runs in one process (the first is faster).
  const sides =
    process.env.BENCH_METRICS === 'on'
      ? [true]
      : process.env.BENCH_METRICS === 'off'
        ? [false]
        : [false, true];
  for (const metricsOn of w.withMetrics ? sides : [false]) {
    const r = await runWorkload(w, batch, metricsOn);
    results.push(r);
    const tag = w.withMetrics ? ` metrics ${r.metrics}` : '';
    process.stdout.write(
      `${r.workload.padEnd(9)} [${r.journal}${tag}] ${r.ticksPerSecond.toLocaleString('en-US')} ticks/s (${r.durableTicksPerSecond.toLocaleString('en-US')} until durable)  ${r.actorMessagesPerSecond.toLocaleString('en-US')} actor msgs/s  ` +
        `${r.journalRecordsPerSecond.toLocaleString('en-US')} journal records/s  tick→order p50/p99 ${r.latencyMicros.tickToOrder.p50?.toFixed(0)}/${r.latencyMicros.tickToOrder.p99?.toFixed(0)} µs  ` +
        `tick→fill p50/p99 ${r.latencyMicros.tickToFill.p50?.toFixed(0)}/${r.latencyMicros.tickToFill.p99?.toFixed(0)} µs  RSS ${r.rssMiB.start}→${r.rssMiB.end} MiB  ` +
        `journal ${(r.journalBytes / 2 ** 20).toFixed(1)} MiB  orders ${r.orders} fills ${r.fills}  ` +
        `replay ${r.replay.recordsPerSecond.toLocaleString('en-US')} records/s (${r.replay.reproduced && r.replay.divergences === 0 ? 'reproduced' : `NOT reproduced: ${r.replay.divergences} divergences`})  ` +
        `recovery of ${r.replay.recovery.records.toLocaleString('en-US')} records ${r.replay.recovery.seconds} s (no snapshot; ${r.replay.recovery.divergences} divergences), ` +
        `from the stop's snapshot (${(r.snapshot.bytes / 1024).toFixed(0)} KiB, taken in ${r.snapshot.seconds} s) ${r.replay.recoveryFromSnapshot.seconds} s (${r.replay.recoveryFromSnapshot.sameState ? 'same state' : 'DIFFERENT STATE'}), ` +
        `from the midpoint's snapshot ${r.replay.recoveryFromMidSnapshot.seconds} s for ${r.replay.recoveryFromMidSnapshot.records.toLocaleString('en-US')} records (${r.replay.recoveryFromMidSnapshot.sameState ? 'same state' : 'DIFFERENT STATE'})\n`,
    );
  }
  if (w.withMetrics && sides.length === 2) {
    const [off, on] = results.slice(-2);
    process.stdout.write(
      `${w.name.padEnd(9)} metrics on vs off: ${on!.ticksPerSecond.toLocaleString('en-US')} vs ${off!.ticksPerSecond.toLocaleString('en-US')} ticks/s (${((on!.ticksPerSecond / off!.ticksPerSecond - 1) * 100).toFixed(1)}%), same fingerprint: ${on!.fingerprint === off!.fingerprint}\n`,
    );
  }
}
// The inspector's cost: the reference workload without its parts, with them and no client (as
// the daemon runs), and with one client, in both orders (the machine is noisy).
const inspectorRuns: { inspector: InspectorMode; ticksPerSecond: number; events: number }[] = [];
if (
  (!process.env.BENCH_ONLY ||
    process.env.BENCH_ONLY === 'reference' ||
    process.env.BENCH_ONLY === 'inspector') &&
  process.env.BENCH_METRICS === undefined
) {
  // A first run in a fresh process is faster than any later one (heap and JIT): it warms up and
  // is not counted; the order then runs both ways so a drift over the runs cancels out.
  await runWorkload(reference, batch, false, 'absent');
  const modes: InspectorMode[] = ['absent', 'idle', 'client', 'client', 'idle', 'absent'];
  for (const mode of modes) {
    const r = await runWorkload(reference, batch, false, mode);
    inspectorRuns.push({
      inspector: mode,
      ticksPerSecond: r.ticksPerSecond,
      events: r.inspectorEvents,
    });
    process.stdout.write(
      `reference [inspector ${mode}] ${r.ticksPerSecond.toLocaleString('en-US')} ticks/s${mode === 'client' ? ` (the client read ${r.inspectorEvents} events)` : ''}\n`,
    );
  }
  const mean = (m: InspectorMode) => {
    const xs = inspectorRuns.filter((x) => x.inspector === m).map((x) => x.ticksPerSecond);
    return Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  };
  process.stdout.write(
    `reference inspector: absent ${mean('absent').toLocaleString('en-US')}, no client ${mean('idle').toLocaleString('en-US')}, one client ${mean('client').toLocaleString('en-US')} ticks/s (means of two runs each, both orders; the machine is noisy)\n`,
  );
}
const out = {
  machine: { node: process.version, cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  reference:
    'NautilusTrader 1.221, its EMA-cross example on 20 instruments x 50k ticks, no journal: about 144,000 ticks/s on a 2-core machine (STACK-NOTES.md)',
  results,
  inspector: inspectorRuns,
};
mkdirSync(join(ROOT, 'bench'), { recursive: true });
const file = kafkaBrokers ? 'results-kafka.json' : 'results.json';
writeFileSync(join(ROOT, 'bench', file), `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`written to bench/${file}\n`);
