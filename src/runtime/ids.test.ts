import { describe, expect, it } from 'vitest';
import { IdGenerator, SeededRandom, entropySeed, uuidv7 } from './ids.js';

const draw = (r: { nextU32(): number }, n: number) => Array.from({ length: n }, () => r.nextU32());

/** RFC 9562 UUIDv7: version nibble 7, variant bits 10. */
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Reads a UUIDv7 back into (ms, hi, lo) as laid out by uuidv7. */
function parseV7(id: string): { ms: number; hi: number; lo: number } {
  const hex = id.replace(/-/g, '');
  const bits = BigInt(`0x${hex}`);
  const ms = Number(bits >> 80n);
  const randA = Number((bits >> 64n) & 0xfffn);
  const randB = bits & ((1n << 62n) - 1n);
  const hiLow = Number(randB >> 40n);
  const lo = Number(randB & ((1n << 40n) - 1n));
  return { ms, hi: randA * 2 ** 22 + hiLow, lo };
}

describe('SeededRandom', () => {
  it('repeats the same sequence for the same seed and differs across seeds', () => {
    const a = draw(new SeededRandom(42), 1_000);
    expect(draw(new SeededRandom(42), 1_000)).toEqual(a);
    expect(draw(new SeededRandom(43), 1_000)).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(990);
  });

  it('treats seeds modulo 2^32, as it reports them', () => {
    expect(new SeededRandom(-1).seed).toBe(0xffffffff);
    expect(draw(new SeededRandom(-1), 10)).toEqual(draw(new SeededRandom(0xffffffff), 10));
  });

  it('draws next() uniformly in [0, 1)', () => {
    const r = new SeededRandom(7);
    const bins = new Array<number>(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      min = Math.min(min, x);
      max = Math.max(max, x);
      bins[Math.floor(x * 10)]!++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it('draws normal() with mean ≈ 0 and sd ≈ 1 over 100k draws', () => {
    const r = new SeededRandom(2026);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      sum += x;
      sumSq += x * x;
      if (Math.abs(x) > 2) beyond2++;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sumSq / n - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(sd - 1)).toBeLessThan(0.015);
    // P(|Z| > 2) = 4.55%.
    expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.004);
  });

  it('forks streams that are stable for a seed and label, and independent of each other', () => {
    const parent = new SeededRandom(99);
    const a1 = draw(parent.fork('market'), 100);
    const a2 = draw(new SeededRandom(99).fork('market'), 100);
    expect(a1).toEqual(a2);
    expect(draw(parent.fork('paper'), 100)).not.toEqual(a1);
    expect(draw(new SeededRandom(98).fork('market'), 100)).not.toEqual(a1);
    expect(draw(parent.fork('market'), 100)).not.toEqual(draw(new SeededRandom(99), 100));
  });

  it('forks without consuming the parent, whatever the parent has drawn', () => {
    const base = draw(new SeededRandom(5), 50);
    const parent = new SeededRandom(5);
    const before = draw(parent.fork('x'), 20);
    const f = parent.fork('x');
    draw(f, 1_000);
    expect(draw(parent, 50)).toEqual(base);
    expect(draw(parent.fork('x'), 20)).toEqual(before);
  });

  it('forks of forks are stable too', () => {
    const a = draw(new SeededRandom(1).fork('a').fork('b'), 20);
    expect(draw(new SeededRandom(1).fork('a').fork('b'), 20)).toEqual(a);
    expect(draw(new SeededRandom(1).fork('b').fork('a'), 20)).not.toEqual(a);
  });
});

describe('entropySeed', () => {
  it('returns a 32-bit unsigned integer', () => {
    const s = entropySeed();
    expect(Number.isInteger(s) && s >= 0 && s <= 0xffffffff).toBe(true);
  });
});

describe('uuidv7', () => {
  const ts = 1_767_584_700_123;

  it('matches the RFC 9562 v7 layout with the timestamp in the first 48 bits', () => {
    for (const [hi, lo] of [
      [0, 0],
      [1, 1],
      [2 ** 34 - 1, 2 ** 40 - 1],
      [123_456_789, 987_654_321],
    ] as const) {
      const id = uuidv7(ts, hi, lo);
      expect(id).toMatch(V7);
      expect(parseV7(id)).toEqual({ ms: ts, hi, lo });
    }
    expect(uuidv7(ts, 0, 0).slice(0, 13).replace('-', '')).toBe(ts.toString(16).padStart(12, '0'));
  });

  it('encodes (ms, nonce, seq) losslessly for random values', () => {
    const r = new SeededRandom(11);
    for (let i = 0; i < 2_000; i++) {
      const ms = Math.floor(r.next() * 2 ** 44);
      const hi = r.nextU32() * 4 + (r.nextU32() & 3);
      const lo = r.nextU32() * 256 + (r.nextU32() & 255);
      const id = uuidv7(ms, hi, lo);
      expect(id).toMatch(V7);
      expect(parseV7(id)).toEqual({ ms, hi, lo });
    }
  });

  it('sorts by seq for the same time and nonce', () => {
    const nonce = 2 ** 33 + 5;
    const seqs = [1, 2, 9, 10, 255, 256, 65_535, 65_536, 2 ** 32, 2 ** 40 - 1];
    const ids = seqs.map((s) => uuidv7(ts, nonce, s));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts by time first', () => {
    expect(uuidv7(ts, 2 ** 34 - 1, 2 ** 40 - 1) < uuidv7(ts + 1, 0, 0)).toBe(true);
  });

  it('is distinct for distinct (nonce, seq)', () => {
    const ids = new Set<string>();
    const nonces = [0, 1, 2 ** 22 - 1, 2 ** 22, 2 ** 33, 2 ** 34 - 1];
    const seqs = [0, 1, 2, 2 ** 8, 2 ** 32, 2 ** 40 - 1];
    for (const n of nonces) for (const s of seqs) ids.add(uuidv7(ts, n, s));
    expect(ids.size).toBe(nonces.length * seqs.length);
  });
});

describe('IdGenerator', () => {
  it('draws 34-bit nonces reproducibly from its Random', () => {
    const a = new IdGenerator(new SeededRandom(3));
    const b = new IdGenerator(new SeededRandom(3));
    const xs = Array.from({ length: 1_000 }, () => a.nonce());
    expect(Array.from({ length: 1_000 }, () => b.nonce())).toEqual(xs);
    for (const x of xs) expect(Number.isSafeInteger(x) && x >= 0 && x < 2 ** 34).toBe(true);
    expect(xs.some((x) => x >= 2 ** 32)).toBe(true);
  });
});
