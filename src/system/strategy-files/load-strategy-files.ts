/**
 * Strategies in files: every top-level `*.ts`, `*.mts`, `*.js` and `*.mjs` of STRATEGIES_DIR
 * (not tests, not `*.d.ts`, not sub-folders such as models/) is transpiled (sucrase), checked by
 * the determinism guard and evaluated in its sandbox at start. Its default export must be a
 * `defineStrategy(...)` named after the file. A file that fails any step registers its type as
 * broken with `file:line:column: reason`, so only the strategies of that type are refused.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { transform } from 'sucrase';
import {
  BUILT_IN_STRATEGIES,
  sdk,
  StrategyRegistry,
  type AnyStrategyDefinition,
} from '../../strategies/index.js';
import { guardProblem } from './guard.js';
import { evaluateStrategy } from './sandbox.js';
import { sha256, StrategyFilesDir } from './files-dir.js';

const SOURCE = /^(.+)\.(ts|mts|js|mjs)$/;

/** A file's problem that is not a broken type (a name clash with a built-in), for the log. */
export interface StrategyFileProblem {
  readonly path: string;
  readonly error: string;
}

export interface LoadedStrategies {
  readonly registry: StrategyRegistry;
  /** Every file that did not load (broken types and clashes), `file:line:column: reason`. */
  readonly problems: readonly StrategyFileProblem[];
}

/** The strategy files of `dir`, sorted; none when it does not exist. */
export function strategyFileNames(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => SOURCE.test(n) && !/\.test\.|\.spec\.|\.d\.[cm]?ts$/.test(n))
    .filter((n) => statSync(join(dir, n)).isFile())
    .sort();
}

/** Name, message and stack of a thrown value (an Error of the sandbox's realm too). */
function errorParts(err: unknown): { name: string; message: string; stack: string } {
  if (typeof err === 'object' && err !== null && 'message' in err) {
    const e = err as { name?: unknown; message?: unknown; stack?: unknown };
    return { name: String(e.name), message: String(e.message), stack: String(e.stack ?? '') };
  }
  return { name: 'NonError', message: String(err), stack: '' };
}

/** `file:line:column` of the first frame of `stack` in `file`, else `file:1:1`. */
function locate(stack: string, file: string): string {
  const esc = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${esc}:(\\d+)(?::(\\d+))?`).exec(stack);
  if (!m) return `${file}:1:1`;
  // A SyntaxError's stack gives the line only, then the line's text and a caret under the column.
  const caret = m[2] === undefined ? /\n[^\n]*\n( *)\^/.exec(stack.slice(m.index)) : null;
  return `${file}:${m[1]}:${m[2] ?? (caret ? caret[1]!.length + 1 : 1)}`;
}

/** The 1-based line and column of the first `name: '<type>'` in `src`, for a name mismatch. */
function nameAt(src: string, type: string): string {
  const i = src.search(new RegExp(`name\\s*:\\s*['"\`]${type}['"\`]`));
  if (i < 0) return '1:1';
  const before = src.slice(0, i);
  return `${before.split('\n').length}:${i - before.lastIndexOf('\n')}`;
}

/** Loads one file: its definition, or `file:line:column: reason`. */
export function loadStrategyFile(
  file: string,
  src: string,
  type: string,
): { ok: true; def: AnyStrategyDefinition } | { ok: false; error: string } {
  const fail = (where: string, reason: string) => ({
    ok: false as const,
    error: `${where}: ${reason}`,
  });
  if (!sdk.STRATEGY_NAME.test(type))
    return fail(`${file}:1:1`, `the file name must be snake_case (it names the strategy type)`);
  const guard = guardProblem(src);
  if (guard) return fail(`${file}:${guard.line}:${guard.column}`, guard.reason);
  let code: string;
  try {
    code = transform(src, {
      transforms: /\.m?ts$/.test(file) ? ['typescript', 'imports'] : ['imports'],
      filePath: file,
    }).code;
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    const msg = (err as Error).message
      .replace(/^Error transforming [^:]*: /, '')
      .replace(/ \(\d+:\d+\)$/, '');
    return fail(`${file}:${loc?.line ?? 1}:${loc?.column ?? 1}`, `syntax error: ${msg}`);
  }
  let exported: Record<string, unknown>;
  try {
    exported = evaluateStrategy(code, file);
  } catch (err) {
    const e = errorParts(err);
    const what = e.name === 'SyntaxError' ? 'syntax error: ' : 'threw while loading: ';
    return fail(locate(e.stack, file), `${what}${e.message}`);
  }
  const def = 'default' in exported ? exported.default : exported;
  if (!sdk.isDefinedStrategy(def))
    return fail(
      `${file}:1:1`,
      `the default export must be defineStrategy({ name: '${type}', ... }) from 'alpha-panda' (got ${def === undefined ? 'no default export' : typeof def})`,
    );
  if (def.type !== type)
    return fail(
      `${file}:${nameAt(src, def.type)}`,
      `defines strategy "${def.type}" but the file is named for "${type}"; the name and the file's must match`,
    );
  return { ok: true, def };
}

/**
 * The registry of a run: the built-in types, then every strategy file of `dir` (a broken file
 * registers a broken type; a file named like a built-in type is refused and the built-in kept),
 * with `dir`'s files for the definitions that read models.
 */
export function loadStrategyRegistry(
  dir: string,
  builtIns: readonly AnyStrategyDefinition[] = BUILT_IN_STRATEGIES,
): LoadedStrategies {
  const registry = new StrategyRegistry(builtIns, new StrategyFilesDir(dir));
  const builtInTypes = new Set(builtIns.map((d) => d.type));
  const problems: StrategyFileProblem[] = [];
  for (const name of strategyFileNames(dir)) {
    // Errors name the file as STRATEGIES_DIR was given (strategies/x.ts), or by its name alone
    // when that is an absolute path (which the API would hide).
    const file = isAbsolute(dir) ? name : join(dir, name);
    const type = SOURCE.exec(name)![1]!;
    const bytes = readFileSync(join(dir, name));
    const source = { path: name, sha256: sha256(bytes) };
    const twin = registry.sourceOf(type);
    if (twin !== undefined) {
      problems.push({
        path: name,
        error: `${file}:1:1: strategy type "${type}" is already defined by ${twin.path}; keep one of the two files`,
      });
      continue;
    }
    if (builtInTypes.has(type)) {
      problems.push({
        path: name,
        error: `${file}:1:1: "${type}" is a built-in strategy type; rename the file (its name is the type's)`,
      });
      continue;
    }
    const loaded = loadStrategyFile(file, bytes.toString('utf8'), type);
    if (loaded.ok) registry.register(loaded.def, source);
    else {
      registry.registerBroken({ type, source, error: loaded.error });
      problems.push({ path: name, error: loaded.error });
    }
  }
  return { registry, problems };
}
