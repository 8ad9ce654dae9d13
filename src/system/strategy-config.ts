/** A strategy's configuration and its checks before the strategy actor starts. */
import { didYouMean, unknownParameters } from '../config/index.js';
import type { BrokerName, Instrument, StrategyConfig } from '../model/index.js';
import {
  NO_FILES,
  type AnyStrategyDefinition,
  type StrategyRegistry,
} from '../strategies/index.js';

/** The definition of `type`, or the registry's error with the nearest known type. */
function lookup(
  registry: StrategyRegistry,
  type: string,
): { ok: true; value: AnyStrategyDefinition } | { ok: false; error: string } {
  const def = registry.lookup(type);
  if (def.ok) return def;
  // A type whose file is broken is not misspelled: its file's error says what to fix.
  const broken = registry.brokenTypes().some((b) => b.type === type);
  return {
    ok: false,
    error: broken ? def.error : `${def.error}${didYouMean(type, registry.types())}`,
  };
}

/**
 * For a strategy that reads files (a model), starts its state once with these parameters, as its
 * actor will on its first tick: a file that is absent or does not fit (a model whose feature
 * count differs) refuses the configuration when the run starts or the change is asked for,
 * naming the file, instead of faulting the actor on its ticks. Other strategies start on their
 * first tick as always.
 */
function initProblem(def: AnyStrategyDefinition, params: unknown): string | null {
  if (def.files === undefined) return null;
  try {
    def.init(params, NO_FILES);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Checks a configuration against the registry, the instruments and the active brokers. Returns
 * what is wrong and how to fix it, or null; a bad configuration fails that strategy only.
 */
export function checkStrategyConfig(
  cfg: StrategyConfig,
  registry: StrategyRegistry,
  instruments: readonly Instrument[],
  activeBrokers: readonly BrokerName[],
): string | null {
  const def = lookup(registry, cfg.type);
  if (!def.ok) return `strategy ${cfg.id}: ${def.error}`;
  const parsed = def.value.params.safeParse(cfg.params);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return `strategy ${cfg.id}: invalid parameters: ${issues.join('; ')}`;
  }
  const refused = initProblem(def.value, parsed.data);
  if (refused !== null) return `strategy ${cfg.id}: cannot start: ${refused}`;
  const known = new Set(instruments.map((i) => i.token));
  const unknown = cfg.instruments.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    return `strategy ${cfg.id}: unknown instrument token(s) ${unknown.join(', ')}; add them to config/instruments.csv`;
  }
  const missing = cfg.brokers.filter((b) => !activeBrokers.includes(b));
  if (missing.length > 0)
    return `strategy ${cfg.id}: broker(s) ${missing.join(', ')} not active (ACTIVE_BROKERS)`;
  return null;
}

/**
 * Checks a configuration change for a running strategy. Only `enabled` and the parameters change
 * live: type, instruments and brokers shape the supervision tree and the tick routes, so they
 * take a restart, as does a strategy that was not configured (or did not start) at start. A
 * parameter name the type does not declare is refused, naming the nearest one it does.
 * Returns the parsed parameters, or what is wrong and how to fix it.
 */
export function checkLiveChange(
  was: StrategyConfig | undefined,
  cfg: StrategyConfig,
  registry: StrategyRegistry,
  startProblem: string | undefined,
): { ok: true; params: unknown } | { ok: false; error: string } {
  if (!was)
    return {
      ok: false,
      error: `strategy ${cfg.id} was not configured at start; restart to add it`,
    };
  if (startProblem !== undefined)
    return { ok: false, error: `${startProblem}; fix it and restart` };
  const same = (a: readonly unknown[], b: readonly unknown[]) =>
    a.length === b.length && a.every((x, i) => x === b[i]);
  if (
    cfg.type !== was.type ||
    !same(cfg.instruments, was.instruments) ||
    !same(cfg.brokers, was.brokers)
  )
    return {
      ok: false,
      error: `strategy ${cfg.id}: type, instruments and brokers change only with a restart; enabled and parameters change live`,
    };
  const def = lookup(registry, cfg.type);
  if (!def.ok) return { ok: false, error: def.error };
  // A misspelled parameter would otherwise be dropped by the schema and the default used.
  const unknown = unknownParameters(cfg.type, cfg.params, registry);
  if (unknown !== null)
    return { ok: false, error: `strategy ${cfg.id}: invalid parameters: ${unknown}` };
  const parsed = def.value.params.safeParse(cfg.params);
  if (!parsed.success) {
    const what = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, error: `strategy ${cfg.id}: invalid parameters: ${what.join('; ')}` };
  }
  const refused = initProblem(def.value, parsed.data);
  if (refused !== null) return { ok: false, error: `strategy ${cfg.id}: cannot start: ${refused}` };
  // The files a strategy reads are recorded, by hash, in the run's RunStarted: parameters that
  // would make it read others (another model_path) take a restart, so the record stays whole.
  const before = registry.code(was.type, was.params) ?? {};
  const after = registry.code(cfg.type, parsed.data) ?? {};
  const files = (m: Readonly<Record<string, string>>) => Object.keys(m).sort().join(', ');
  if (files(before) !== files(after))
    return {
      ok: false,
      error: `strategy ${cfg.id}: these parameters make it read ${files(after) || 'no file'} instead of ${files(before) || 'no file'}; a change of the files a strategy reads takes a restart`,
    };
  return { ok: true, params: parsed.data };
}
