/**
 * Opening the trading system at start: recovery from the journal (ARCHITECTURE "Recovery,
 * replay, backtest"). When the journal's last run was built from the configuration this process
 * has (same instruments, strategies, brokers, budget; same machine versions), its actors are
 * rebuilt from its RunStarted and driven with every recorded input after it, in replay mode:
 * the clock follows the records, derived messages are compared with the recorded ones (each
 * difference is journaled as a ReplayDivergence once live), and only what the crashed process
 * derived but never made durable is written. Then the clock goes live and the run continues, with
 * its portfolios, positions and strategy state as if the process had never stopped.
 *
 * When a snapshot of that run is stored, the actors start from it and only the records after its
 * seq are replayed; a snapshot that cannot be used (another run, other machine versions, damaged)
 * is logged and the run is replayed from its start instead, which gives the same result.
 *
 * When only strategies' enabled flags or parameters changed while the process was down, the run
 * is recovered all the same and the changes are applied to it as live inputs (run-config.ts).
 * Otherwise (an empty journal, any other configuration change or other machine versions) a new
 * run starts with fresh actors.
 */
import type { StrategyRegistry } from '../strategies/index.js';
import type { Logger } from 'pino';
import { MACHINE_VERSIONS } from './versions.js';
import { TradingSystem } from './trading-system.js';
import { type SystemState } from './system-state.js';
import {
  CONTROL_COMMANDS,
  strategyId as toStrategyId,
  SYSTEM_EVENTS,
  type JournalRecord,
  type ReplayDivergence,
  type RunStarted,
  type StrategyConfigured,
} from '../model/index.js';
import {
  hrtimeNs,
  RecoveryClock,
  type Clock,
  IdGenerator,
  SeededRandom,
  journalId,
  type Snapshot,
  type SnapshotStore,
  readInBatches,
} from '../runtime/index.js';
import { resumeJournal } from './compose.js';
import type { JournalMeta, LogTransport } from '../runtime/index.js';
import { INPUTS, Replayer } from './replayer.js';
import { compareRuns, effectiveRun } from './run-config.js';
import { systemOptions } from './run-spec.js';
import type { RemoteAdapters } from './compose.js';

export interface Opened {
  readonly system: TradingSystem;
  readonly clock: RecoveryClock;
  /** The journal's identity (snapshots are kept per journal). */
  readonly journal: string;
  /** Seq of the RunStarted of the run now going on. */
  readonly runStartSeq: number;
  /** The run now going on: this process's new one, or the recovered one (its seed, its config). */
  readonly run: RunStarted;
  /** Set when the last run was recovered. */
  readonly recovered: {
    readonly runStartSeq: number;
    /** Seq of the snapshot the actors started from; null when the run was replayed from its start. */
    readonly snapshotSeq: number | null;
    readonly throughSeq: number;
    /** Records replayed (after the snapshot, if one was used). */
    readonly records: number;
    /** Ticks in the run so far, all of them, whether replayed or in the snapshot. */
    readonly ticks: number;
    readonly divergences: number;
    readonly millis: number;
    /** Strategies whose enabled flag or parameters changed while stopped, applied live. */
    readonly reconfigured: readonly string[];
  } | null;
}

