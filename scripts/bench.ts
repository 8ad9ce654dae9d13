/**
 * `npm run bench`: the figures of README "Benchmark", each beside its goal, written to
 * bench/results.json (bench/results-kafka.json with BENCH_KAFKA=host:port, which journals to
 * Kafka on topics of a prefix of their own, deleted afterwards, and measures a raw kafkajs
 * transactional producer on the same records).
 * - seed: 20 instruments, 1,000,000 mock-market ticks, 10 strategies.
 * - reference: 20 instruments x 50,000 random-walk ticks generated before the clock starts, one
 *   ema_cross (EMA 10/20 of 100-tick bar closes, market orders of 100 shares) per instrument,
 *   paper broker; each run is replayed and recovered from (whole, from the stop's snapshot, from
 *   the midpoint's); once more with the Prometheus metrics on, and six times for the inspector.
 * - long: 10,000,000 reference ticks, anonymous memory sampled every million.
 * - live: the daemon on the mock feed at 10,000 ticks/s, latencies from /metrics.
 * BENCH_RUNS (3) runs of each; BENCH_ONLY=seed|reference|inspector|long|live runs one part;
 * BENCH_METRICS, BENCH_INSPECTOR, BENCH_LONG and BENCH_LIVE =off skip theirs; BENCH_BATCH sets
 * the delivery batch (1,000).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadSettings } from '../src/config/index.js';
import { TradingSystem } from '../src/system/index.js';
import { type StrategyConfig } from '../src/model/index.js';
import { BACKTEST_START_MS, runBacktest } from '../src/system/backtest.js';
import { RandomWalk, randomWalkTicks, type PreparedTicks } from '../src/feed/index.js';
import { SeededRandom } from '../src/runtime/index.js';
import { goalsTable, median, type Goal } from './bench-core/goals.js';
import { anonMiB, flatness, peakRssMiB } from './bench-core/memory.js';
import { baselineOfJournal } from './bench-kafka/records.js';
import { measureLiveLatency, type LiveLatency } from './bench-live/live-latency.js';
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
  /** Its ticks, generated before the clock starts (absent: the mock market, as it runs). */
  readonly prepare?: () => PreparedTicks;
}

/** The reference data: 20 instruments x 50,000 random-walk ticks, 100 ms apart each, interleaved. */
const REFERENCE_WALK = {
  instruments,
  intervalMs: 100,
  startMs: BACKTEST_START_MS + 1_000,
} as const;

const reference: Workload = {
  name: 'reference',
  description:
    '20 instruments x 50,000 ticks (a random walk of the mid in whole ticks, spread 1-3 ticks, sizes 100-1,000, 100 ms apart per instrument, interleaved; generated before the clock starts); one ema_cross (EMA 10/20 of 100-tick bars, 100 shares) per instrument; paper broker',
  ticks: 20 * 50_000,
  withMetrics: true,
  prepare: () =>
    randomWalkTicks({ ...REFERENCE_WALK, ticksPerInstrument: 50_000, random: new SeededRandom(7) }),
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
  /** Replays and recovers from the journal afterwards (the inspector's runs do not). */
  withReplay = true,
) {
  // The reference's ticks exist before the clock starts (as other engines load their data first).
  const g0 = hrtimeNs();
  const prepared = w.prepare?.();
  const generationSeconds = Number(hrtimeNs() - g0) / 1e9;
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
      ...(prepared ? { prepared } : {}),
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
  // Raw kafkajs on the same records, same broker, same transaction sizes (while the topics exist).
  const rawKafka =
    kafkaBrokers && withReplay
      ? await baselineOfJournal(kafkaBrokers, fresh(true) as KafkaTransport)
      : null;
  const journalDurableRps = Math.round(stats.records / durableSeconds);
  const replayed = withReplay ? await replayFigures(w, 1, fresh, snapshots) : null;
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
    generation: prepared
      ? {
          seconds: Number(generationSeconds.toFixed(3)),
          ticksPerSecond: Math.round(prepared.length / generationSeconds),
          bytes: prepared.bytes,
        }
      : null,
    ticks: result.ticks,
    seconds: Number(seconds.toFixed(3)),
    ticksPerSecond: Math.round(result.ticks / seconds),
    /** Until every record is durable in the journal (the final flush included). */
    durableSeconds: Number(durableSeconds.toFixed(3)),
    durableTicksPerSecond: Math.round(result.ticks / durableSeconds),
    rawKafka: rawKafka && {
      ...rawKafka,
      journalRecordsPerSecond: journalDurableRps,
      ratio: Number((journalDurableRps / rawKafka.recordsPerSecond).toFixed(2)),
    },
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
    rssMiB: {
      start: Math.round(rssStart / 2 ** 20),
      end: Math.round(rssEnd / 2 ** 20),
      peakSoFar: Math.round(peakRssMiB()),
    },
    journalBytes: bytes,
    signals: result.signals,
    orders: result.orders,
    fills: result.fills,
    fingerprint: result.fingerprint,
    replay: replayed,
    snapshot: { bytes: snapBytes, seconds: Number(snapshotSeconds.toFixed(3)) },
  };
}

