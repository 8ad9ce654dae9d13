import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LIBRARY_STRATEGIES } from './library.js';
import {
  libraryReference,
  referenceStrategies,
  strategyReference,
  strategySection,
} from './reference.js';
import { MEAN_REVERSION_FEATURES, parseModel } from './model/index.js';
import { BUILT_IN_STRATEGIES } from './registry.js';
import { NO_FILES, type StrategyDefinition } from './strategy.js';

const DOC = join(import.meta.dirname, '..', '..', 'docs', 'strategies.md');
const REGENERATE =
  'regenerate it: npm run build && node dist/main.js strategies > docs/strategies.md';

interface J {
  description?: string;
  properties?: Record<string, J>;
}

/** Every parameter's JSON Schema, nested ones by `parent.child`. */
function params(schema: z.ZodType): Array<[string, J]> {
  const walk = (props: Record<string, J>, prefix: string): Array<[string, J]> =>
    Object.entries(props).flatMap(([k, j]): Array<[string, J]> => [
      [`${prefix}${k}`, j],
      ...(j.properties ? walk(j.properties, `${prefix}${k}.`) : []),
    ]);
  return walk((z.toJSONSchema(schema, { io: 'input' }) as J).properties ?? {}, '');
}

describe('the strategy reference', () => {
  it('docs/strategies.md is the generated reference', () => {
    expect(readFileSync(DOC, 'utf8'), REGENERATE).toBe(libraryReference());
  });

  it('is as Prettier prints it (format:check passes on docs/)', async () => {
    const text = libraryReference();
    expect(await format(text, { parser: 'markdown', printWidth: 100 })).toBe(text);
  });

  it('covers every built-in and library type once, each with a summary and documented parameters', () => {
    const defs = referenceStrategies();
    const types = defs.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const d of [...BUILT_IN_STRATEGIES, ...LIBRARY_STRATEGIES])
      expect(types).toContain(d.type);
    expect([...types].sort()).toEqual([
      'ema_cross',
      'hybrid_mean_reversion',
      'hybrid_momentum',
      'low_frequency_demo',
      'mean_reversion',
      'ml_breakout',
      'ml_mean_reversion',
      'ml_momentum',
      'momentum',
      'rsi',
    ]);
    for (const d of defs) {
      expect(d.summary, d.type).toBeTruthy();
      for (const [name, j] of params(d.params))
        expect(j.description, `${d.type}.${name}`).toBeTruthy();
    }
  });

  it('renders type, default, bounds and meaning from the schema, nested objects by dotted name', () => {
    const def: StrategyDefinition<unknown, null> = {
      type: 'demo',
      summary: 'A demo.',
      params: z.object({
        n: z.number().int().min(2).default(5).describe('How many, ticks'),
        f: z.number().gt(0).lt(1).optional().describe('A fraction'),
        side: z.enum(['BUY', 'SELL']).default('BUY').describe('Which side'),
        inner: z
          .object({ k: z.number().max(3).default(1).describe('Inner k') })
          .prefault({})
          .describe('Inner'),
      }),
      init: () => null,
      clone: () => null,
      onTick: () => null,
    };
    expect(def.init(undefined, NO_FILES)).toBeNull();
    expect(strategySection(def)).toBe(
      [
        '## `demo`',
        '',
        'A demo.',
        '',
        '| parameter | type            | default      | bounds   | meaning         |',
        '| --------- | --------------- | ------------ | -------- | --------------- |',
        '| `n`       | integer         | `5`          | ≥ 2      | How many, ticks |',
        '| `f`       | number          | absent       | > 0, < 1 | A fraction      |',
        '| `side`    | `BUY` \\| `SELL` | `BUY`        |          | Which side      |',
        '| `inner`   | object          | each field’s |          | Inner           |',
        '| `inner.k` | number          | `1`          | ≤ 3      | Inner k         |',
      ].join('\n'),
    );
    expect(strategyReference([def])).toContain('- [`demo`](#demo)');
  });

  it('shows model examples that load as ml_mean_reversion models', () => {
    const blocks = [...libraryReference().matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(2);
    for (const [i, b] of blocks.entries()) {
      expect(parseModel(b, `example ${i}`).features).toEqual(MEAN_REVERSION_FEATURES.names);
    }
  });
});