export async function openTradingSystem(p: {
  transport: LogTransport;
  /** The run this process would start: its configuration and seed. */
  current: RunStarted;
  bridge: { batchRecords: number; maxBacklog: number };
  log: Logger;
  /** The wall clock's now, for a new journal's identity. */
  nowMs: number;
  /**
   * A new journal's nonce, which client order ids carry: drawn from entropy by the daemon, so two
   * journals never share it whatever seed they run. By default derived from the run's seed.
   */
  nonce?: number;
  /** Where snapshots are kept; none: recovery replays the whole run. */
  snapshots?: SnapshotStore | null;
  /** The clock the run follows once live; the host's by default (simulated in tests). */
  wall?: Clock;
  /** Live adapters of remote brokers (Zerodha); absent: they send nothing. */
  remotes?: RemoteAdapters;
  /** The strategy types of the run (built-in and STRATEGIES_DIR's); absent: the built-in ones. */
  registry?: StrategyRegistry;
}): Promise<Opened> {
  const { transport, log } = p;
  const nonce =
    p.nonce ?? new IdGenerator(new SeededRandom(p.current.seed).fork('journal')).nonce();
  const meta = await transport.open({ nonce, createdMs: p.nowMs });
  let last: JournalRecord | null = null;
  let configured: StrategyConfigured[] = [];
  if (meta.lastSeq > 0)
    for await (const r of transport.read(1, { topics: [SYSTEM_EVENTS, CONTROL_COMMANDS] })) {
      if (r.type === 'RunStarted') {
        last = r;
        configured = [];
      } else if (r.type === 'StrategyConfigured') configured.push(r.data as StrategyConfigured);
    }

  const onJournalProblem = (m: string) => log.warn(m);
  const cmp =
    last === null
      ? null
      : compareRuns(effectiveRun(last.data as RunStarted, configured), p.current, p.registry);
  const why = cmp?.kind === 'new' ? cmp.why : null;
  if (last === null || why !== null) {
    if (last !== null)
      log.warn(
        { reason: why, runStartedAt: last.seq },
        'starting a new run: the last one cannot be continued',
      );
    const clock = new RecoveryClock(p.nowMs, p.wall);
    clock.goLive();
    const system = await TradingSystem.open(
      systemOptions(p.current, {
        clock,
        random: new SeededRandom(p.current.seed),
        transport: resumeJournal(transport, meta, meta.lastSeq),
        bridge: p.bridge,
        onJournalProblem,
        ...(p.remotes ? { remotes: p.remotes } : {}),
        ...(p.registry ? { registry: p.registry } : {}),
      }),
    );
    return {
      system,
      clock,
      journal: journalId(meta),
      runStartSeq: meta.lastSeq + 1,
      run: p.current,
      recovered: null,
    };
  }

  const t0 = hrtimeNs();
  let clock = new RecoveryClock(last.ts, p.wall);
  const snap = await usableSnapshot(p.snapshots ?? null, meta, last.seq, log);
  let replayer: Replayer | null = null;
  let from = last.seq + 1;
  if (snap !== null) {
    try {
      replayer = await Replayer.open(last, {
        transport: resumeJournal(transport, meta, snap.seq),
        clock,
        onJournalProblem,
        restore: { state: snap.state as SystemState, ts: snap.ts },
        ...(p.remotes ? { remotes: p.remotes } : {}),
        ...(p.registry ? { registry: p.registry } : {}),
      });
      from = snap.seq + 1;
    } catch (err) {
      log.warn(
        { snapshotSeq: snap.seq, error: String(err) },
        'the snapshot cannot be restored; replaying the run from its start instead',
      );
      // The failed attempt moved the clock to the snapshot's time; the replay starts earlier.
      clock = new RecoveryClock(last.ts, p.wall);
    }
  }
  replayer ??= await Replayer.open(last, {
    transport: resumeJournal(transport, meta, last.seq - 1),
    clock,
    onJournalProblem,
    ...(p.remotes ? { remotes: p.remotes } : {}),
    ...(p.registry ? { registry: p.registry } : {}),
  });
  let records = 0;
  const divergences: { seq: number; recorded: JournalRecord; replayed: JournalRecord | null }[] =
    [];
  for await (const batch of readInBatches(transport, from, { untilSeq: meta.lastSeq })) {
    for (const r of batch) {
      records++;
      if (INPUTS.has(r.type)) {
        replayer.input(r);
        continue;
      }
      const m = replayer.matches(r);
      if (!m.ok) divergences.push({ seq: r.seq, recorded: r, replayed: m.replayed });
    }
  }
  replayer.settle();
  replayer.stopComparing();
  clock.goLive();
  const system = replayer.system;
  for (const d of divergences) {
    const msg: ReplayDivergence = {
      type: 'ReplayDivergence',
      seq: d.seq,
      recorded: d.recorded,
      replayed: d.replayed,
    };
    system.switchboard.ingest(msg, SYSTEM_EVENTS, null, String(d.seq), 'recovery');
  }
  // The rebuilt state differs from the journal: trading on it is refused. Every gate halts (an
  // operator's halt, journaled) until someone looks; the API stays up to show why.
  const first = divergences[0];
  if (first !== undefined)
    for (const b of replayer.run.brokers.map((x) => x.name))
      system.setTradingState(
        b,
        'HALTED',
        `recovery-diverged: the replay of the journal differs from it at ${divergences.length} record(s), first at seq ${first.seq}; run \`node dist/main.js journal verify\` and \`replay\` to see why`,
        'recovery',
      );
  // Enabled flags and parameters changed while the process was down: applied as live changes.
  const reconfigured: string[] = [];
  for (const s of cmp?.kind === 'live' ? cmp.changes : []) {
    const r = system.configureStrategy(
      { ...s, id: toStrategyId(s.id), instruments: s.instruments as never },
      'config:restart',
    );
    if (r.ok) reconfigured.push(s.id);
    else log.warn({ strategy: s.id, error: r.error }, 'changed strategy configuration not applied');
  }
  return {
    system,
    clock,
    journal: journalId(meta),
    runStartSeq: last.seq,
    run: replayer.run,
    recovered: {
      runStartSeq: last.seq,
      snapshotSeq: from > last.seq + 1 ? from - 1 : null,
      throughSeq: meta.lastSeq,
      records,
      ticks: system.switchboard.stats().byType.MarketTick ?? 0,
      divergences: divergences.length,
      millis: Math.round(Number(hrtimeNs() - t0) / 1e6),
      reconfigured,
    },
  };
}

/** The stored snapshot of the run starting at `runStartSeq`, if there is one recovery can use. */
async function usableSnapshot(
  store: SnapshotStore | null,
  meta: JournalMeta,
  runStartSeq: number,
  log: Logger,
): Promise<Snapshot | null> {
  if (store === null) return null;
  let snap: Snapshot | null;
  try {
    snap = await store.latest(journalId(meta));
  } catch (err) {
    log.warn({ error: String(err) }, 'cannot read snapshots; replaying the run from its start');
    return null;
  }
  if (snap === null) return null;
  let why: string | null = null;
  if (snap.runStartSeq !== runStartSeq)
    why = `it belongs to the run that started at seq ${snap.runStartSeq}, not ${runStartSeq}`;
  else if (snap.seq > meta.lastSeq)
    why = `it is at seq ${snap.seq}, past the journal's end at ${meta.lastSeq}`;
  else if (JSON.stringify(snap.machines) !== JSON.stringify(MACHINE_VERSIONS))
    why = `it was written by machine versions ${JSON.stringify(snap.machines)}; this build runs ${JSON.stringify(MACHINE_VERSIONS)}`;
  if (why === null) return snap;
  log.warn(
    { snapshotSeq: snap.seq, reason: why },
    'snapshot not used; replaying the run from its start',
  );
  return null;
}
