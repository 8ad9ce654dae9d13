/**
 * The strategy reference: Markdown generated from the strategies' own parameter schemas (the ones
 * that validate a configuration), so the documented defaults and bounds cannot drift from them.
 */
import { z } from 'zod';
import { LIBRARY_STRATEGIES } from './library.js';
import {
  BREAKOUT_FEATURES,
  LOGISTIC_FORMAT,
  MEAN_REVERSION_FEATURES,
  MOMENTUM_FEATURES,
  TREES_FORMAT,
} from './model/index.js';
import { BUILT_IN_STRATEGIES } from './registry.js';
import type { AnyStrategyDefinition } from './strategy.js';

/** The JSON Schema subset a parameter schema produces. */
interface Json {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  properties?: Record<string, Json>;
  required?: string[];
  anyOf?: Json[];
}

/** JSON Schema's bound for z.number().int(): not a bound anyone chose. */
const SAFE = Number.MAX_SAFE_INTEGER;

const code = (v: unknown) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(j: Json): string {
  if (j.enum) return j.enum.map(code).join(' | ');
  if (j.anyOf) return j.anyOf.map(typeOf).join(' or ');
  return j.type ?? 'any';
}

function boundsOf(j: Json): string {
  const b: string[] = [];
  if (j.minimum !== undefined && j.minimum !== -SAFE) b.push(`≥ ${j.minimum}`);
  if (j.exclusiveMinimum !== undefined) b.push(`> ${j.exclusiveMinimum}`);
  if (j.maximum !== undefined && j.maximum !== SAFE) b.push(`≤ ${j.maximum}`);
  if (j.exclusiveMaximum !== undefined) b.push(`< ${j.exclusiveMaximum}`);
  if (j.minLength !== undefined && j.minLength > 0) b.push(`non-empty`);
  return b.join(', ');
}

/** One row of cells per parameter, nested objects' fields as `parent.field` after their parent. */
function rows(props: Record<string, Json>, required: readonly string[], prefix = ''): string[][] {
  const out: string[][] = [];
  for (const [name, j] of Object.entries(props)) {
    const nested = j.type === 'object' && j.properties !== undefined;
    const dflt =
      nested && j.default !== undefined
        ? 'each field’s'
        : j.default !== undefined
          ? code(j.default)
          : required.includes(name)
            ? 'required'
            : 'absent';
    const meaning = j.description ?? '(undocumented)';
    out.push([`\`${prefix}${name}\``, nested ? 'object' : typeOf(j), dflt, boundsOf(j), meaning]);
    if (nested) out.push(...rows(j.properties!, j.required ?? [], `${prefix}${name}.`));
  }
  return out;
}

/** A Markdown table with its columns padded to their widest cell (as Prettier prints one). */
function table(header: readonly string[], body: readonly string[][]): string[] {
  const all = [header, ...body].map((r) => r.map(cell));
  const width = header.map((_, c) => Math.max(3, ...all.map((r) => [...r[c]!].length)));
  const line = (r: readonly string[]) =>
    `| ${r.map((x, c) => x + ' '.repeat(width[c]! - [...x].length)).join(' | ')} |`;
  return [line(all[0]!), line(width.map((w) => '-'.repeat(w))), ...all.slice(1).map(line)];
}

/** The Markdown section of one strategy type: its summary and its parameter table. */
export function strategySection(def: AnyStrategyDefinition): string {
  const j = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as Json;
  const lines = [`## \`${def.type}\``, '', def.summary ?? '(no summary)', ''];
  if (j.properties === undefined || Object.keys(j.properties).length === 0) {
    lines.push('No parameters.');
  } else {
    const header = ['parameter', 'type', 'default', 'bounds', 'meaning'];
    lines.push(...table(header, rows(j.properties, j.required ?? [])));
  }
  return lines.join('\n');
}

