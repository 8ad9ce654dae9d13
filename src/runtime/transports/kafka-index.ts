/**
 * The journal's index on `alpha.journal` (one partition): its records, how each is checked, and
 * the index as read so far. Values are JSON:
 *   { kind: 'append', first, last, parts: [{ t, p, o, n }], meta: { nonce, createdMs }, crc }
 *     one per committed append, in the same transaction as its records: the seq range, and per
 *     topic `t` and partition `p` the offset `o` of its first record there and their number
 *     `n`; `crc` is the CRC-32C of all of that (indexChecksum).
 *   { kind: 'open', nonce, createdMs, mark }   the identity an open proposed
 *   { kind: 'probe' }                          a read-only open's end marker
 */
import { checksum } from '../checksum.js';
import type { PartitionRange, Segment } from './kafka-read.js';

/** Where one append's records landed on one partition. */
export interface IndexPart {
  /** Unprefixed topic name. */
  readonly t: string;
  readonly p: number;
  /** Offset of the first record of this append on the partition. */
  readonly o: string;
  readonly n: number;
}

export interface IndexEntryRecord {
  readonly kind: 'append';
  readonly first: number;
  readonly last: number;
  readonly parts: IndexPart[];
  /**
   * The journal's identity (nonce, createdMs), repeated on every append: the first `open`
   * record that set it is deleted by retention long before the journal ends.
   */
  readonly meta: { readonly nonce: number; readonly createdMs: number };
  /** indexChecksum of the fields above. */
  readonly crc: number;
}

export type IndexRecord =
  | IndexEntryRecord
  | { readonly kind: 'probe' }
  | {
      readonly kind: 'open';
      readonly nonce: number;
      readonly createdMs: number;
      readonly mark: number;
    };

/** An append's entry as kept in memory. */
export interface IndexEntry {
  readonly first: number;
  readonly last: number;
  readonly parts: readonly IndexPart[];
}

/** CRC-32C of an index entry's content: identity, seq range, and every part's start and count. */
export function indexChecksum(e: Omit<IndexEntryRecord, 'kind' | 'crc'>): number {
  const content = [
    e.meta.nonce,
    e.meta.createdMs,
    e.first,
    e.last,
    e.parts.map((p) => [p.t, p.p, p.o, p.n]),
  ];
  return checksum(Buffer.from(JSON.stringify(content), 'utf8'));
}

const isSeq = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 1;
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

function isPart(x: unknown): x is IndexPart {
  const p = x as Partial<IndexPart> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.t === 'string' &&
    isCount(p.p) &&
    typeof p.o === 'string' &&
    /^\d{1,19}$/.test(p.o) &&
    isSeq(p.n)
  );
}

/** Decodes one index record's value; a string says what is wrong with it. */
export function parseIndexRecord(value: Buffer | null): IndexRecord | string {
  if (value === null) return 'has no value';
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'is not JSON';
  }
  if (typeof v !== 'object' || v === null) return 'is not an object';
  if (v.kind === 'probe') return { kind: 'probe' };
  if (v.kind === 'open') {
    if (!isCount(v.nonce) || !isCount(v.createdMs)) return 'is an open record without identity';
    return { kind: 'open', nonce: v.nonce, createdMs: v.createdMs, mark: Number(v.mark) };
  }
  if (v.kind !== 'append') return `has an unknown kind ${JSON.stringify(v.kind)}`;
  const meta = v.meta as { nonce?: unknown; createdMs?: unknown } | null;
  if (
    !isSeq(v.first) ||
    !isSeq(v.last) ||
    v.first > v.last ||
    !Array.isArray(v.parts) ||
    !v.parts.every(isPart) ||
    typeof meta !== 'object' ||
    meta === null ||
    !isCount(meta.nonce) ||
    !isCount(meta.createdMs)
  )
    return 'is not a well-formed append entry';
  if (!isCount(v.crc)) return `(seq ${v.first}..${v.last}) has no checksum`;
  return {
    kind: 'append',
    first: v.first,
    last: v.last,
    parts: v.parts,
    meta: { nonce: meta.nonce, createdMs: meta.createdMs },
    crc: v.crc,
  };
}

/** A seq range the index cannot vouch for. */
export interface BadRange {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly problem: string;
}

/**
 * The index as read so far: entries in seq order and the journal's identity. Strict (opening)
 * it throws at the first damaged record; lenient (verifying) it notes the seqs that record
 * leaves uncovered and goes on with the next good one.
 */
