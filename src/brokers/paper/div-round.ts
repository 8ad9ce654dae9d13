/** Integer division rounded half away from zero: the one rounding rule of the paper broker's money. */
import { paise, type Paise } from '../../model/index.js';

/**
 * Returns `num / den` rounded half away from zero (2.5 → 3, -2.5 → -3), in exact bigint
 * arithmetic so no product of paise and a rate can lose precision or overflow.
 */
export function divRound(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new RangeError('divRound: division by zero');
  const n = den < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const q = n / d; // bigint division truncates toward zero
  const r = n - q * d; // same sign as n
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice < d) return q;
  return n < 0n ? q - 1n : q + 1n;
}

/** Returns a bigint amount as Paise; throws when it is not a safe integer. */
export function bigPaise(x: bigint): Paise {
  return paise(Number(x));
}

/** Returns `n` as a bigint after checking it is a non-negative safe integer named `what`. */
export function nonNegativeInt(n: number, what: string): bigint {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer, received ${String(n)}`);
  }
  return BigInt(n);
}
