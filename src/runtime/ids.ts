/** Randomness and ids: the only module that draws entropy (ARCHITECTURE invariant 1). */
import { randomBytes } from 'node:crypto';

/** A random source. Seeded in tests, backtests and replay; seeded from entropy once in a live run. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** Standard normal variate. */
  normal(): number;
  /** An independent stream derived from this one and `label` (stable for a given seed). */
  fork(label: string): Random;
}

/** sfc32 seeded through splitmix32: fast, 128-bit state, good statistical quality. */
export class SeededRandom implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    let s = this.seed;
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.nextU32() / 4294967296;
  }

  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }

  fork(label: string): Random {
    let h = this.seed ^ 0x811c9dc5;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new SeededRandom(h >>> 0);
  }
}

/**
 * `n` bytes of the operating system's entropy, for secrets only (an encryption nonce): never for
 * anything a run derives, which takes a Random.
 */
export function secretBytes(n: number): Buffer {
  return randomBytes(n);
}

/** A seed drawn from the operating system's entropy, for a live run that was given none. */
export function entropySeed(): number {
  return randomBytes(4).readUInt32BE(0);
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Builds a UUIDv7 (RFC 9562) from a time in epoch ms and 74 bits given as `hi` (up to 2^34) and
 * `lo` (up to 2^40). Journal records use hi = the journal's nonce and lo = the record's seq, so
 * ids are unique, time-ordered and derived rather than stored.
 */
export function uuidv7(tsMs: number, hi: number, lo: number): string {
  const b = new Array<number>(16);
  let t = Math.max(0, Math.floor(tsMs));
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  // 12 bits rand_a <- top 12 bits of hi (hi is 34 bits); 62 bits rand_b <- low 22 bits of hi + 40 bits of lo.
  const hiTop = Math.floor(hi / 2 ** 22) & 0xfff;
  const hiLow = hi % 2 ** 22;
  b[6] = 0x70 | (hiTop >>> 8);
  b[7] = hiTop & 0xff;
  // rand_b: 2 variant bits + 62 bits = hiLow (22 bits) then lo (40 bits)
  b[8] = 0x80 | ((hiLow >>> 16) & 0x3f);
  b[9] = (hiLow >>> 8) & 0xff;
  b[10] = hiLow & 0xff;
  let l = lo;
  for (let i = 15; i >= 11; i--) {
    b[i] = l % 256;
    l = Math.floor(l / 256);
  }
  const h = b.map((x) => HEX[x]!);
  return `${h.slice(0, 4).join('')}-${h.slice(4, 6).join('')}-${h.slice(6, 8).join('')}-${h.slice(8, 10).join('')}-${h.slice(10).join('')}`;
}

/** Generates the ids the runtime needs; all derive from a Random so a seed reproduces them. */
export class IdGenerator {
  constructor(private readonly random: Random) {}
  /** A 34-bit nonce that tells one journal's ids from another's. */
  nonce(): number {
    return this.random.nextU32() * 4 + (this.random.nextU32() & 3);
  }
}