export class JournalIndex {
  readonly entries: IndexEntry[] = [];
  last = 0;
  meta: { nonce: number; createdMs: number } | null = null;
  /** Offset of the last index record read. */
  offset = -1n;
  /** Lenient only: the ranges damaged records left uncovered. */
  readonly bad: BadRange[] = [];
  private pending: { problem: string; first: number; last: number } | null = null;

  constructor(private readonly damaged: ((seq: number, problem: string) => Error) | null) {}

  /** Adds an entry of this process's own append (from the writer's reply). */
  push(e: IndexEntry): void {
    this.entries.push({ first: e.first, last: e.last, parts: e.parts });
    this.last = e.last;
  }

  /** Adds the index record read at `offset`. */
  add(offset: bigint, value: Buffer | null): void {
    this.offset = offset;
    const rec = parseIndexRecord(value);
    if (typeof rec === 'string') return this.problem(`the index record at offset ${offset} ${rec}`);
    if (rec.kind === 'probe') return;
    if (rec.kind === 'open') {
      this.meta ??= { nonce: rec.nonce, createdMs: rec.createdMs };
      return;
    }
    const what = `the index entry for seq ${rec.first}..${rec.last} at offset ${offset}`;
    if (rec.crc !== indexChecksum(rec)) return this.problem(`${what} fails its checksum`, rec);
    // Entries of this process's own appends are known already (from the writer's replies).
    if (rec.last <= this.last && this.pending === null) return;
    const n = rec.parts.reduce((sum, p) => sum + p.n, 0);
    if (n !== rec.last - rec.first + 1)
      return this.problem(`${what} counts ${n} records for ${rec.last - rec.first + 1} seqs`, rec);
    if (rec.first <= this.last) return this.problem(`${what} overlaps seq ..${this.last}`, rec);
    const pending = this.pending;
    this.pending = null;
    // Retention deleted the oldest entries (and their records): the journal starts later.
    const truncated = this.entries.length === 0 && this.last === 0;
    if (pending !== null) {
      if (pending.first < rec.first)
        this.bad.push({ fromSeq: pending.first, toSeq: rec.first - 1, problem: pending.problem });
    } else if (rec.first !== this.last + 1 && !truncated) {
      const problem = `no index entry covers seq ${this.last + 1}..${rec.first - 1}`;
      if (this.damaged) throw this.damaged(this.last + 1, problem);
      this.bad.push({ fromSeq: this.last + 1, toSeq: rec.first - 1, problem });
    }
    // Appends carry the journal's identity: authoritative once the first `open` has expired.
    this.meta = { nonce: rec.meta.nonce, createdMs: rec.meta.createdMs };
    this.push(rec);
  }

  /** Lenient only: ends reading, noting what a damaged last record left uncovered. */
  finish(): void {
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    this.bad.push({ fromSeq: p.first, toSeq: Math.max(p.first, p.last), problem: p.problem });
  }

  /** The seq the index covers up to, damaged entries included. */
  get end(): number {
    return Math.max(this.last, ...this.bad.map((b) => b.toSeq));
  }

  /**
   * A damaged record. Its seqs are those after the last good entry (or its own `first`, when no
   * good entry came before it: the index may start later, retention having deleted its start).
   */
  private problem(problem: string, range?: { first: number; last: number }): void {
    const first = this.entries.length === 0 && range ? range.first : this.last + 1;
    if (this.damaged) throw this.damaged(first, problem);
    if (this.pending === null) this.pending = { problem, first, last: range?.last ?? first };
    else if (range && range.last > this.pending.last) this.pending.last = range.last;
  }

  /**
   * Where the index puts the records of from..until on each partition, of the `wanted` topics
   * only when given (`prefix` is prepended to topic names).
   */
  segmentsOf(
    from: number,
    until: number,
    wanted: ReadonlySet<string> | null,
    prefix: string,
  ): PartitionRange[] {
    // First entry whose range reaches `from` (entries are contiguous and sorted).
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid]!.last < from) lo = mid + 1;
      else hi = mid;
    }
    const ranges = new Map<string, { topic: string; partition: number; segments: Segment[] }>();
    for (let i = lo; i < this.entries.length && this.entries[i]!.first <= until; i++) {
      const e = this.entries[i]!;
      for (const part of e.parts) {
        if (wanted && !wanted.has(part.t)) continue;
        const k = `${part.t}/${part.p}`;
        let r = ranges.get(k);
        if (!r) {
          r = { topic: prefix + part.t, partition: part.p, segments: [] };
          ranges.set(k, r);
        }
        r.segments.push({ offset: BigInt(part.o), count: part.n, first: e.first, last: e.last });
      }
    }
    return [...ranges.values()];
  }
}
