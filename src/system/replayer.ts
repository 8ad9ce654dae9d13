/**
 * The replay engine: one run of a journal rebuilt from its RunStarted record, with fresh actors
 * driven by the recorded inputs on a clock that follows the records. Used by `replay` (over a
 * journal that keeps nothing) and by recovery at start (over the real journal).
 */
import type { StrategyRegistry } from '../strategies/index.js';
import { TradingSystem } from './trading-system.js';
import { versionProblem } from './versions.js';
import { type SystemState } from './system-state.js';
import type {
  BrokerReplied,
  DeadLetterRedelivered,
  Input,
  JournalRepaired,
  KillSwitch,
  MarketTimerFired,
  OrderThrottled,
  TradingCommand,
  JournalRecord,
  MarketTick,
  RunStarted,
  SetTradingState,
  StrategyConfigured,
  SubmitOrder,
} from '../model/index.js';
import { unknownParameters } from '../config/index.js';
import type { Clock, Tap, LogTransport } from '../runtime/index.js';
import {
  ConfigError,
  JournalError,
  SeededRandom,
  Fingerprint,
  fingerprintLine,
} from '../runtime/index.js';
import { systemOptions } from './run-spec.js';
import type { RemoteAdapters } from './compose.js';

/** A counterfactual's change: one parameter of one strategy. */
export interface ParamChange {
  readonly strategyId: string;
  readonly param: string;
  readonly value: unknown;
}

export interface OrderSummary {
  /** Seq of the recorded input (tick) the order answers. */
  readonly inputSeq: number;
  readonly strategyId: string;
  readonly broker: string;
  readonly token: number;
  readonly side: string;
  readonly quantity: number;
  readonly price: number;
}

/** The message types that are inputs (everything else in a journal is derived). */
export const INPUTS = new Set([
  'MarketTick',
  'SetTradingState',
  'StrategyConfigured',
  'BrokerReplied',
  'RunStarted',
  'DeadLetterRedelivered',
  'JournalRepaired',
  'ReplayDivergence',
  'MarketTimerFired',
  'HaltTrading',
  'ReduceOnly',
  'ResumeTrading',
  'KillSwitch',
  'FeedGap',
  'BrokerReconciled',
  'BrokerSessionChanged',
  'OrderThrottled',
]);

export function sameRecord(a: JournalRecord, b: JournalRecord): boolean {
  return (
    a.seq === b.seq &&
    a.type === b.type &&
    a.topic === b.topic &&
    a.key === b.key &&
    a.source === b.source &&
    a.target === b.target &&
    a.correlationSeq === b.correlationSeq &&
    a.causationSeq === b.causationSeq &&
    JSON.stringify(a.data) === JSON.stringify(b.data)
  );
}

function applyChanges(
  run: RunStarted,
  changes: readonly ParamChange[],
  registry?: StrategyRegistry,
): RunStarted {
  if (changes.length === 0) return run;
  for (const c of changes) {
    const s = run.strategies.find((x) => x.id === c.strategyId);
    if (!s)
      throw new ConfigError(
        `--set strategy.${c.strategyId}.${c.param}: the run has no strategy ${c.strategyId}; it has ${run.strategies.map((x) => x.id).join(', ')}`,
      );
    const unknown = unknownParameters(s.type, { [c.param]: c.value }, registry);
    if (unknown !== null)
      throw new ConfigError(`--set strategy.${c.strategyId}.${c.param}: ${unknown}`);
  }
  return {
    ...run,
    strategies: run.strategies.map((s) => {
      const mine = changes.filter((c) => c.strategyId === s.id);
      if (mine.length === 0) return s;
      const params = { ...s.params };
      for (const c of mine) params[c.param] = c.value;
      return { ...s, params };
    }),
  };
}

export function summary(d: SubmitOrder, inputSeq: number): OrderSummary {
  return {
    inputSeq,
    strategyId: d.strategyId,
    broker: d.broker,
    token: d.token,
    side: d.side,
    quantity: d.quantity,
    price: d.price,
  };
}

/** A clock that replay moves to each record's time. */
export interface FollowingClock extends Clock {
  set(ms: number): void;
}

/**
 * Replayed seqs to recorded ones, as ranges appended in increasing replayed seq (a tick batch is
 * one range, not one entry per tick).
 */
export class SeqMap {
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  private readonly count: number[] = [];

  set(replayed: number, recorded: number): void {
    this.setRange(replayed, recorded, 1);
  }

