/**
 * Sweep specifications: `strategy.<id>.<param>=a..b:step` (a range, both ends included) or
 * `strategy.<id>.<param>=5,8,13` (a list); several make a grid, the product of their values.
 */
import { nearest } from '../../config/index.js';
import type { StrategyConfig } from '../../model/index.js';
import { ConfigError } from '../../runtime/index.js';

export interface SweepAxis {
  /** `strategy.<id>.<param>`. */
  readonly key: string;
  readonly strategyId: string;
  readonly param: string;
  readonly values: readonly number[];
}

/** One point of the grid: `strategy.<id>.<param>` → value. */
export type ParamSet = Readonly<Record<string, number>>;

/** The grid is refused above this many sets (a typo in a step should not start a million runs). */
export const MAX_SWEEP_SETS = 10_000;

const SPEC = /^strategy\.([^.=]+)\.([^.=]+)=(.+)$/;

function decimals(s: string): number {
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

function num(spec: string, s: string): number {
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n))
    throw new ConfigError(`--sweep ${spec}: ${JSON.stringify(s)} is not a number`);
  return n;
}

/** Parses one `--sweep` value against the run's strategies. */
export function parseSweepAxis(spec: string, strategies: readonly StrategyConfig[]): SweepAxis {
  const m = SPEC.exec(spec);
  if (m === null)
    throw new ConfigError(
      `--sweep: received ${JSON.stringify(spec)}; write strategy.<id>.<param>=a..b:step or strategy.<id>.<param>=5,8,13`,
    );
  const [, id, param, range] = m as unknown as [string, string, string, string];
  if (!strategies.some((s) => s.id === id)) {
    const near = nearest(
      id,
      strategies.map((s) => s.id),
    );
    throw new ConfigError(
      `--sweep ${spec}: no strategy "${id}"${near ? `; did you mean "${near}"?` : ''} (strategies: ${strategies.map((s) => s.id).join(', ')})`,
    );
  }
  let values: number[];
  const r = /^(-?[\d.]+)\.\.(-?[\d.]+):([\d.]+)$/.exec(range);
  if (r) {
    const [a, b, step] = [num(spec, r[1]!), num(spec, r[2]!), num(spec, r[3]!)];
    if (step <= 0 || b < a)
      throw new ConfigError(`--sweep ${spec}: need a <= b and a step above 0`);
    const places = Math.max(decimals(r[1]!), decimals(r[3]!));
    const count = Math.floor((b - a) / step + 1e-9) + 1;
    if (count > MAX_SWEEP_SETS)
      throw new ConfigError(`--sweep ${spec}: ${count} values; at most ${MAX_SWEEP_SETS}`);
    values = Array.from({ length: count }, (_, i) => Number((a + i * step).toFixed(places)));
  } else values = range.split(',').map((v) => num(spec, v));
  return { key: `strategy.${id}.${param}`, strategyId: id, param, values };
}

/** The grid of the axes: every combination, the first axis varying slowest. */
export function sweepGrid(axes: readonly SweepAxis[]): ParamSet[] {
  let sets: Record<string, number>[] = [{}];
  for (const a of axes) sets = sets.flatMap((s) => a.values.map((v) => ({ ...s, [a.key]: v })));
  if (sets.length > MAX_SWEEP_SETS)
    throw new ConfigError(`--sweep: the grid has ${sets.length} sets; at most ${MAX_SWEEP_SETS}`);
  return sets;
}

/** The strategies with one set's parameters in place. */
export function applyParamSet(
  strategies: readonly StrategyConfig[],
  set: ParamSet,
): StrategyConfig[] {
  return strategies.map((s) => {
    const mine = Object.entries(set).filter(([k]) => k.startsWith(`strategy.${s.id}.`));
    if (mine.length === 0) return s;
    const params = { ...s.params };
    for (const [k, v] of mine) params[k.slice(`strategy.${s.id}.`.length)] = v;
    return { ...s, params };
  });
}
