/**
 * Where one partition's journal records must be, and what to make of each offset Kafka hands
 * over. The index (kafka.ts) lists, per committed append, the first offset and the number of
 * records it wrote on each partition; one append's records on one partition are one record
 * batch, so they have consecutive offsets. Between two appends lie only what a read-committed
 * consumer never sees (commit markers, aborted transactions). So every offset is known in
 * advance, and a record that is not where the index says, or an offset that Kafka passes
 * without delivering, is damage: never silently skipped, never waited for.
 *
 * kafkajs does not report the reasons itself: a fetch below a partition's log start (records
 * deleted by retention or `deleteRecords`) is silently restarted at the log start.
 */

/** One append's records on one partition: `count` records from `offset`, seqs within first..last. */
export interface Segment {
  readonly offset: bigint;
  readonly count: number;
  /** The append's seq range (its records on this partition are some of these seqs, in order). */
  readonly first: number;
  readonly last: number;
}

/** Something wrong with a partition's records: the seqs first..last may be affected. */
export class ReadDamage {
  constructor(
    /** The lowest seq that may be affected (a seq that cannot be read intact is never lower). */
    readonly seq: number,
    /** The highest seq that may be affected. */
    readonly last: number,
    readonly kind: 'missing' | 'corrupt' | 'unlisted',
    readonly problem: string,
  ) {}
}

/** What to do with the record at an offset. */
export interface Arrival {
  /** It is the next record the index lists: decode it and report its seq with `took`. */
  readonly take: boolean;
  /** It is a committed record the index does not list. */
  readonly unlisted: boolean;
  /** Records that should have come before it and did not. */
  readonly damage: readonly ReadDamage[];
}

const SKIP: Arrival = { take: false, unlisted: false, damage: [] };
const TAKE: Arrival = { take: true, unlisted: false, damage: [] };

export class PartitionCursor {
  private i = 0;
  private k = 0;
  /** Offsets below this were read already, or precede the range (a fetch made before a seek). */
  private floor: bigint;
  /** Seq of the last record read from this partition; 0 before the first. */
  private lastSeq = 0;

  constructor(
    /** `topic/partition`, for messages. */
    readonly where: string,
    private readonly segments: readonly Segment[],
  ) {
    this.floor = segments[0]?.offset ?? 0n;
  }

  get done(): boolean {
    return this.i >= this.segments.length;
  }

  /** Offset of the next record the index lists, or null once all were read. */
  get expected(): bigint | null {
    const s = this.segments[this.i];
    return s ? s.offset + BigInt(this.k) : null;
  }

  /** Records still to read. */
  get remaining(): number {
    let n = 0;
    for (let j = this.i; j < this.segments.length; j++) n += this.segments[j]!.count;
    return n - this.k;
  }

  /** Kafka delivered the committed record at `offset`. */
  arrive(offset: bigint): Arrival {
    if (this.done || offset < this.floor) return SKIP;
    if (this.expected === offset) {
      this.floor = offset + 1n;
      return TAKE;
    }
    const damage = this.missingBefore(offset);
    this.floor = offset + 1n;
    if (this.expected === offset) return { take: true, unlisted: false, damage };
    return { take: false, unlisted: true, damage };
  }

  /** The record taken at the expected offset had `seq` (or could not be decoded: null). */
  took(seq: number | null): void {
    const s = this.segments[this.i]!;
    this.lastSeq = seq !== null && this.plausible(seq) ? seq : this.lowestNext();
    if (++this.k >= s.count) {
      this.i++;
      this.k = 0;
    }
  }

  /**
   * Whether `seq` can be the next record's on this partition: after the last one read, and
   * within the current append's range.
   */
  plausible(seq: number): boolean {
    const s = this.segments[this.i];
    return s !== undefined && seq > this.lastSeq && seq >= s.first && seq <= s.last;
  }

  /** The lowest seq the next record can have. */
  lowestNext(): number {
    const s = this.segments[this.i];
    return Math.max(s?.first ?? 0, this.lastSeq + 1);
  }

  /** The highest seq the next record can have. */
  highestNext(): number {
    return this.segments[this.i]?.last ?? this.lastSeq + 1;
  }