  setRange(replayed: number, recorded: number, n: number): void {
    const k = this.from.length - 1;
    if (k >= 0 && replayed < this.from[k]! + this.count[k]!)
      throw new Error(`replayed seq ${replayed} is not after the last one mapped`);
    if (
      k >= 0 &&
      replayed === this.from[k]! + this.count[k]! &&
      recorded === this.to[k]! + this.count[k]!
    )
      this.count[k]! += n;
    else {
      this.from.push(replayed);
      this.to.push(recorded);
      this.count.push(n);
    }
  }

  get(replayed: number): number | undefined {
    let lo = 0;
    let hi = this.from.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.from[mid]! <= replayed) lo = mid;
      else hi = mid - 1;
    }
    const d = replayed - (this.from[lo] ?? Number.POSITIVE_INFINITY);
    return d >= 0 && d < this.count[lo]! ? this.to[lo]! + d : undefined;
  }
}

/**
 * One run of a journal, rebuilt: fresh actors built from its RunStarted, fed its recorded inputs.
 * What they derive is kept by seq (`produced`) until the recorded record of that seq is compared
 * with it (or read and not compared).
 */
export class Replayer {
  readonly produced = new Map<number, JournalRecord>();
  /** Replayed input seq -> recorded input seq. */
  readonly inputSeq = new SeqMap();
  readonly orders: OrderSummary[] = [];
  pendingTicks: { records: JournalRecord[]; size: number } | null = null;
  private recordedHash = new Fingerprint();

  private constructor(
    readonly run: RunStarted,
    readonly system: TradingSystem,
    readonly clock: FollowingClock,
  ) {}

  /**
   * Builds the run that starts at `r` (a RunStarted record) over `transport`, which must report
   * the journal as ending at r.seq - 1 so the rebuilt records get the recorded seqs.
   */
  static async open(
    r: JournalRecord,
    parts: {
      changes?: readonly ParamChange[];
      transport: LogTransport;
      clock: FollowingClock;
      onJournalProblem?: (message: string) => void;
      /** A snapshot of this run to start from (at `at`, its seq and time) instead of its start. */
      restore?: { state: SystemState; ts: number };
      /** The strategy types the run used, when not only the built-in ones. */
      registry?: StrategyRegistry;
      /** Live remote adapters (recovery, which goes live afterwards); absent: they send nothing. */
      remotes?: RemoteAdapters;
    },
  ): Promise<Replayer> {
    const changes = parts.changes ?? [];
    const problem = versionProblem((r.data as Partial<RunStarted>).machines);
    if (problem !== null)
      throw new JournalError(
        'REPLAY_VERSION_MISMATCH',
        `cannot replay the run that starts at seq ${r.seq}: ${problem}`,
      );
    const run = applyChanges(r.data as RunStarted, changes, parts.registry);
    const clock = parts.clock;
    clock.set(parts.restore?.ts ?? r.ts);
    // Records made while the system opens (a rejected strategy's ActorFaulted) are compared too.
    const early: [JournalRecord, boolean][] = [];
    let onRecord: Tap = (rec, derived) => early.push([rec, derived]);
    const system = await TradingSystem.open(
      systemOptions(run, {
        clock,
        random: new SeededRandom(run.seed),
        transport: parts.transport,
        // Halts come from the journal's own SetTradingState inputs, never from this replay.
        bridge: { maxBacklog: 1e12 },
        ...(parts.onJournalProblem ? { onJournalProblem: parts.onJournalProblem } : {}),
        ...(parts.restore ? { restore: parts.restore.state } : {}),
        ...(parts.registry ? { registry: parts.registry } : {}),
        ...(parts.remotes ? { remotes: parts.remotes } : {}),
      }),
      (rec, derived) => onRecord(rec, derived),
    );
    for (const st of system.strategies()) {
      if (st.status === 'FAULTED' && changes.some((c) => c.strategyId === st.id)) {
        await system.close();
        throw new ConfigError(`--set: ${st.error ?? `strategy ${st.id} cannot start`}`);
      }
    }
    const seg = new Replayer(run, system, clock);
    seg.inputSeq.set(r.seq, r.seq);
    onRecord = (rec, derived) => {
      // Only derived records are compared; inputs are fed, not checked.
      if (derived && seg.comparing) seg.produced.set(rec.seq, rec);
      if (derived && rec.type === 'SubmitOrder') {
        const d = rec.data as SubmitOrder;
        seg.orders.push(summary(d, seg.inputSeq.get(rec.correlationSeq) ?? -rec.correlationSeq));
      }
    };
    for (const [rec, derived] of early) onRecord(rec, derived);
    return seg;
  }

  hashRecorded(r: JournalRecord): void {
    this.recordedHash.add(fingerprintLine(r.type, r.key, r.data));
  }

  recordedFingerprint(): string {
    return this.recordedHash.digest();
  }

