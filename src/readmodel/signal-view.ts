/**
 * The in-process signal read model: the latest signals and what the risk gates made of them
 * (TradingSignal, SignalValidated, SignalRejected with its denial code), newest first, filtered
 * and paged by seq. Memory-bounded: it keeps the latest `capacity` rows.
 */
import {
  formatRupees,
  type JournalRecord,
  type Side,
  type SignalRejected,
  type SignalValidated,
  type TradingSignal,
} from '../model/index.js';

export const SIGNAL_TYPES = ['TradingSignal', 'SignalValidated', 'SignalRejected'] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

export interface SignalFilter {
  readonly broker?: string;
  readonly strategyId?: string;
  readonly instrumentToken?: number;
  readonly type?: SignalType;
  /** A denial code: only rejections with it. */
  readonly code?: string;
  /** Rows with seq < beforeSeq (the page after one that ended there). */
  readonly beforeSeq?: number;
  /** Rows per page, at least 1. */
  readonly limit: number;
}

export interface SignalRow {
  readonly seq: number;
  /** Record time, ISO-8601 UTC. */
  readonly at: string;
  readonly type: SignalType;
  readonly broker: string;
  readonly strategyId: string;
  readonly instrumentToken: number;
  readonly side: Side;
  readonly quantity: number;
  /** The last price when the signal was made. */
  readonly price: { readonly rupees: string; readonly paise: number };
  readonly confidence: number;
  readonly reasoning: string;
  /** SignalRejected only: the denial code and its detail. */
  readonly code?: string;
  readonly detail?: string;
  /** Seq of the input (the tick) that started the chain. */
  readonly correlationSeq: number;
}

export interface SignalPage {
  readonly signals: SignalRow[];
  /** The `beforeSeq` of the next page; null when this page holds the last matching row. */
  readonly nextBeforeSeq: number | null;
}

export class SignalReadModel {
  /** In seq order; past 2 × capacity the oldest are cut, so a push is amortized O(1). */
  private rows: SignalRow[] = [];

  constructor(private readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`signal capacity must be a whole number ≥ 1, got ${capacity}`);
  }

  /** Applies one journal record (tapped or read back); records of other types are ignored. */
  apply(r: JournalRecord): void {
    const row = rowOf(r);
    if (row === null) return;
    this.rows.push(row);
    if (this.rows.length >= this.capacity * 2) this.rows = this.rows.slice(-this.capacity);
  }

  /** The rows matching `f`, newest first, at most `f.limit`. */
  list(f: SignalFilter): SignalPage {
    const limit = Math.max(1, Math.floor(f.limit));
    const out: SignalRow[] = [];
    const oldest = Math.max(0, this.rows.length - this.capacity);
    let i = f.beforeSeq === undefined ? this.rows.length - 1 : this.lastBefore(f.beforeSeq);
    for (; i >= oldest; i--) {
      const row = this.rows[i]!;
      if (!matches(row, f)) continue;
      // One more than the page: it tells whether there is a next page.
      if (out.length === limit) return { signals: out, nextBeforeSeq: out[limit - 1]!.seq };
      out.push(row);
    }
    return { signals: out, nextBeforeSeq: null };
  }

  /** The index of the last row with seq < `seq` (rows are in seq order), or -1. */
  private lastBefore(seq: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rows[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}

function matches(row: SignalRow, f: SignalFilter): boolean {
  return (
    (f.broker === undefined || row.broker === f.broker) &&
    (f.strategyId === undefined || row.strategyId === f.strategyId) &&
    (f.instrumentToken === undefined || row.instrumentToken === f.instrumentToken) &&
    (f.type === undefined || row.type === f.type) &&
    (f.code === undefined || row.code === f.code)
  );
}

function rowOf(r: JournalRecord): SignalRow | null {
  let signal: TradingSignal;
  let refusal: { code: string; detail: string } | null = null;
  switch (r.type) {
    case 'TradingSignal':
      signal = r.data as TradingSignal;
      break;
    case 'SignalValidated':
      signal = (r.data as SignalValidated).signal;
      break;
    case 'SignalRejected': {
      const d = r.data as SignalRejected;
      signal = d.signal;
      refusal = { code: d.code, detail: d.detail };
      break;
    }
    default:
      return null;
  }
  return {
    seq: r.seq,
    at: new Date(r.ts).toISOString(),
    type: r.type as SignalType,
    broker: signal.broker,
    strategyId: signal.strategyId,
    instrumentToken: signal.token,
    side: signal.side,
    quantity: signal.quantity,
    price: { rupees: formatRupees(signal.price), paise: signal.price },
    confidence: signal.confidence,
    reasoning: signal.reasoning,
    ...(refusal ?? {}),
    correlationSeq: r.correlationSeq,
  };
}
