/**
 * The strategies' live configuration: what each strategy runs with now (its start configuration
 * plus every change applied since), and the one way to change it, from the API or from a
 * Postgres row. A change is a journaled input (configureStrategy); with DATABASE_URL, one from the
 * API is written to its row first, so the row and the run agree, and the row's notification,
 * arriving after, finds the change already applied and is not journaled twice.
 */
import type { PgConfigStore, StrategyChange } from '../config/index.js';
import type { StrategyConfig } from '../model/index.js';
import type { StrategyStatus } from './tree-queries.js';
import type { TradingSystem } from './trading-system.js';

/** A strategy as the API shows it: its status and its live configuration. */
export interface StrategyView extends StrategyStatus {
  readonly enabled: boolean;
  readonly params: Readonly<Record<string, unknown>>;
  readonly instruments: readonly number[];
  readonly brokers: readonly string[];
}

/** What an operator may change while the strategy runs. */
export interface StrategyPatch {
  readonly enabled?: boolean;
  readonly params?: Readonly<Record<string, unknown>>;
}

export type ChangeResult =
  | { readonly ok: true; readonly seq: number; readonly strategy: StrategyView }
  | {
      readonly ok: false;
      /** not_found: no such strategy; refused: the change cannot apply live; store: Postgres failed. */
      readonly why: 'not_found' | 'refused' | 'store';
      readonly error: string;
    };

export interface StrategyControl {
  list(): StrategyView[];
  get(id: string): StrategyView | undefined;
  /** Applies `patch` (parameters are merged into the current ones) as a journaled input. */
  change(id: string, patch: StrategyPatch, source: string): Promise<ChangeResult>;
  /**
   * Applies a row from Postgres unless it is what runs already; a FAULTED strategy is revived by a
   * notification (not by a catch-up) even when nothing changed. Returns the input's seq, null
   * when nothing was applied, or the reason it could not be.
   */
  applyRow(change: StrategyChange): { seq: number | null } | { error: string };
}

export function strategyControl(
  system: TradingSystem,
  store: Pick<PgConfigStore, 'updateStrategy'> | null,
): StrategyControl {
  const current = new Map(system.startConfigs().map((c) => [c.id as string, c]));
  const view = (s: StrategyStatus): StrategyView => {
    const c = current.get(s.id);
    return {
      ...s,
      enabled: c?.enabled ?? false,
      params: c?.params ?? {},
      instruments: c?.instruments ?? [],
      brokers: c?.brokers ?? [],
    };
  };
  const get = (id: string) => {
    const s = system.strategies().find((x) => x.id === id);
    return s && view(s);
  };
  const faulted = (id: string) =>
    system.strategies().some((s) => s.id === id && s.status === 'FAULTED');
  const apply = (cfg: StrategyConfig, source: string) => {
    const r = system.configureStrategy(cfg, source);
    if (r.ok) current.set(cfg.id, cfg);
    return r;
  };
  // One change at a time: each merges into what the previous one left, even while that one
  // waits for Postgres, so two operators' changes never overwrite each other.
  let queue: Promise<unknown> = Promise.resolve();
  // The change being written to Postgres: its row's notification may arrive before the write
  // returns, and is that change, not another one.
  const writing = new Map<string, StrategyConfig>();
  const changeNow = async (
    id: string,
    patch: StrategyPatch,
    source: string,
  ): Promise<ChangeResult> => {
    const was = current.get(id);
    if (!was || !system.strategies().some((s) => s.id === id))
      return {
        ok: false,
        why: 'not_found',
        error: `no strategy ${JSON.stringify(id)}; GET /api/v1/strategies lists them`,
      };
    const cfg: StrategyConfig = {
      ...was,
      enabled: patch.enabled ?? was.enabled,
      params: patch.params ? { ...was.params, ...patch.params } : was.params,
    };
    const checked = system.checkStrategyChange(cfg);
    if (!checked.ok) return { ok: false, why: 'refused', error: checked.error };
    if (store) {
      writing.set(id, cfg);
      try {
        await store.updateStrategy(id, cfg.enabled, cfg.params);
      } catch (err) {
        writing.delete(id);
        return {
          ok: false,
          why: 'store',
          error: `the change was not written to Postgres, so nothing changed: ${(err as Error).message}`,
        };
      }
    }
    writing.delete(id);
    const r = apply(cfg, source);
    if (!r.ok) return { ok: false, why: 'refused', error: r.error };
    return { ok: true, seq: r.seq, strategy: get(id)! };
  };
  return {
    list: () => system.strategies().map(view),
    get,
    change(id, patch, source) {
      const r = queue.then(() => changeNow(id, patch, source));
      queue = r.catch(() => undefined);
      return r;
    },
    applyRow(change) {
      const was = current.get(change.id);
      const cfg: StrategyConfig | null = change.config ?? (was ? { ...was, enabled: false } : null);
      if (!cfg) return { seq: null };
      if (was && sameConfig(was, cfg) && (change.catchUp || !faulted(cfg.id))) return { seq: null };
      const pending = writing.get(change.id);
      if (pending && sameConfig(pending, cfg)) return { seq: null };
      const r = apply(cfg, 'config:postgres');
      return r.ok ? { seq: r.seq } : { error: r.error };
    },
  };
}

/** Whether two configurations are the same (parameters compared as JSON, key order aside). */
function sameConfig(a: StrategyConfig, b: StrategyConfig): boolean {
  return canonical(a) === canonical(b);
}

function canonical(c: StrategyConfig): string {
  const { id, type, enabled, brokers, instruments, params } = c;
  return JSON.stringify([id, type, enabled, brokers, instruments, sortKeys(params)]);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sortKeys(o[k])]),
  );
}
