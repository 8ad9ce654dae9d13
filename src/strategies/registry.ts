/**
 * The strategy registry: type name to definition. An unknown type fails that strategy only, and
 * so does a type whose file (STRATEGIES_DIR) could not be loaded, with the file's own error.
 * It also knows the code a run's strategies execute: each file-defined type's file and the files
 * a definition reads (models), by SHA-256, for RunStarted.
 */
import { emaCross } from './ema-cross/ema-cross.js';
import { momentum } from './momentum/momentum.js';
import { LIBRARY_STRATEGIES } from './library.js';
import type { AnyStrategyDefinition, StrategyEnv, StrategyInstrument } from './strategy.js';

/** The files under STRATEGIES_DIR a run's strategies read, each read once and hashed. */
export interface StrategyFiles extends StrategyEnv {
  /** SHA-256 (hex) of `path` (relative to STRATEGIES_DIR); undefined when it cannot be read. */
  sha256(path: string): string | undefined;
}

/** Where a file-defined type came from: its path relative to STRATEGIES_DIR and its SHA-256. */
export interface StrategySource {
  readonly path: string;
  readonly sha256: string;
}

/** A type whose file could not be loaded. */
export interface BrokenStrategy {
  readonly type: string;
  readonly source: StrategySource;
  /** `file:line:column: reason`. */
  readonly error: string;
}

export class StrategyRegistry {
  private readonly defs = new Map<string, AnyStrategyDefinition>();
  private readonly sources = new Map<string, StrategySource>();
  private readonly broken = new Map<string, BrokenStrategy>();

  /** `files`: what the definitions' `init` is given to read models; none: no files. */
  constructor(
    defs: readonly AnyStrategyDefinition[] = BUILT_IN_STRATEGIES,
    readonly files: StrategyFiles | null = null,
  ) {
    for (const d of defs) this.register(d);
  }

  /** Adds `def`; `source` when it was loaded from a file. */
  register(def: AnyStrategyDefinition, source?: StrategySource): this {
    const files = this.files;
    // The run's files are bound here, so the actor's init reads them whatever it is given.
    const bound: AnyStrategyDefinition =
      files === null
        ? def
        : {
            ...def,
            init: (params: unknown, _env: unknown, instrument?: StrategyInstrument) =>
              def.init(params, files, instrument),
          };
    this.defs.set(def.type, bound);
    this.broken.delete(def.type);
    if (source) this.sources.set(def.type, source);
    else this.sources.delete(def.type);
    return this;
  }

  /** Marks `type` as defined by a file that could not be loaded: configurations of it are refused. */
  registerBroken(broken: BrokenStrategy): this {
    this.defs.delete(broken.type);
    this.sources.set(broken.type, broken.source);
    this.broken.set(broken.type, broken);
    return this;
  }

  /** Returns the definition of `type`, or an error: the file's, or one that lists the known types. */
  lookup(type: string): { ok: true; value: AnyStrategyDefinition } | { ok: false; error: string } {
    const d = this.defs.get(type);
    if (d) return { ok: true, value: d };
    const b = this.broken.get(type);
    if (b) return { ok: false, error: b.error };
    return {
      ok: false,
      error: `unknown strategy type ${JSON.stringify(type)}; known types: ${this.types().join(', ')}`,
    };
  }

  /** The types that can run, sorted. */
  types(): string[] {
    return [...this.defs.keys()].sort();
  }

  /** The types whose file could not be loaded. */
  brokenTypes(): BrokenStrategy[] {
    return [...this.broken.values()];
  }

  /** Where a file-defined type came from; undefined for a built-in or unknown one. */
  sourceOf(type: string): StrategySource | undefined {
    return this.sources.get(type);
  }

  /**
   * The code a strategy of `type` with `params` runs, relative path → SHA-256: its own file (for
   * a type from STRATEGIES_DIR, broken ones too) and every file its `files(params)` names that
   * can be read. Undefined when there is none (a built-in type that reads no file).
   */
  code(type: string, params: unknown): Readonly<Record<string, string>> | undefined {
    const out: Record<string, string> = {};
    const src = this.sources.get(type);
    if (src) out[src.path] = src.sha256;
    const def = this.defs.get(type);
    if (def?.files && this.files) {
      const parsed = def.params.safeParse(params);
      if (parsed.success)
        for (const path of def.files(parsed.data)) {
          const sha = this.files.sha256(path);
          if (sha !== undefined) out[path] = sha;
        }
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
}

export const BUILT_IN_STRATEGIES: readonly AnyStrategyDefinition[] = [
  momentum,
  emaCross,
  ...LIBRARY_STRATEGIES,
];
