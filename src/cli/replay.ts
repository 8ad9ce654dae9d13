/**
 * Replay (ARCHITECTURE invariant 3): drives fresh actors with a journal's recorded inputs and
 * compares every derived message with the recorded one. Each run in the journal starts with its
 * `RunStarted` record, from which the same trading system is built again (seed, instruments,
 * strategies, brokers); the clock follows the records' times; nothing leaves the process.
 *
 * With changed strategy parameters (`--set`) it is a counterfactual: derived messages are
 * expected to differ, so instead of divergences it reports how the orders differ.
 *
 * Without snapshots (not built yet) every run is replayed from its first record; `from` only
 * limits what is counted and compared.
 */
import { createHash } from 'node:crypto';
import { TradingSystem, versionProblem } from '../actors/index.js';
import type {
  JournalRecord,
  MarketTick,
  PortfolioSnapshot,
  RunStarted,
  SetTradingState,
  StrategyConfigured,
  SubmitOrder,
} from '../model/index.js';
import { SimulatedClock, type Clock } from '../runtime/clock.js';
import { ConfigError, JournalError } from '../runtime/errors.js';
import { SeededRandom } from '../runtime/ids.js';
import type { LogTransport } from '../runtime/transport.js';
import { DiscardTransport } from '../runtime/transports/discard.js';
import { systemOptions } from './run-spec.js';

export interface ParamChange {
  readonly strategyId: string;
  readonly param: string;
  readonly value: unknown;
}