/** The reference of the given strategy types, sorted by type: a heading, then a section each. */
export function strategyReference(defs: readonly AnyStrategyDefinition[]): string {
  const sorted = [...defs].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  return [
    '# Strategy reference',
    '',
    'Generated from the parameter schemas that validate each strategy configuration ' +
      '(`parameters` in config/strategies.yaml or the strategy_configurations table); print it ' +
      'with `node dist/main.js strategies`. Prices are in paise, quantities in shares; history ' +
      'is kept per instrument; a strategy never emits HOLD, and its confidence is in [0, 1].',
    '',
    sorted.map((d) => `- [\`${d.type}\`](#${d.type})`).join('\n'),
    '',
    ...sorted.flatMap((d) => [strategySection(d), '']),
  ].join('\n');
}

/** Every built-in type, the library included, once each (the registry's list, before or after it holds the library). */
export function referenceStrategies(): AnyStrategyDefinition[] {
  const byType = new Map<string, AnyStrategyDefinition>();
  for (const d of [...BUILT_IN_STRATEGIES, ...LIBRARY_STRATEGIES]) {
    if (!byType.has(d.type)) byType.set(d.type, d);
  }
  return [...byType.values()];
}

const featureList = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');

/** The model file formats, for the reference's last section. */
export const MODEL_FILES_SECTION = [
  '## Model files',
  '',
  'The model strategies read a JSON model from `model_path` under STRATEGIES_DIR (read once ' +
    'when the run starts; its SHA-256 is journaled). Any program that writes JSON can produce ' +
    'one; `npx tsx scripts/train-models.ts` trains the samples in strategies/models/ on the ' +
    'seeded mock market. Label 1 is a BUY, label 0 a SELL; a signal needs the predicted ' +
    'label’s probability strictly above `confidence_threshold`. A model whose feature count ' +
    'differs from its strategy’s is refused when the strategy starts.',
  '',
  `A logistic regression, \`${LOGISTIC_FORMAT}\`: P(label 1) = 1 / (1 + e^−z), z = bias + ` +
    'Σ weights[i] · (x[i] − mean[i]) / scale[i].',
  '',
  '```json',
  '{',
  '  "format": "alpha-panda.logistic/1",',
  '  "features": ["zscore", "price", "volatility", "window"],',
  '  "weights": [-0.5, 0.01, 0, 0],',
  '  "bias": 0,',
  '  "mean": [0, 200000, 0.0005, 20],',
  '  "scale": [1.1, 67000, 0.0001, 1]',
  '}',
  '```',
  '',
  `A tree ensemble, \`${TREES_FORMAT}\` (what boosting and forest libraries export): each ` +
    'tree starts at node 0 and goes `left` when x[feature] ≤ threshold, else `right`, children ' +
    'after their parent. `sum_logit`: P(label 1) = 1 / (1 + e^−(base + Σ leaf values)); ' +
    '`mean_probability`: the mean of the leaf values, each a probability.',
  '',
  '```json',
  '{',
  '  "format": "alpha-panda.trees/1",',
  '  "features": ["zscore", "price", "volatility", "window"],',
  '  "combine": "sum_logit",',
  '  "base": 0,',
  '  "trees": [',
  '    {',
  '      "nodes": [',
  '        { "feature": 0, "threshold": 2, "left": 1, "right": 2 },',
  '        { "value": 0 },',
  '        { "value": -3 }',
  '      ]',
  '    }',
  '  ]',
  '}',
  '```',
  '',
  'Features, in order (prices in paise):',
  '',
  `- \`ml_momentum\`: ${featureList(MOMENTUM_FEATURES.names)}`,
  `- \`ml_mean_reversion\`: ${featureList(MEAN_REVERSION_FEATURES.names)}`,
  `- \`ml_breakout\`: ${featureList(BREAKOUT_FEATURES.names)}`,
  '',
].join('\n');

/** The whole reference of the built-in types, as docs/strategies.md holds it. */
export function libraryReference(): string {
  return `${strategyReference(referenceStrategies())}\n${MODEL_FILES_SECTION}`;
}
