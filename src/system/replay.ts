/**
 * Replay (ARCHITECTURE invariant 3): drives fresh actors with a journal's recorded inputs and
 * compares every derived message with the recorded one. Each run in the journal starts with its
 * `RunStarted` record, from which the same trading system is built again (seed, instruments,
 * strategies, brokers); the clock follows the records' times; nothing leaves the process.
 *
 * With changed strategy parameters (`--set`) it is a counterfactual: derived messages are
 * expected to differ, so instead of divergences it reports how the orders differ. So is a run
 * whose strategies' code (their files in STRATEGIES_DIR, the models they read) differs from the
 * SHA-256 its RunStarted recorded: it runs the current code, and reports `codeChanges`.
 *
 * Every run is replayed from its first record (snapshots are for recovery); `from` only
 * limits what is counted and compared.
 */
import { StrategyRegistry } from '../strategies/index.js';
import { createHash } from 'node:crypto';
import type { JournalRecord, PortfolioSnapshot, RunStarted, SubmitOrder } from '../model/index.js';
import { SimulatedClock, JournalError, readInBatches } from '../runtime/index.js';
import { discardJournal } from './compose.js';
import type { LogTransport } from '../runtime/index.js';
import type { TradingSystem } from './trading-system.js';
import { INPUTS, Replayer, summary, type OrderSummary, type ParamChange } from './replayer.js';
import { codeChanges, type CodeChange } from './strategy-files/index.js';

export type { OrderSummary, ParamChange } from './replayer.js';
export type { CodeChange } from './strategy-files/index.js';

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
  /**
   * The strategy types as they are now (STRATEGIES_DIR's among them), when not only the built-in
   * ones: the code each run is replayed with, and what its recorded code hashes are checked against.
   */
  readonly registry?: StrategyRegistry;
  /**
   * Called with each run's replayed system once its last record is read (cut tick batches
   * settled), before it is closed: the actors as the replay leaves them (the inspector's
   * state at `until` is checked against this).
   */
  readonly atEnd?: (system: TradingSystem) => void;
  /** Called with each run's replayed system as it opens, before its first input. */
  readonly atStart?: (system: TradingSystem) => void;
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
  /** Files whose contents differ from what the runs recorded: the replay is a counterfactual. */
  readonly codeChanges?: CodeChange[];
  readonly orderDiff?: {
    added: OrderSummary[];
    removed: OrderSummary[];
    changed: { recorded: OrderSummary; replayed: OrderSummary }[];
  };
}

export async function runReplay(
  transport: LogTransport,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  let from = options.fromTs === undefined ? (options.from ?? 1) : Number.MAX_SAFE_INTEGER;
  let until = Math.min(options.until ?? Number.MAX_SAFE_INTEGER, transport.lastSeq());
  const changes = options.set ?? [];
  const registry = options.registry ?? new StrategyRegistry();
  const changedCode: CodeChange[] = [];
  // This run's: with changed parameters or code its derived messages are not compared.
  let counterfactual = false;
  let anyCounterfactual = false;
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
    options.atEnd?.(seg.system);
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

  read: for await (const batch of readInBatches(transport, 1, { untilSeq: until })) {
    for (const r of batch) {
      if (options.untilTs !== undefined && r.ts > options.untilTs) {
        until = r.seq - 1;
        break read;
      }
      if (
        options.fromTs !== undefined &&
        from === Number.MAX_SAFE_INTEGER &&
        r.ts >= options.fromTs
      )
        from = r.seq;
      if (r.type === 'RunStarted') {
        await finish();
        const code = codeChanges(r.data as RunStarted, registry);
        changedCode.push(...code);
        counterfactual = changes.length > 0 || code.length > 0;
        anyCounterfactual ||= counterfactual;
        seg = await Replayer.open(r, {
          changes,
          transport: discardJournal(r.seq - 1),
          clock: new SimulatedClock(r.ts),
          registry,
        });
        options.atStart?.(seg.system);
        runs++;
        if (r.seq >= from) {
          records++;
          inputs++;
        }
        continue;
      }
      if (!seg && r.type === 'JournalRepaired') {
        // A repair that cut the journal before any run: nothing to rebuild yet.
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
        seg.forget(r.seq);
        continue;
      }
      const m = seg.matches(r);
      if (!m.ok) diverge(r.seq, r, m.replayed);
    }
  }
  // Derived records the replay made after the journal's end are not compared: a journal cut by
  // a crash (or by --until) ends inside a chain.
  await finish();

  // One run: its fingerprint; several: a hash over theirs, in order.
  const combined = (fps: readonly string[]) =>
    fps.length === 1 ? fps[0]! : createHash('sha256').update(fps.join('\n')).digest('hex');
  const fingerprint = combined(fingerprints);
  const recordedFingerprint = combined(recordedFingerprints);
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
    ...(changedCode.length > 0 ? { codeChanges: changedCode } : {}),
  };
  if (!anyCounterfactual) return result;
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