  /**
   * Delivers a tick batch cut short: the journal ends (or the next record comes) before all the
   * ticks its first tick announced, because the process died while writing it.
   */
  settle(): void {
    const p = this.pendingTicks;
    if (!p || p.records.length === 0) return;
    this.pendingTicks = null;
    this.deliverTicks(p.records);
  }

  private deliverTicks(records: readonly JournalRecord[]): void {
    this.clock.set(records.at(-1)!.ts);
    const first = this.system.switchboard.lastSeq + 1;
    // A batch's ticks have contiguous seqs in the journal and again here: one range.
    this.inputSeq.setRange(first, records[0]!.seq, records.length);
    this.system.ingestTicks(records.map((t) => t.data as MarketTick));
  }

  /** Feeds one recorded input to the replaying system. */
  input(r: JournalRecord): void {
    const sys = this.system;
    if (r.type === 'MarketTick') {
      if (r.batch !== undefined && r.batch > 0) {
        this.settle();
        this.pendingTicks = { records: [], size: r.batch };
      }
      const p = this.pendingTicks;
      if (!p)
        throw new JournalError('JOURNAL_CORRUPT', `tick seq ${r.seq} is not in a delivery batch`);
      p.records.push(r);
      if (p.records.length < p.size) return;
      this.pendingTicks = null;
      this.deliverTicks(p.records);
      return;
    }
    this.settle();
    this.clock.set(r.ts);
    const next = sys.switchboard.lastSeq + 1;
    this.inputSeq.set(next, r.seq);
    if (r.type === 'SetTradingState') {
      const d = r.data as SetTradingState;
      sys.setTradingState(d.broker, d.state, d.reason, r.source, d.authority ?? 'operator');
    } else if (r.type === 'StrategyConfigured') {
      const d = r.data as StrategyConfigured;
      const base = this.run.strategies.find((s) => s.id === d.strategyId);
      if (!base)
        throw new JournalError(
          'JOURNAL_CORRUPT',
          `seq ${r.seq} configures unknown strategy ${d.strategyId}`,
        );
      const res = sys.configureStrategy(
        {
          ...base,
          instruments: base.instruments as never,
          params: d.params as Record<string, unknown>,
          enabled: d.enabled,
        },
        r.source,
      );
      if (!res.ok) throw new JournalError('JOURNAL_CORRUPT', `seq ${r.seq}: ${res.error}`);
    } else if (r.type === 'DeadLetterRedelivered') {
      sys.switchboard.redeliver(r.data as DeadLetterRedelivered, r.source);
    } else if (r.type === 'JournalRepaired') {
      sys.journalRepaired(r.data as JournalRepaired, r.source);
    } else if (r.type === 'MarketTimerFired') {
      sys.commands.timer(r.data as MarketTimerFired, r.source);
    } else if (r.type === 'KillSwitch') {
      sys.commands.kill((r.data as KillSwitch).reason, r.source);
    } else if (r.type === 'HaltTrading' || r.type === 'ReduceOnly' || r.type === 'ResumeTrading') {
      sys.commands.trading(r.data as TradingCommand, r.source);
    } else if (r.type === 'OrderThrottled') {
      sys.remote.throttled(r.data as OrderThrottled, r.source);
    } else if (r.type === 'BrokerReplied') {
      const d = r.data as BrokerReplied;
      sys.remote.replied(d.reply.broker, d.reply, r.source);
    } else if (
      r.type === 'ReplayDivergence' ||
      r.type === 'FeedGap' ||
      r.type === 'BrokerReconciled' ||
      r.type === 'BrokerSessionChanged'
    ) {
      // Records of what happened outside: journaled for the reader, no actor acts on them.
      sys.switchboard.ingest(r.data as Input, r.topic, null, r.key, r.source);
    } else {
      throw new JournalError(
        'REPLAY_UNSUPPORTED',
        `seq ${r.seq} is a ${r.type}: replaying ${r.type} inputs is not supported yet`,
      );
    }
  }

  /** Whether the system derived `r` (a recorded derived record) exactly. */
  matches(r: JournalRecord): { ok: boolean; replayed: JournalRecord | null } {
    this.settle();
    const mine = this.produced.get(r.seq) ?? null;
    // Compared once: kept no longer, so a replay holds what one input derives, not the journal's.
    this.produced.delete(r.seq);
    return { ok: mine !== null && sameRecord(r, mine), replayed: mine };
  }

  /** Forgets what was derived at `seq` (a record read but not compared). */
  forget(seq: number): void {
    this.produced.delete(seq);
  }

  /** Stops comparing: frees what was kept for it (recovery, once it goes live). */
  stopComparing(): void {
    this.comparing = false;
    this.produced.clear();
  }

  private comparing = true;

  async close(): Promise<void> {
    await this.system.close();
  }
}
