/** Reads strategy configurations from `config/strategies.yaml`, the original's YAML keys included. */
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { BROKERS, parseStrategyId } from '../model/index.js';
import { ConfigError } from '../runtime/index.js';
import { unknownNames } from './nearest.js';
import { unknownParameters } from './strategy-params.js';

export const StrategyFileEntry = z.object({
  id: z
    .string()
    .refine((s) => parseStrategyId(s).ok, 'must be 1-64 characters of a-z, 0-9, _ or -'),
  type: z.string().min(1),
  enabled: z.boolean().default(true),
  brokers: z.array(z.enum(BROKERS)).min(1).default(['paper']),
  instruments: z.array(z.number().int().positive()).min(1),
  parameters: z.record(z.string(), z.unknown()).default({}),
});

/** The keys of an entry: the schema's, then the original's names for id, type and instruments. */
const ENTRY_KEYS = [
  ...Object.keys(StrategyFileEntry.shape),
  'strategy_name',
  'strategy_type',
  'instrument_tokens',
];
const FILE_KEYS = ['strategies'];

const FileSchema = z.object({ strategies: z.array(z.unknown()) });

export interface StrategyFileConfig {
  readonly id: string;
  readonly type: string;
  readonly enabled: boolean;
  readonly brokers: readonly ('paper' | 'zerodha')[];
  readonly instruments: readonly number[];
  readonly params: Record<string, unknown>;
}

const isMapping = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** `unknown key "x"; did you mean "y"?` for each key not in `known` (a `what`), or null. */
const unknownKeys = (value: Record<string, unknown>, known: readonly string[], what = 'key') =>
  unknownNames(Object.keys(value), known, what);

/**
 * Parses the YAML text. Accepts `strategy_name`/`strategy_type`/`instrument_tokens` as the
 * original wrote them. Throws ConfigError for a malformed file or entry, naming the entry, and
 * for an unknown key or parameter name, naming the nearest valid one.
 */
export function parseStrategiesYaml(
  text: string,
  source = 'strategies.yaml',
): StrategyFileConfig[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${source}: not valid YAML: ${String(err)}`);
  }
  const topLevel = isMapping(doc) ? unknownKeys(doc, FILE_KEYS, 'top-level key') : null;
  if (topLevel !== null) throw new ConfigError(`${source}: ${topLevel}`);
  const file = FileSchema.safeParse(doc);
  if (!file.success) throw new ConfigError(`${source}: expected a top-level "strategies:" list`);
  const seen = new Set<string>();
  return file.data.strategies.map((raw, i) => {
    const r = raw ?? {};
    if (!isMapping(r))
      throw new ConfigError(
        `${source}: strategy #${i + 1}: expected a mapping of ${ENTRY_KEYS.slice(0, 6).join(', ')}`,
      );
    const normalized = {
      id: r.id ?? r.strategy_name,
      type: r.type ?? r.strategy_type,
      enabled: r.enabled,
      brokers: r.brokers,
      instruments: r.instruments ?? r.instrument_tokens,
      parameters: r.parameters,
    };
    const entry = `${source}: strategy #${i + 1} (${String(normalized.id ?? '?')})`;
    const keys = unknownKeys(r, ENTRY_KEYS);
    if (keys !== null) throw new ConfigError(`${entry}: ${keys}`);
    const e = StrategyFileEntry.safeParse(normalized);
    if (!e.success) {
      const what = e.error.issues
        .map((x) => `${x.path.join('.') || '(entry)'}: ${x.message}`)
        .join('; ');
      throw new ConfigError(`${entry}: ${what}`);
    }
    const params = unknownParameters(e.data.type, e.data.parameters);
    if (params !== null) throw new ConfigError(`${entry}: parameters: ${params}`);
    if (seen.has(e.data.id))
      throw new ConfigError(`${source}: strategy id ${e.data.id} appears twice`);
    seen.add(e.data.id);
    return {
      id: e.data.id,
      type: e.data.type,
      enabled: e.data.enabled,
      brokers: e.data.brokers,
      instruments: e.data.instruments,
      params: e.data.parameters,
    };
  });
}