  /** Kafka moved past `offset` (a fetch covered it): whatever the index lists up to it is missing. */
  passed(offset: bigint): ReadDamage[] {
    if (this.done || offset < this.floor) return [];
    const damage = this.missingBefore(offset + 1n);
    this.floor = offset + 1n;
    return damage;
  }

  /**
   * The partition holds offsets low..high-1 (read committed): records listed outside it are
   * gone. `high` null checks the low end only (the last stable offset lags a transaction's
   * commit for a moment, so the high end proves nothing until reading has waited a while).
   * Returns the damage; afterwards `expected` is where reading can go on.
   */
  bounds(low: bigint, high: bigint | null): ReadDamage[] {
    const exp = this.expected;
    if (exp === null) return [];
    const damage: ReadDamage[] = [];
    if (exp < low) {
      damage.push(...this.missingBefore(low, `Kafka no longer holds offsets below ${low}`));
      if (this.floor < low) this.floor = low;
    }
    const next = this.expected;
    if (next !== null && high !== null && next >= high) {
      damage.push(...this.missingBefore(-1n, `the partition ends at offset ${high}`));
    }
    return damage;
  }

  /**
   * Marks what the index lists before `offset` and was not read as missing, and moves to
   * `offset` (or to the first listed offset after it). `offset` -1 means everything left.
   */
  private missingBefore(offset: bigint, why?: string): ReadDamage[] {
    const out: ReadDamage[] = [];
    while (!this.done) {
      const s = this.segments[this.i]!;
      const at = s.offset + BigInt(this.k);
      if (offset !== -1n && offset <= at) break;
      const end = s.offset + BigInt(s.count);
      const to = offset !== -1n && offset < end ? offset : end;
      const n = to - at;
      out.push(
        new ReadDamage(
          this.lowestNext(),
          s.last,
          'missing',
          `${n} record(s) of seq ${s.first}..${s.last} missing on ${this.where} at offset ${at}${why ? ` (${why})` : ''}`,
        ),
      );
      if (to < end) {
        this.k = Number(to - s.offset);
        break;
      }
      this.i++;
      this.k = 0;
    }
    return out;
  }
}

/**
 * Takes the record Kafka delivered at `offset` of the cursor's partition into `out`: the
 * decoded record when it is the next one the index lists, and a `ReadDamage` for whatever is
 * wrong (records that should have come first, a record the index does not list, one that does
 * not decode or whose seq is not the one the index puts there).
 */
export function intake<T>(
  cursor: PartitionCursor,
  offset: bigint,
  decode: () => T,
  seqOf: (item: T) => number,
  out: (T | ReadDamage)[],
): void {
  const arrival = cursor.arrive(offset);
  if (arrival.damage.length > 0) out.push(...arrival.damage);
  const where = `${cursor.where} at offset ${offset}`;
  if (arrival.unlisted) {
    let seq: number | null = null;
    try {
      seq = seqOf(decode());
    } catch {
      // Unreadable as well as unlisted: named by position only.
    }
    const at = seq !== null && seq >= cursor.lowestNext() ? seq : cursor.lowestNext();
    const which = seq === null ? '' : ` (seq ${seq})`;
    out.push(
      new ReadDamage(
        at,
        at,
        'unlisted',
        `a record on ${where}${which} that the index does not list`,
      ),
    );
    return;
  }
  if (!arrival.take) return;
  let item: T;
  try {
    item = decode();
  } catch (err) {
    const seq = (err as { seq?: unknown }).seq;
    const known = typeof seq === 'number' && cursor.plausible(seq);
    out.push(
      new ReadDamage(
        known ? seq : cursor.lowestNext(),
        known ? seq : cursor.highestNext(),
        'corrupt',
        `the record on ${where}: ${(err as Error).message}`,
      ),
    );
    cursor.took(known ? seq : null);
    return;
  }
  const seq = seqOf(item);
  if (!cursor.plausible(seq)) {
    out.push(
      new ReadDamage(
        cursor.lowestNext(),
        cursor.highestNext(),
        'corrupt',
        `the record on ${where} has seq ${seq}, where the index puts seq ${cursor.lowestNext()}..${cursor.highestNext()}`,
      ),
    );
    cursor.took(null);
    return;
  }
  out.push(item);
  cursor.took(seq);
}