/**
 * Ticks per delivery batch: 1,000, what the daemon's feed hands over per 100 ms (FEED__BATCH_MS)
 * at 10,000 ticks/s. The paper broker trades an order on the book of the tick it answers, so the
 * batch's size changes no fill price (only the journal times of what a batch derives).
 */
const batch = Number(process.env.BENCH_BATCH ?? 1000);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const only = process.env.BENCH_ONLY;
const wanted = (name: string) => only === undefined || only === name;
type Result = Awaited<ReturnType<typeof runWorkload>>;
const results: Result[] = [];

function line(r: Result): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lat = r.latencyMicros;
  const parts = [
    `${r.workload.padEnd(9)} [${r.journal}${r.metrics === 'on' ? ' metrics on' : ''}] ${n(r.ticksPerSecond)} ticks/s (${n(r.durableTicksPerSecond)} until durable)`,
    r.generation ? `ticks generated beforehand at ${n(r.generation.ticksPerSecond)}/s` : null,
    `${n(r.journalRecordsPerSecond)} journal records/s`,
    r.rawKafka
      ? `raw kafkajs ${n(r.rawKafka.recordsPerSecond)} records/s on the same records (the journal until durable ${n(r.rawKafka.journalRecordsPerSecond)}: ${r.rawKafka.ratio}x)`
      : null,
    `tick→order p50/p99 ${lat.tickToOrder.p50?.toFixed(0)}/${lat.tickToOrder.p99?.toFixed(0)} µs`,
    `orders ${r.orders} fills ${r.fills}`,
    `RSS ${r.rssMiB.start}→${r.rssMiB.end} MiB`,
  ];
  const rp = r.replay;
  if (rp)
    parts.push(
      `replay ${n(rp.recordsPerSecond)} records/s (${rp.reproduced && rp.divergences === 0 ? 'reproduced' : `NOT reproduced: ${rp.divergences} divergences`})`,
      `recovery of ${n(rp.recovery.records)} records ${rp.recovery.seconds} s, from the stop's snapshot ${rp.recoveryFromSnapshot.seconds} s (${rp.recoveryFromSnapshot.sameState ? 'same state' : 'DIFFERENT STATE'}), from the midpoint's ${rp.recoveryFromMidSnapshot.seconds} s (${rp.recoveryFromMidSnapshot.sameState ? 'same state' : 'DIFFERENT STATE'})`,
    );
  return `${parts.filter((x) => x !== null).join('  ')}\n`;
}

async function measured(w: Workload, metricsOn: boolean): Promise<Result[]> {
  const out: Result[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runWorkload(w, batch, metricsOn);
    results.push(r);
    out.push(r);
    process.stdout.write(line(r));
  }
  return out;
}

