/** The strategy registry: type name to definition. An unknown type fails that strategy only. */
import { emaCross } from './ema-cross/ema-cross.js';
import { momentum } from './momentum/momentum.js';
import type { AnyStrategyDefinition } from './strategy.js';

export class StrategyRegistry {
  private readonly defs = new Map<string, AnyStrategyDefinition>();

  constructor(defs: readonly AnyStrategyDefinition[] = BUILT_IN_STRATEGIES) {
    for (const d of defs) this.register(d);
  }

  register(def: AnyStrategyDefinition): this {
    this.defs.set(def.type, def);
    return this;
  }

  /** Returns the definition of `type`, or an error that lists the known types. */
  lookup(type: string): { ok: true; value: AnyStrategyDefinition } | { ok: false; error: string } {
    const d = this.defs.get(type);
    return d
      ? { ok: true, value: d }
      : {
          ok: false,
          error: `unknown strategy type ${JSON.stringify(type)}; known types: ${[...this.defs.keys()].sort().join(', ')}`,
        };
  }

  types(): string[] {
    return [...this.defs.keys()].sort();
  }
}

export const BUILT_IN_STRATEGIES: readonly AnyStrategyDefinition[] = [momentum, emaCross];
