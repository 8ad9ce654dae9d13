/** What differs between the code a run recorded (RunStarted) and the code STRATEGIES_DIR holds now. */
import type { RunStarted } from '../../model/index.js';
import type { StrategyRegistry } from '../../strategies/index.js';

/** One file of one strategy whose contents differ; null: no such file (then or now). */
export interface CodeChange {
  readonly strategyId: string;
  /** Relative to STRATEGIES_DIR. */
  readonly path: string;
  /** SHA-256 the run recorded. */
  readonly recorded: string | null;
  /** SHA-256 of the file now. */
  readonly current: string | null;
}

type CodeMap = Readonly<Record<string, string>>;

/** The paths whose SHA-256 differs between two code maps (one absent counts), in order. */
export function changedPaths(was: CodeMap = {}, now: CodeMap = {}): string[] {
  return [...new Set([...Object.keys(was), ...Object.keys(now)])]
    .sort()
    .filter((p) => was[p] !== now[p]);
}

/** The files whose contents differ from what `run` recorded, per strategy, in path order. */
export function codeChanges(run: RunStarted, registry: StrategyRegistry): CodeChange[] {
  const out: CodeChange[] = [];
  for (const s of run.strategies) {
    const recorded = s.code ?? {};
    const current = registry.code(s.type, s.params) ?? {};
    for (const path of changedPaths(recorded, current))
      out.push({
        strategyId: s.id,
        path,
        recorded: recorded[path] ?? null,
        current: current[path] ?? null,
      });
  }
  return out;
}
