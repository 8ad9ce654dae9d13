import { describe, expect, it } from 'vitest';
import { JournalDamaged } from '../errors.js';
import { indexChecksum, JournalIndex, parseIndexRecord, type IndexPart } from './kafka-index.js';

const META = { nonce: 2 ** 33 + 1, createdMs: 1_767_584_700_000 };

/** An append entry's value as the writer writes it, with `change` applied after the checksum. */
function entry(
  first: number,
  last: number,
  change: (e: Record<string, unknown>) => void = () => {},
) {
  const parts: IndexPart[] = [
    { t: 'market.ticks', p: 0, o: String(first * 2), n: last - first + 1 },
  ];
  const content = { first, last, parts, meta: META };
  const e: Record<string, unknown> = { kind: 'append', ...content, crc: indexChecksum(content) };
  change(e);
  return Buffer.from(JSON.stringify(e));
}

const strict = () => new JournalIndex((seq, problem) => new JournalDamaged('test', seq, problem));

describe('the Kafka journal index', () => {
  it('checksums every part of an entry', () => {
    const parts: IndexPart[] = [{ t: 'a', p: 1, o: '10', n: 3 }];
    const base = indexChecksum({ first: 1, last: 3, parts, meta: META });
    for (const changed of [
      { first: 2, last: 3, parts, meta: META },
      { first: 1, last: 3, parts: [{ ...parts[0]!, o: '11' }], meta: META },
      { first: 1, last: 3, parts: [{ ...parts[0]!, n: 4 }], meta: META },
      { first: 1, last: 3, parts: [{ ...parts[0]!, p: 2 }], meta: META },
      { first: 1, last: 3, parts, meta: { ...META, nonce: 5 } },
    ])
      expect(indexChecksum(changed)).not.toBe(base);
  });

  it('parses the three kinds and says what is wrong with anything else', () => {
    expect(parseIndexRecord(entry(1, 5))).toMatchObject({ kind: 'append', first: 1, last: 5 });
    expect(parseIndexRecord(Buffer.from('{"kind":"probe"}'))).toEqual({ kind: 'probe' });
    expect(
      parseIndexRecord(Buffer.from('{"kind":"open","nonce":3,"createdMs":4,"mark":1}')),
    ).toEqual({ kind: 'open', nonce: 3, createdMs: 4, mark: 1 });
    expect(parseIndexRecord(null)).toBe('has no value');
    expect(parseIndexRecord(Buffer.from('{"kind":"app'))).toBe('is not JSON');
    expect(parseIndexRecord(entry(5, 1))).toBe('is not a well-formed append entry');
    expect(parseIndexRecord(entry(1, 5, (e) => delete e.crc))).toBe('(seq 1..5) has no checksum');
  });

  it('reads entries in order and refuses, strictly, the first damaged one', () => {
    const ix = strict();
    ix.add(0n, Buffer.from(`{"kind":"open","nonce":${META.nonce},"createdMs":1,"mark":1}`));
    ix.add(1n, entry(1, 5));
    ix.add(2n, entry(6, 9));
    expect([ix.last, ix.meta, ix.entries.length, ix.offset]).toEqual([9, META, 2, 2n]);
    expect(ix.segmentsOf(7, 9, null, 'x.')).toEqual([
      {
        topic: 'x.market.ticks',
        partition: 0,
        segments: [{ offset: 12n, count: 4, first: 6, last: 9 }],
      },
    ]);
    expect(() =>
      ix.add(
        3n,
        entry(10, 12, (e) => (e.last = 13)),
      ),
    ).toThrow(
      expect.objectContaining({
        firstBadSeq: 10,
        problem: expect.stringMatching(/fails its checksum/),
      }),
    );
    expect(() => ix.add(4n, Buffer.from('garbage'))).toThrow(
      expect.objectContaining({
        firstBadSeq: 10,
        problem: 'the index record at offset 4 is not JSON',
      }),
    );
    expect(() => ix.add(5n, entry(11, 12))).toThrow(
      expect.objectContaining({ problem: 'no index entry covers seq 10..10' }),
    );
  });

  it('refuses an entry whose counts do not add up to its seq range, even with a good checksum', () => {
    const bad = (e: Record<string, unknown>) => {
      const content = { ...(e as object), parts: [{ t: 'a', p: 0, o: '0', n: 2 }] };
      delete (content as Record<string, unknown>).crc;
      e.parts = content.parts;
      e.crc = indexChecksum(content as Parameters<typeof indexChecksum>[0]);
    };
    expect(() => strict().add(0n, entry(1, 5, bad))).toThrow(
      expect.objectContaining({
        firstBadSeq: 1,
        problem: expect.stringMatching(/counts 2 records for 5 seqs/),
      }),
    );
  });

  it('notes, leniently, the seqs damaged records leave uncovered, and goes on', () => {
    const ix = new JournalIndex(null);
    ix.add(0n, entry(1, 5));
    ix.add(
      1n,
      entry(6, 9, (e) => (e.crc = 1)),
    );
    ix.add(2n, entry(10, 12));
    ix.add(3n, Buffer.from('garbage'));
    ix.add(
      4n,
      entry(20, 21, (e) => (e.crc = 1)),
    );
    ix.finish();
    expect(ix.last).toBe(12);
    expect(ix.end).toBe(21);
    expect(ix.bad).toEqual([
      {
        fromSeq: 6,
        toSeq: 9,
        problem: expect.stringMatching(/seq 6\.\.9 at offset 1 fails its checksum/),
      },
      { fromSeq: 13, toSeq: 21, problem: 'the index record at offset 3 is not JSON' },
    ]);
  });
});
