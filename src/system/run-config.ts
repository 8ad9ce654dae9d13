/**
 * Whether the journal's last run can go on with this process's configuration. The run's
 * configuration is its RunStarted as the live changes after it left it (each StrategyConfigured
 * sets a strategy's enabled flag and parameters). When only those differ from what this process
 * was given (a row edited while the daemon was down, say), the run is recovered and the changes
 * are applied to it as live inputs, so positions and cash carry over; anything else (instruments,
 * strategies added, removed or retyped, brokers, the restart budget, machine versions) starts a
 * new run. So does a change to a strategy's code (its file in STRATEGIES_DIR or a model it reads,
 * by SHA-256): the old run's state was made by the old code, so it is never continued by new code.
 */
import { changedPaths } from './strategy-files/index.js';
import { checkStrategyConfig } from './strategy-config.js';
import { versionProblem } from './versions.js';
import {
  strategyId as toStrategyId,
  type RunStarted,
  type StrategyConfigured,
  type StrategySpec,
} from '../model/index.js';
import { StrategyRegistry } from '../strategies/index.js';

export type RunComparison =
  | { readonly kind: 'same' }
  /** Only these strategies' enabled flags or parameters differ: apply them live. */
  | { readonly kind: 'live'; readonly changes: readonly StrategySpec[] }
  | { readonly kind: 'new'; readonly why: string };

/** The run's configuration after the live changes journaled since it started. */
export function effectiveRun(run: RunStarted, changes: readonly StrategyConfigured[]): RunStarted {
  if (changes.length === 0) return run;
  const last = new Map(changes.map((c) => [c.strategyId as string, c]));
  return {
    ...run,
    strategies: run.strategies.map((s) => {
      const c = last.get(s.id);
      return c ? { ...s, enabled: c.enabled, params: c.params as StrategySpec['params'] } : s;
    }),
  };
}

export function compareRuns(
  recorded: RunStarted,
  current: RunStarted,
  registry = new StrategyRegistry(),
): RunComparison {
  const versions = versionProblem(recorded.machines);
  if (versions !== null) return { kind: 'new', why: versions };
  // Parameters compare after their schema's defaults, as a live change journals them.
  const params = (s: StrategySpec): unknown => {
    const def = registry.lookup(s.type);
    const parsed = def.ok ? def.value.params.safeParse(s.params) : null;
    return parsed?.success ? parsed.data : s.params;
  };
  const frame = (r: RunStarted) =>
    JSON.stringify([
      r.instruments,
      r.strategies.map((s) => [s.id, s.type, s.instruments, s.brokers]),
      r.brokers,
      r.budget,
    ]);
  const code = codeDifference(recorded, current);
  if (code !== null) return { kind: 'new', why: code };
  if (frame(recorded) !== frame(current))
    return {
      kind: 'new',
      why: 'the configuration (instruments, strategies, their types, instruments or brokers, the brokers or the restart budget) changed since it started',
    };
  const changes = current.strategies.filter((s, i) => {
    const r = recorded.strategies[i]!;
    return s.enabled !== r.enabled || JSON.stringify(params(s)) !== JSON.stringify(params(r));
  });
  // A strategy the run rejected at its start never ran: a fix to it takes a new run.
  const brokers = recorded.brokers.map((b) => b.name);
  for (const s of changes) {
    const r = recorded.strategies.find((x) => x.id === s.id)!;
    const cfg = { ...r, id: toStrategyId(r.id), instruments: r.instruments as never };
    const problem = checkStrategyConfig(cfg, registry, recorded.instruments, brokers);
    if (problem !== null)
      return {
        kind: 'new',
        why: `strategy ${s.id} was rejected when the run started (${problem})`,
      };
  }
  return changes.length === 0 ? { kind: 'same' } : { kind: 'live', changes };
}

/** Which strategy's code differs between the runs (file → SHA-256), in words; null when none. */
function codeDifference(recorded: RunStarted, current: RunStarted): string | null {
  for (const s of current.strategies) {
    const r = recorded.strategies.find((x) => x.id === s.id);
    if (r === undefined) continue;
    const changed = changedPaths(r.code, s.code);
    if (changed.length > 0)
      return `the code of strategy ${s.id} changed since it started (${changed.join(', ')} in STRATEGIES_DIR)`;
  }
  return null;
}