const byWorkload: Record<string, Result[]> = {};
for (const w of [seed, reference].filter((x) => wanted(x.name))) {
  byWorkload[w.name] = await measured(w, false);
  if (w.withMetrics && process.env.BENCH_METRICS !== 'off') {
    const [on] = [await runWorkload(w, batch, true)];
    results.push(on!);
    process.stdout.write(line(on!));
    const off = median(byWorkload[w.name]!.map((r) => r.ticksPerSecond));
    process.stdout.write(
      `${w.name.padEnd(9)} metrics on: ${on!.ticksPerSecond.toLocaleString('en-US')} ticks/s against a median of ${Math.round(off).toLocaleString('en-US')} off (${((on!.ticksPerSecond / off - 1) * 100).toFixed(1)}%), same fingerprint: ${on!.fingerprint === byWorkload[w.name]![0]!.fingerprint}\n`,
    );
  }
}

// The inspector's cost: the reference workload without its parts, with them and no client (as
// the daemon runs), and with one client, in both orders (the machine is noisy).
const inspectorRuns: { inspector: InspectorMode; ticksPerSecond: number; events: number }[] = [];
if ((wanted('reference') || only === 'inspector') && process.env.BENCH_INSPECTOR !== 'off') {
  const modes: InspectorMode[] = ['absent', 'idle', 'client', 'client', 'idle', 'absent'];
  for (const mode of modes) {
    const r = await runWorkload(reference, batch, false, mode, false);
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

/**
 * Memory over a long run: 10,000,000 reference ticks (the walk continued in chunks of 500,000,
 * generated as the run goes), journaled; anonymous resident memory sampled every 1,000,000.
 */
async function longRun(ticks: number) {
  const walk = new RandomWalk({ ...REFERENCE_WALK, random: new SeededRandom(7) });
  const perChunk = 25_000;
  let left = Math.ceil(ticks / instruments.length);
  const { prepare: _, ...rest } = reference;
  const w: Workload = { ...rest, name: 'long', ticks };
  const { transport, remove } = await journalFor(w);
  const samples: number[] = [];
  let seen = 0;
  const t0 = hrtimeNs();
  const { system } = await runBacktest(
    {
      ticks,
      seed: 1,
      batch,
      instruments,
      strategies: w.strategies,
      prepared: () => {
        if (left <= 0) return null;
        const n = Math.min(perChunk, left);
        left -= n;
        return walk.next(n);
      },
      tapTicks: (ts) => {
        const before = seen;
        seen += ts.length;
        if (Math.floor(seen / 1_000_000) > Math.floor(before / 1_000_000)) {
          // After a full collection (the child runs with --expose-gc): what the run holds, not
          // where the heap's sawtooth happens to be.
          (globalThis as { gc?: () => void }).gc?.();
          const a = anonMiB();
          if (a !== null) samples.push(a);
        }
      },
    },
    (clock, random) =>
      TradingSystem.open(
        systemOptions(runOf(w, random.seed), {
          clock,
          random,
          transport,
          ...(kafkaBrokers ? { bridge: { maxBacklog: 1e12 } } : {}),
        }),
      ),
  );
  await system.bridge.flush();
  const seconds = Number(hrtimeNs() - t0) / 1e9;
  await system.close();
  await remove();
  const flat = flatness(samples);
  return {
    ticks,
    seconds: Number(seconds.toFixed(3)),
    ticksPerSecond: Math.round(ticks / seconds),
    anonMiB: samples.map((x) => Math.round(x)),
    spread: flat === null ? null : Number(flat.spread.toFixed(4)),
  };
}
/**
 * The long run goes in a process of its own: its 10M-tick journal (about 1.1 GB, mapped) would
 * otherwise count in this process's peak RSS, and it samples memory after full collections.
 */
async function longRunInChild(): Promise<Awaited<ReturnType<typeof longRun>> | null> {
  const out = join(mkdtempSync(join(tmpdir(), 'alpha-panda-bench-long-')), 'long.json');
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--max-semi-space-size=32',
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
      ],
      { stdio: 'inherit', env: { ...process.env, BENCH_ONLY: 'long', BENCH_LONG_OUT: out } },
    );
    child.on('exit', resolve);
  });
  if (code !== 0) {
    process.stdout.write(`long run: the child process exited with ${code}\n`);
    return null;
  }
  const r = JSON.parse(readFileSync(out, 'utf8')) as Awaited<ReturnType<typeof longRun>>;
  rmSync(dirname(out), { recursive: true, force: true });
  return r;
}
const longOut = process.env.BENCH_LONG_OUT;
const long =
  longOut !== undefined
    ? await longRun(Number(process.env.BENCH_LONG_TICKS ?? 10_000_000))
    : (only === undefined || only === 'long') && process.env.BENCH_LONG !== 'off'
      ? await longRunInChild()
      : null;