export interface ReplayOptions {
  /** First seq counted and compared (default 1)... */
  readonly from?: number;
  /** ...or the first record at or after this time (epoch ms). */
  readonly fromTs?: number;
  /** Last seq read (default: the journal's end)... */
  readonly until?: number;
  /** ...or the last record at or before this time (epoch ms). */
  readonly untilTs?: number;
  readonly set?: readonly ParamChange[];
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

export interface Divergence {
  readonly seq: number;
  readonly recorded: JournalRecord | null;
  readonly replayed: JournalRecord | null;
}

export interface ReplayResult {
  readonly from: number;
  readonly until: number;
  readonly runs: number;
  readonly records: number;
  readonly inputs: number;
  readonly derived: number;
  readonly divergences: number;
  /** The first divergences, with both records. */
  readonly firstDivergences: Divergence[];
  /** Over the replayed derived messages; equal to recordedFingerprint when nothing diverged. */
  readonly fingerprint: string;
  readonly recordedFingerprint: string;
  readonly portfolios: PortfolioSnapshot[];
  readonly orderDiff?: {
    added: OrderSummary[];
    removed: OrderSummary[];
    changed: { recorded: OrderSummary; replayed: OrderSummary }[];
  };
}

const INPUTS = new Set([
  'MarketTick',
  'SetTradingState',
  'StrategyConfigured',
  'BrokerReplied',
  'RunStarted',
]);

/** The fingerprint line of a derived record: what the switchboard hashes (run-stats.ts). */
const line = (r: JournalRecord) => `${r.type}\u001f${r.key}\u001f${JSON.stringify(r.data)}\n`;

function sameRecord(a: JournalRecord, b: JournalRecord): boolean {
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

function applyChanges(run: RunStarted, changes: readonly ParamChange[]): RunStarted {
  if (changes.length === 0) return run;
  for (const c of changes) {
    if (!run.strategies.some((s) => s.id === c.strategyId))
      throw new ConfigError(
        `--set strategy.${c.strategyId}.${c.param}: the run has no strategy ${c.strategyId}; it has ${run.strategies.map((s) => s.id).join(', ')}`,
      );
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

function summary(d: SubmitOrder, inputSeq: number): OrderSummary {
  return {
    inputSeq,
    strategyId: d.strategyId,
    broker: d.broker,
    token: d.token,
    side: d.side,
    quantity: d.quantity,
    price: (d as unknown as { price: number }).price,
  };
}

/** A clock that replay moves to each record's time. */
export interface FollowingClock extends Clock {
  set(ms: number): void;
}

/**
 * One run of a journal, rebuilt: fresh actors built from its RunStarted, fed its recorded inputs.
 * What they derive is kept by seq (`produced`) for comparison with the recorded records.
 */
export class Replayer {
  readonly produced = new Map<number, JournalRecord>();
  /** Replayed input seq -> recorded input seq. */
  readonly inputSeq = new Map<number, number>();
  readonly orders: OrderSummary[] = [];
  pendingTicks: { records: JournalRecord[]; size: number } | null = null;
  private recordedHash = createHash('sha256');

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
    },
  ): Promise<Replayer> {
    const changes = parts.changes ?? [];
    const problem = versionProblem((r.data as Partial<RunStarted>).machines);
    if (problem !== null)
      throw new JournalError(
        'REPLAY_VERSION_MISMATCH',
        `cannot replay the run that starts at seq ${r.seq}: ${problem}`,
      );
    const run = applyChanges(r.data as RunStarted, changes);
    const clock = parts.clock;
    clock.set(r.ts);
    const system = await TradingSystem.open(
      systemOptions(run, {
        clock,
        random: new SeededRandom(run.seed),
        transport: parts.transport,
        // Halts come from the journal's own SetTradingState inputs, never from this replay.
        bridge: { maxBacklog: 1e12 },
        ...(parts.onJournalProblem ? { onJournalProblem: parts.onJournalProblem } : {}),
      }),
    );
    for (const st of system.strategies()) {
      if (st.status === 'FAULTED' && changes.some((c) => c.strategyId === st.id)) {
        await system.close(new DiscardTransport());
        throw new ConfigError(`--set: ${st.error ?? `strategy ${st.id} cannot start`}`);
      }
    }
    const seg = new Replayer(run, system, clock);
    seg.inputSeq.set(r.seq, r.seq);
    system.switchboard.tap((rec, derived) => {
      if (seg.comparing) seg.produced.set(rec.seq, rec);
      if (derived && rec.type === 'SubmitOrder') {
        const d = rec.data as SubmitOrder;
        seg.orders.push(summary(d, seg.inputSeq.get(rec.correlationSeq) ?? -rec.correlationSeq));
      }
    });
    return seg;
  }

  hashRecorded(r: JournalRecord): void {
    this.recordedHash.update(line(r));
  }

  recordedFingerprint(): string {
    return this.recordedHash.copy().digest('hex');
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
    records.forEach((t, i) => this.inputSeq.set(first + i, t.seq));
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
    return { ok: mine !== null && sameRecord(r, mine), replayed: mine };
  }

  /** Stops comparing: frees what was kept for it (recovery, once it goes live). */
  stopComparing(): void {
    this.comparing = false;
    this.produced.clear();
  }

  private comparing = true;

  async close(): Promise<void> {
    await this.system.close(new DiscardTransport());
  }
}

export async function runReplay(
  transport: LogTransport,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  let from = options.fromTs === undefined ? (options.from ?? 1) : Number.MAX_SAFE_INTEGER;
  let until = Math.min(options.until ?? Number.MAX_SAFE_INTEGER, transport.lastSeq());
  const changes = options.set ?? [];
  const counterfactual = changes.length > 0;
  const recordedOrders: OrderSummary[] = [];
  const replayedOrders: OrderSummary[] = [];
  const fingerprints: string[] = [];
  const recordedFingerprints: string[] = [];
  const firstDivergences: Divergence[] = [];
  let seg: Replayer | null = null;
  let runs = 0;
  let records = 0;
  let inputs = 0;
  let derived = 0;
  let divergences = 0;
  let portfolios: PortfolioSnapshot[] = [];

  const finish = async () => {
    if (!seg) return;
    seg.settle();
    fingerprints.push(seg.system.switchboard.fingerprint());
    recordedFingerprints.push(seg.recordedFingerprint());
    replayedOrders.push(...seg.orders.filter((o) => o.inputSeq >= from));
    portfolios = seg.system.portfolios();
    await seg.close();
    seg = null;
  };
  const diverge = (seq: number, recorded: JournalRecord | null, replayed: JournalRecord | null) => {
    divergences++;
    if (firstDivergences.length < 5) firstDivergences.push({ seq, recorded, replayed });
  };

  for await (const r of transport.read(1, { untilSeq: until })) {
    if (options.untilTs !== undefined && r.ts > options.untilTs) {
      until = r.seq - 1;
      break;
    }
    if (options.fromTs !== undefined && from === Number.MAX_SAFE_INTEGER && r.ts >= options.fromTs)
      from = r.seq;
    if (r.type === 'RunStarted') {
      await finish();
      seg = await Replayer.open(r, {
        changes,
        transport: new DiscardTransport(r.seq - 1),
        clock: new SimulatedClock(r.ts),
      });
      runs++;
      if (r.seq >= from) {
        records++;
        inputs++;
      }
      continue;
    }
    if (!seg) {
      throw new JournalError(
        'REPLAY_NO_RUN',
        `seq ${r.seq} comes before any RunStarted record: this journal was written before runs were journaled, so its actors cannot be rebuilt; replay a journal written by this version`,
      );
    }
    const counted = r.seq >= from;
    if (counted) records++;
    if (INPUTS.has(r.type)) {
      if (counted) inputs++;
      seg.input(r);
      continue;
    }
    if (counted) derived++;
    seg.hashRecorded(r);
    if (r.type === 'SubmitOrder' && counted) {
      // Identity of an order across the two runs: the recorded tick it answers.
      recordedOrders.push(summary(r.data as SubmitOrder, r.correlationSeq));
    }
    if (counterfactual || !counted) {
      seg.settle();
      continue;
    }
    const m = seg.matches(r);
    if (!m.ok) diverge(r.seq, r, m.replayed);
  }
  // Derived records the replay made after the journal's end are not compared: a journal cut by
  // a crash (or by --until) ends inside a chain.
  await finish();

  const fingerprint =
    fingerprints.length === 1
      ? fingerprints[0]!
      : createHash('sha256').update(fingerprints.join('\n')).digest('hex');
  const recordedFingerprint =
    recordedFingerprints.length === 1
      ? recordedFingerprints[0]!
      : createHash('sha256').update(recordedFingerprints.join('\n')).digest('hex');
  const result: ReplayResult = {
    from,
    until,
    runs,
    records,
    inputs,
    derived,
    divergences,
    firstDivergences,
    fingerprint,
    recordedFingerprint,
    portfolios,
  };
  if (!counterfactual) return result;
  const key = (o: OrderSummary) => `${o.broker}:${o.strategyId}:${o.inputSeq}`;
  const rec = new Map(recordedOrders.map((o) => [key(o), o]));
  const rep = new Map(replayedOrders.map((o) => [key(o), o]));
  const same = (a: OrderSummary, b: OrderSummary) =>
    a.side === b.side && a.quantity === b.quantity && a.price === b.price && a.token === b.token;
  return {
    ...result,
    orderDiff: {
      added: [...rep].filter(([k]) => !rec.has(k)).map(([, o]) => o),
      removed: [...rec].filter(([k]) => !rep.has(k)).map(([, o]) => o),
      changed: [...rec]
        .filter(([k, o]) => rep.has(k) && !same(o, rep.get(k)!))
        .map(([k, o]) => ({ recorded: o, replayed: rep.get(k)! })),
    },
  };
}
