/**
 * When recent records were journaled, by seq, on the monotonic clock: what hop latencies are
 * measured from. Bounded memory: a ring of tick batches (one entry per batch, never per tick) and
 * a ring of the other records that may cause a measured hop, indexed by seq. Each of those also
 * keeps its chain's origin: when the tick that started it was journaled (NaN for a chain that a
 * tick did not start), which the tick-to-order and tick-to-fill hops are measured from.
 */

/** The kinds of record a hop is measured from (besides ticks). */
export const CAUSE_SIGNAL = 1;
export const CAUSE_VALIDATED = 2;
export type CauseKind = typeof CAUSE_SIGNAL | typeof CAUSE_VALIDATED;

export class CauseTimes {
  private readonly seqs: Float64Array;
  private readonly times: Float64Array;
  private readonly origins: Float64Array;
  private readonly kinds: Uint8Array;
  private readonly mask: number;
  private readonly batchFirst: Float64Array;
  private readonly batchEnd: Float64Array;
  private readonly batchTime: Float64Array;
  private batches = 0;

  /**
   * @param recordSlots records remembered (a power of two): a hop whose cause is further back in
   * the journal than this is not measured
   * @param batchSlots tick batches remembered
   */
  constructor(recordSlots = 4096, batchSlots = 256) {
    if (recordSlots <= 0 || (recordSlots & (recordSlots - 1)) !== 0)
      throw new RangeError(`recordSlots must be a power of two, received ${recordSlots}`);
    this.seqs = new Float64Array(recordSlots);
    this.times = new Float64Array(recordSlots);
    this.origins = new Float64Array(recordSlots);
    this.kinds = new Uint8Array(recordSlots);
    this.mask = recordSlots - 1;
    this.batchFirst = new Float64Array(batchSlots);
    this.batchEnd = new Float64Array(batchSlots);
    this.batchTime = new Float64Array(batchSlots);
  }

  /** A tick batch: ticks firstSeq .. firstSeq + count - 1 journaled at `atMs`. */
  ticks(firstSeq: number, count: number, atMs: number): void {
    const i = this.batches++ % this.batchFirst.length;
    this.batchFirst[i] = firstSeq;
    this.batchEnd[i] = firstSeq + count;
    this.batchTime[i] = atMs;
  }

  /** When the tick `seq` was journaled, if its batch is still remembered. */
  tickAt(seq: number): number | undefined {
    const n = this.batchFirst.length;
    const oldest = Math.max(0, this.batches - n);
    // Newest first: a signal is almost always caused by a tick of the batch being delivered.
    for (let b = this.batches - 1; b >= oldest; b--) {
      const i = b % n;
      if (seq >= this.batchEnd[i]!) return undefined;
      if (seq >= this.batchFirst[i]!) return this.batchTime[i];
    }
    return undefined;
  }

  /**
   * Remembers that record `seq`, of `kind`, was journaled at `atMs`, in a chain that a tick
   * journaled at `originMs` started (undefined: no tick did).
   */
  note(seq: number, kind: CauseKind, atMs: number, originMs: number | undefined): void {
    const i = seq & this.mask;
    this.seqs[i] = seq;
    this.kinds[i] = kind;
    this.times[i] = atMs;
    this.origins[i] = originMs ?? NaN;
  }

  /** When record `seq` was journaled, if it is remembered and of `kind`. */
  at(seq: number, kind: CauseKind): number | undefined {
    const i = seq & this.mask;
    return this.seqs[i] === seq && this.kinds[i] === kind ? this.times[i] : undefined;
  }

  /** When the tick that started record `seq`'s chain was journaled, if known and `seq` is of `kind`. */
  originOf(seq: number, kind: CauseKind): number | undefined {
    const i = seq & this.mask;
    if (this.seqs[i] !== seq || this.kinds[i] !== kind) return undefined;
    const o = this.origins[i]!;
    return Number.isNaN(o) ? undefined : o;
  }
}
