/** Suggestions for misspelled names: the nearest of the valid ones by edit distance. */

/**
 * The optimal-string-alignment distance (Damerau-Levenshtein without repeated edits of one
 * substring): insertions, deletions, substitutions and swaps of two neighbours each cost 1.
 * With `prefix`, the distance from `a` to the nearest prefix of `b` (an abbreviation of `b`).
 */
export function editDistance(a: string, b: string, prefix = false): number {
  // Rows i-2, i-1 and i of the (a.length + 1) × (b.length + 1) table.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      row[j] = d;
    }
    before = prev;
    prev = row;
  }
  return prefix ? Math.min(...prev) : prev[b.length]!;
}

export interface NearestOptions {
  /**
   * The largest distance still suggested, for each candidate; by default a third of the name's
   * length, at least 1 (so a name of 1 to 5 characters may be 1 edit off, 6 to 8 two).
   */
  readonly maxDistance?: number | ((candidate: string) => number);
  /**
   * Also takes the name as an abbreviation of a candidate (`RISK__MAX_POSITON` for
   * `RISK__MAX_POSITION_PER_INSTRUMENT`), at one edit more than its distance to that prefix.
   */
  readonly abbreviations?: boolean;
}

/**
 * The candidate nearest to `name`, or undefined when none is within the allowed distance. Ties
 * go to the earlier candidate; an exact match is returned as is.
 */
export function nearest(
  name: string,
  candidates: Iterable<string>,
  options: NearestOptions = {},
): string | undefined {
  const limit = options.maxDistance ?? Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    let score = editDistance(name, c);
    if (options.abbreviations && name.length < c.length)
      score = Math.min(score, editDistance(name, c, true) + 1);
    const max = typeof limit === 'function' ? limit(c) : limit;
    if (score <= max && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** `; did you mean "x"?` for the nearest candidate (quoted by `quote`), or an empty string. */
export function didYouMean(
  name: string,
  candidates: Iterable<string>,
  quote: (s: string) => string = (s) => JSON.stringify(s),
  options?: NearestOptions,
): string {
  const n = nearest(name, candidates, options);
  return n === undefined ? '' : `; did you mean ${quote(n)}?`;
}

/**
 * `unknown key "x"; did you mean "y"?` for each of `names` not in `known` (each called a `what`),
 * listing every known one when none is near (by `options`); null when all are known.
 */
export function unknownNames(
  names: Iterable<string>,
  known: readonly string[],
  what = 'key',
  options?: NearestOptions,
): string | null {
  const unknown = [...names].filter((k) => !known.includes(k));
  if (unknown.length === 0) return null;
  const each = unknown.map((k) => {
    const hint = didYouMean(k, known, undefined, options);
    return `unknown ${what} ${JSON.stringify(k)}${hint === '' ? `; the ${what}s are ${known.join(', ')}` : hint}`;
  });
  return each.join('; ');
}