if (longOut !== undefined) {
  // The child: hands its figures to the parent and stops.
  writeFileSync(longOut, JSON.stringify({ ...long, peakRssMiB: Math.round(peakRssMiB()) }));
  process.exit(0);
}
if (long)
  process.stdout.write(
    `long run of ${long.ticks.toLocaleString('en-US')} ticks (a process of its own): ${long.ticksPerSecond.toLocaleString('en-US')} ticks/s, anonymous memory after a full collection every 1M ticks ${long.anonMiB.join(', ')} MiB (largest distance from their median ${long.spread === null ? '-' : `${(long.spread * 100).toFixed(1)}%`}, the first sample left out)\n`,
  );

/**
 * Live latency: the daemon itself (`start`) on the mock feed at 10,000 ticks/s with the real
 * clock, the feed handing over a batch every 2 ms (FEED__BATCH_MS=2, 20 ticks), percentiles from
 * the /metrics histograms (scripts/bench-live).
 */
const liveRuns: LiveLatency[] = [];
if ((only === undefined || only === 'live') && process.env.BENCH_LIVE !== 'off') {
  for (let i = 0; i < runs; i++) {
    const l = await measureLiveLatency({
      seconds: Number(process.env.BENCH_LIVE_SECONDS ?? 20),
      ticksPerSecond: 10_000,
      batchMs: 2,
    });
    liveRuns.push(l);
    process.stdout.write(
      `live [daemon, mock feed ${Math.round(l.ticksPerSecond).toLocaleString('en-US')} ticks/s, batches every ${l.batchMs} ms] tick→order p50/p99 ${Math.round(l.tickToOrder.p50)}/${Math.round(l.tickToOrder.p99)} µs (${l.tickToOrder.n} orders)  tick→fill p50/p99 ${Math.round(l.tickToFill.p50)}/${Math.round(l.tickToFill.p99)} µs  daemon peak RSS ${l.peakRssMiB ?? '-'} MiB\n`,
    );
  }
}

