/**
 * The benchmark's goals (issue 16, README "Benchmark"): each measured figure beside its target
 * and, where there is one, the baseline measured in the same run. Printed as a table and written
 * to the results file; never asserted by a test.
 */
export interface Goal {
  readonly goal: string;
  /** What is measured, in `unit`; null when the figure could not be measured in this run. */
  readonly value: number | null;
  readonly unit: string;
  /** The target, in `unit`, and whether above (`min`) or below (`max`) it is met. */
  readonly target: number;
  readonly kind: 'min' | 'max';
  readonly baseline?: string;
  /** How the figure was taken (median of N runs, one run...). */
  readonly how: string;
}

export function met(g: Goal): boolean | null {
  if (g.value === null) return null;
  return g.kind === 'min' ? g.value >= g.target : g.value < g.target;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmt = (v: number) =>
  Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toPrecision(3)));

/** The goals as a plain-text table. */
export function goalsTable(goals: readonly Goal[]): string {
  const rows = goals.map((g) => {
    const m = met(g);
    return [
      g.goal,
      g.value === null ? 'not measured' : `${fmt(g.value)} ${g.unit}`,
      `${g.kind === 'min' ? '>=' : '<'} ${fmt(g.target)}`,
      m === null ? '-' : m ? 'met' : 'NOT met',
      g.how + (g.baseline ? `; ${g.baseline}` : ''),
    ];
  });
  const head = ['goal', 'measured', 'target', '', 'how (baseline)'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(width[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}
