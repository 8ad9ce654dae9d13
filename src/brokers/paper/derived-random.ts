/**
 * Derived randomness: a pure integer hash of (seed, key), so the paper broker draws "random"
 * queue positions and latency jitter without any generator state to snapshot or replay.
 */

const GOLDEN = 0x9e3779b9;

/** MurmurHash3's 32-bit finalizer (also splitmix32's output step). */
function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Returns an unsigned 32-bit integer derived from `seed` (any safe integer) and `key`: equal
 * inputs give equal outputs on every run and platform; a change to either scatters the result.
 */
export function derivedU32(seed: number, key: string): number {
  const bits = BigInt.asUintN(64, BigInt(seed));
  const lo = Number(bits & 0xffffffffn);
  const hi = Number(bits >> 32n);
  let h = fmix32(lo ^ GOLDEN) ^ fmix32((hi + GOLDEN) >>> 0);
  // xmur3's string step over the key's UTF-16 code units.
  h = (h ^ key.length) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0xcc9e2d51);
    h = (h << 13) | (h >>> 19);
  }
  return fmix32(h);
}

/** Returns an integer in [0, n) derived from (seed, key); `n` is a positive safe integer. */
export function derivedBelow(seed: number, key: string, n: number): number {
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new RangeError(`derivedBelow: n must be a positive safe integer, received ${String(n)}`);
  }
  return Number((BigInt(derivedU32(seed, key)) * BigInt(n)) >> 32n);
}
