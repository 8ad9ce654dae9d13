/**
 * Reads a Prometheus histogram out of a text exposition and estimates its quantiles the way
 * PromQL's histogram_quantile does: the rank's bucket is found from the cumulative counts and the
 * value is interpolated linearly between the bucket's bounds (so it is an estimate, exact only to
 * the bucket's width).
 */

/** A histogram's cumulative buckets: upper bound (seconds, Infinity last) and count at or below. */
export interface Buckets {
  readonly le: readonly number[];
  readonly cumulative: readonly number[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The labels of one sample's `{...}` part. */
function labelsOf(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (text === undefined) return out;
  for (const m of text.matchAll(LABEL)) out.set(m[1]!, m[2]!);
  return out;
}

/**
 * The buckets of histogram `name` (without `_bucket`) whose labels include `match`, summed over
 * any other labels; null when no sample matches.
 */
export function bucketsOf(
  exposition: string,
  name: string,
  match: Readonly<Record<string, string>>,
): Buckets | null {
  const byLe = new Map<number, number>();
  for (const line of exposition.split('\n')) {
    const m = SAMPLE.exec(line);
    if (m === null || m[1] !== `${name}_bucket`) continue;
    const labels = labelsOf(m[2]);
    if (!Object.entries(match).every(([k, v]) => labels.get(k) === v)) continue;
    const le = labels.get('le');
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    byLe.set(bound, (byLe.get(bound) ?? 0) + Number(m[3]));
  }
  if (byLe.size === 0) return null;
  const le = [...byLe.keys()].sort((a, b) => a - b);
  return { le, cumulative: le.map((b) => byLe.get(b)!) };
}

/** How many observations the histogram holds (its +Inf bucket). */
export function countOf(b: Buckets): number {
  return b.cumulative.at(-1) ?? 0;
}

/**
 * The q-quantile (0 < q < 1) in the histogram's unit, interpolated linearly within its bucket
 * (from 0 for the first bucket); NaN for an empty histogram. A rank in the +Inf bucket returns
 * the highest finite bound, as histogram_quantile does: the true value is above it.
 */
export function quantile(b: Buckets, q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`q must be between 0 and 1, received ${q}`);
  const total = countOf(b);
  if (total === 0) return NaN;
  const rank = q * total;
  for (let i = 0; i < b.le.length; i++) {
    const upTo = b.cumulative[i]!;
    if (upTo < rank) continue;
    const upper = b.le[i]!;
    if (upper === Infinity) return b.le[i - 1] ?? 0;
    const lower = i === 0 ? 0 : b.le[i - 1]!;
    const before = i === 0 ? 0 : b.cumulative[i - 1]!;
    const inBucket = upTo - before;
    return inBucket === 0 ? upper : lower + ((upper - lower) * (rank - before)) / inBucket;
  }
  return b.le.at(-2) ?? 0;
}
