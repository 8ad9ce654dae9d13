/**
 * The run-time half of the determinism guard: a strategy file's CommonJS code (as transpiled) is
 * evaluated in a `node:vm` context of its own whose Date has no `now()` and no time-less
 * construction, whose Math has no `random()`, with no timers and no `process`, and whose
 * `require` gives only the SDK and zod. It keeps honest code deterministic; it is not a security
 * boundary (a file runs with the process's rights).
 */
import { compileFunction, createContext, runInContext, type Context } from 'node:vm';
import * as zod from 'zod';
import { sdk } from '../../strategies/index.js';
import { ALLOWED_MODULES } from './guard.js';

/** Runs in the new context: replaces what reads the clock or entropy with refusals. */
const PRELUDE = `(() => {
  const refuse = (what, why) => function () {
    throw new Error(what + ' is not available to a strategy: ' + why);
  };
  const TIME = "time is the tick's (ctx.tick.ts, epoch ms)";
  const RealDate = Date;
  function SafeDate(...args) {
    if (!new.target || args.length === 0)
      throw new Error((new.target ? 'new Date()' : 'Date()') + ' without a time reads the clock: ' + TIME + '; use new Date(ctx.tick.ts)');
    return Reflect.construct(RealDate, args, new.target);
  }
  SafeDate.prototype = RealDate.prototype;
  SafeDate.UTC = RealDate.UTC;
  SafeDate.parse = RealDate.parse;
  SafeDate.now = refuse('Date.now()', TIME);
  Object.defineProperty(RealDate.prototype, 'constructor', { value: SafeDate });
  Object.defineProperty(globalThis, 'Date', { value: SafeDate });
  Object.defineProperty(Math, 'random', {
    value: refuse('Math.random()', 'a strategy must be deterministic: derive any variation from the ticks or params'),
  });
  Object.freeze(Math);
  for (const name of ['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask'])
    Object.defineProperty(globalThis, name, {
      value: refuse(name, 'a strategy runs only on its ticks, bars, fills and refusals'),
    });
})();`;

const MODULES: Readonly<Record<string, unknown>> = {
  'alpha-panda': sdk,
  'alpha-panda/sdk': sdk,
  zod,
};

/** A fresh context with the guards in place; `console` writes to the process's stderr. */
function strategyContext(): Context {
  const ctx = createContext({ console });
  runInContext(PRELUDE, ctx);
  return ctx;
}

/** The `require` a strategy file sees. */
function strategyRequire(spec: string): unknown {
  const m = MODULES[spec];
  if (m === undefined)
    throw new Error(
      `require(${JSON.stringify(spec)}): a strategy may import only ${ALLOWED_MODULES.map((x) => `'${x}'`).join(', ')}`,
    );
  return m;
}

/**
 * Evaluates `code` (CommonJS, lines as in the file) as `filename` in a new guarded context;
 * returns what it exports. Throws what the code throws (with `filename` in its stack).
 */
export function evaluateStrategy(code: string, filename: string): Record<string, unknown> {
  const fn = compileFunction(code, ['exports', 'require', 'module'], {
    filename,
    parsingContext: strategyContext(),
  });
  const module = { exports: {} as Record<string, unknown> };
  fn.call(undefined, module.exports, strategyRequire, module);
  return module.exports;
}
