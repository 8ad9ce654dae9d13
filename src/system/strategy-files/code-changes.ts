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

/** The files whose contents differ from what `run` recorded, per strategy, in path order. */
export function codeChanges(run: RunStarted, registry: StrategyRegistry): CodeChange[] {
  const out: CodeChange[] = [];
  for (const s of run.strategies) {
    const recorded = s.code ?? {};
    const current = registry.code(s.type, s.params) ?? {};
    const paths = [...new Set([...Object.keys(recorded), ...Object.keys(current)])].sort();
    for (const path of paths) {
      const r = recorded[path] ?? null;
      const c = current[path] ?? null;
      if (r !== c) out.push({ strategyId: s.id, path, recorded: r, current: c });
    }
  }
  return out;
}
