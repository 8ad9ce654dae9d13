import { describe, expect, it } from 'vitest';
import { PartitionCursor, type Segment } from './kafka-cursor.js';

// Two appends on one partition: seqs 1..10 put 3 records at offsets 0..2 (a commit marker at 3),
// seqs 11..20 put 2 records at offsets 4..5.
const SEGMENTS: Segment[] = [
  { offset: 0n, count: 3, first: 1, last: 10 },
  { offset: 4n, count: 2, first: 11, last: 20 },
];
const cursor = () => new PartitionCursor('t/0', SEGMENTS);

/** Delivers `offset` and takes it with `seq` when it is the expected record. */
function deliver(c: PartitionCursor, offset: bigint, seq: number) {
  const a = c.arrive(offset);
  if (a.take) c.took(seq);
  return a;
}

describe('PartitionCursor', () => {
  it('takes exactly the offsets the index lists, across a commit marker', () => {
    const c = cursor();
    expect(c.remaining).toBe(5);
    for (const [o, s] of [
      [0n, 2],
      [1n, 5],
      [2n, 9],
      [4n, 12],
      [5n, 19],
    ] as const) {
      expect(deliver(c, o, s)).toEqual({ take: true, unlisted: false, damage: [] });
    }
    expect(c.done).toBe(true);
    expect(c.expected).toBeNull();
  });

  it('skips offsets read already or before the range', () => {
    const c = new PartitionCursor('t/0', [{ offset: 10n, count: 2, first: 1, last: 2 }]);
    expect(c.arrive(3n)).toEqual({ take: false, unlisted: false, damage: [] });
    deliver(c, 10n, 1);
    expect(c.arrive(10n).take).toBe(false);
    expect(c.expected).toBe(11n);
  });

  it('reports records that never came, naming the lowest seq they can have', () => {
    const c = cursor();
    deliver(c, 0n, 2);
    // Offset 1 never came; 2 did.
    const a = deliver(c, 2n, 9);
    expect(a.take).toBe(true);
    expect(a.damage).toMatchObject([{ kind: 'missing', seq: 3, last: 10 }]);
    expect(a.damage[0]!.problem).toMatch(
      /1 record\(s\) of seq 1\.\.10 missing on t\/0 at offset 1/,
    );
    // The rest of the first append and the start of the second never came.
    const c2 = cursor();
    const b = deliver(c2, 5n, 19);
    expect(b.take).toBe(true);
    expect(b.damage.map((d) => [d.seq, d.last])).toEqual([
      [1, 10],
      [11, 20],
    ]);
  });

  it('reports a committed record the index does not list', () => {
    const c = cursor();
    for (const [o, s] of [
      [0n, 2],
      [1n, 5],
      [2n, 9],
    ] as const)
      deliver(c, o, s);
    expect(c.arrive(3n)).toEqual({ take: false, unlisted: true, damage: [] });
    expect(c.lowestNext()).toBe(11);
    expect(deliver(c, 4n, 12).take).toBe(true);
  });

  it('reports what a fetch passed without delivering (a count larger than what was written)', () => {
    const c = cursor();
    deliver(c, 0n, 2);
    deliver(c, 1n, 5);
    // The fetch ended at the commit marker: offset 2 was not a record.
    expect(c.passed(3n)).toMatchObject([{ kind: 'missing', seq: 6, last: 10 }]);
    expect(c.expected).toBe(4n);
    expect(c.passed(3n)).toEqual([]);
  });

  it('compares the range with what the partition holds', () => {
    const c = cursor();
    // Retention deleted offsets 0..4.
    const gone = c.bounds(5n, 7n);
    expect(gone.map((d) => [d.seq, d.last])).toEqual([
      [1, 10],
      [11, 20],
    ]);
    expect(gone[0]!.problem).toMatch(/Kafka no longer holds offsets below 5/);
    expect(c.expected).toBe(5n);
    expect(deliver(c, 5n, 19).take).toBe(true);
    // A partition that ends before the listed records.
    const d = cursor();
    deliver(d, 0n, 2);
    expect(d.bounds(0n, 1n).map((x) => [x.seq, x.last])).toEqual([
      [3, 10],
      [11, 20],
    ]);
    expect(d.done).toBe(true);
    expect(cursor().bounds(0n, 7n)).toEqual([]);
  });

  it('checks the low end only when the high end is not given (a commit not yet stable)', () => {
    const e = cursor();
    deliver(e, 0n, 2);
    expect(e.bounds(0n, null)).toEqual([]);
    expect(e.done).toBe(false);
    expect(e.bounds(0n, 1n)).not.toEqual([]);
  });

  it('tells which seqs the next record may have', () => {
    const c = cursor();
    expect(c.plausible(1)).toBe(true);
    expect(c.plausible(11)).toBe(false);
    c.took(4);
    expect(c.plausible(4)).toBe(false);
    expect([c.lowestNext(), c.highestNext()]).toEqual([5, 10]);
    // A record whose seq could not be read still moves the cursor on.
    c.took(null);
    expect(c.lowestNext()).toBe(6);
  });
});
