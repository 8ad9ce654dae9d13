/** Money and quantities: integer paise and integer units, never floats (ARCHITECTURE invariant 6). */

declare const PaiseBrand: unique symbol;
declare const QuantityBrand: unique symbol;

/** An amount of Indian rupees in paise (1 rupee = 100 paise); always a safe integer. */
export type Paise = number & { readonly [PaiseBrand]: true };
/** A number of shares; always a safe integer. */
export type Quantity = number & { readonly [QuantityBrand]: true };

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** Returns `n` as Paise; throws when `n` is not a safe integer. */
export function paise(n: number): Paise {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`paise must be a safe integer, received ${String(n)}`);
  }
  return n as Paise;
}

/** Returns `n` as a Quantity; throws when `n` is not a safe integer. */
export function quantity(n: number): Quantity {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`quantity must be a safe integer, received ${String(n)}`);
  }
  return n as Quantity;
}

/** Parses an untrusted value as paise; a result, never a throw (for boundaries). */
export function parsePaise(x: unknown): Result<Paise> {
  return typeof x === 'number' && Number.isSafeInteger(x)
    ? { ok: true, value: x as Paise }
    : { ok: false, error: `expected an integer number of paise, received ${JSON.stringify(x)}` };
}

/** Converts a rupee decimal string ("2450.50", "-3", "0.05") to paise exactly, without floats. */
export function parseRupees(s: string): Result<Paise> {
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(s.trim());
  if (!m)
    return { ok: false, error: `expected rupees like "2450.50", received ${JSON.stringify(s)}` };
  const whole = Number(m[2]);
  const frac = Number((m[3] ?? '').padEnd(2, '0'));
  const v = whole * 100 + frac;
  if (!Number.isSafeInteger(v)) return { ok: false, error: `rupee amount out of range: ${s}` };
  return { ok: true, value: (m[1] ? -v : v) as Paise };
}

/** Formats paise as a rupee decimal string with two places ("-12.05"). */
export function formatRupees(p: Paise | number): string {
  const neg = p < 0;
  const abs = Math.abs(p);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  return `${neg ? '-' : ''}${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

/**
 * Multiplies paise by a rate given in basis points (1 bp = 0.01%) and rounds half away from zero.
 * Integer arithmetic only: `amount * bps / 10000`.
 */
export function applyBps(amount: number, bps: number): Paise {
  const num = amount * bps;
  const q = Math.trunc(num / 10_000);
  const r = num - q * 10_000;
  const twice = Math.abs(r) * 2;
  const out = twice >= 10_000 ? q + Math.sign(num) : q;
  // Math.trunc of a small negative gives -0; money is never -0.
  return paise(out === 0 ? 0 : out);
}

/** Returns `price * qty` in paise, checking that the product stays a safe integer. */
export function notional(price: Paise, qty: Quantity | number): Paise {
  return paise(price * qty);
}