// ---- the goals ----------------------------------------------------------------------------------
const med = (rs: Result[] | undefined, f: (r: Result) => number | null | undefined) => {
  const xs = (rs ?? []).map(f).filter((x): x is number => typeof x === 'number');
  return xs.length === 0 ? null : median(xs);
};
const ref = byWorkload.reference;
const how = (rs: Result[] | undefined) => `median of ${rs?.length ?? 0} run(s)`;
const genRate = med(ref, (r) => r.generation?.ticksPerSecond);
const goals: Goal[] = [
  {
    goal: 'reference workload, journaled to ' + (kafkaBrokers ? 'Kafka' : 'LMDB'),
    value: med(ref, (r) => r.ticksPerSecond),
    unit: 'ticks/s',
    target: 1_000_000,
    kind: 'min',
    how: `${how(ref)}, ${med(ref, (r) => r.orders) ?? '-'} orders per run`,
    baseline: `tick generation ${genRate === null ? '-' : Math.round(genRate).toLocaleString('en-US')} ticks/s, timed apart; NautilusTrader 1.221 about 144,000 ticks/s (STACK-NOTES.md)`,
  },
  {
    goal: 'seed workload',
    value: med(byWorkload.seed, (r) => r.ticksPerSecond),
    unit: 'ticks/s',
    target: 300_000,
    kind: 'min',
    how: `${how(byWorkload.seed)}, mock market generated as it runs`,
  },
  {
    goal: 'live tick→order p99 (daemon, 10,000 ticks/s)',
    value: liveRuns.length ? median(liveRuns.map((l) => l.tickToOrder.p99)) : null,
    unit: 'µs',
    target: 1000,
    kind: 'max',
    how: `median of ${liveRuns.length} run(s) of ${process.env.BENCH_LIVE_SECONDS ?? 20} s; p50 ${liveRuns.length ? Math.round(median(liveRuns.map((l) => l.tickToOrder.p50))) : '-'} µs`,
  },
  {
    goal: 'live tick→fill p99 (daemon, 10,000 ticks/s)',
    value: liveRuns.length ? median(liveRuns.map((l) => l.tickToFill.p99)) : null,
    unit: 'µs',
    target: 2000,
    kind: 'max',
    how: `median of ${liveRuns.length} run(s); p50 ${liveRuns.length ? Math.round(median(liveRuns.map((l) => l.tickToFill.p50))) : '-'} µs`,
  },
  {
    goal: 'Kafka journal, records/s until durable',
    value: med(ref, (r) => r.rawKafka?.journalRecordsPerSecond),
    unit: 'records/s',
    target: 100_000,
    kind: 'min',
    how: kafkaBrokers ? how(ref) : 'set BENCH_KAFKA=host:port to measure',
    ...(kafkaBrokers
      ? {
          baseline: `raw kafkajs transactional producer ${Math.round(med(ref, (r) => r.rawKafka?.recordsPerSecond) ?? 0).toLocaleString('en-US')} records/s on the same records and broker`,
        }
      : {}),
  },
  {
    goal: 'Kafka journal against raw kafkajs (ratio)',
    value: med(ref, (r) => r.rawKafka?.ratio),
    unit: 'x',
    target: 0.9,
    kind: 'min',
    how: kafkaBrokers ? how(ref) : 'set BENCH_KAFKA=host:port to measure',
  },
  {
    goal: 'replay of the reference journal',
    value: med(ref, (r) => r.replay?.recordsPerSecond),
    unit: 'records/s',
    target: 1_000_000,
    kind: 'min',
    how: how(ref),
  },
  {
    goal: 'recovery by full replay',
    value: med(ref, (r) => r.replay?.recovery.seconds),
    unit: 's',
    target: 1,
    kind: 'max',
    how: `${how(ref)}, ${med(ref, (r) => r.replay?.recovery.records)?.toLocaleString('en-US') ?? '-'} records`,
  },
  {
    goal: "recovery from the stop's snapshot",
    value: med(ref, (r) => r.replay?.recoveryFromSnapshot.seconds),
    unit: 's',
    target: 0.5,
    kind: 'max',
    how: how(ref),
  },
  {
    goal: "recovery from the midpoint's snapshot",
    value: med(ref, (r) => r.replay?.recoveryFromMidSnapshot.seconds),
    unit: 's',
    target: 0.5,
    kind: 'max',
    how: `${how(ref)}, half the journal replayed after the snapshot`,
  },
  {
    goal: 'anonymous memory over the long run, largest distance from the median',
    value: long?.spread === null || long === null ? null : long.spread * 100,
    unit: '%',
    target: 10,
    kind: 'max',
    how: long
      ? `${long.ticks.toLocaleString('en-US')} ticks in a process of its own, sampled after a full collection every 1,000,000`
      : 'not run',
  },
  {
    goal: 'peak resident memory of the benchmark process',
    value: Math.round(peakRssMiB()),
    unit: 'MiB',
    target: 400,
    kind: 'max',
    how: 'getrusage maxrss at the end (the long run is another process)',
  },
];
process.stdout.write(`\n${goalsTable(goals)}\n`);
const out = {
  machine: { node: process.version, cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  deliveryBatch: batch,
  runs,
  reference:
    'NautilusTrader 1.221, its EMA-cross example on 20 instruments x 50k ticks, no journal: about 144,000 ticks/s on a 2-core machine (STACK-NOTES.md)',
  goals,
  results,
  inspector: inspectorRuns,
  long,
  live: liveRuns,
};
mkdirSync(join(ROOT, 'bench'), { recursive: true });
const file = kafkaBrokers ? 'results-kafka.json' : 'results.json';
writeFileSync(join(ROOT, 'bench', file), `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`written to bench/${file}\n`);
