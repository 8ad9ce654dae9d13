/**
 * The static half of the determinism guard: finds, in a strategy file's source, the first use of
 * what a strategy may not touch (the clock, randomness, timers, the process, modules other than
 * the SDK and zod), with its line and column. The sandbox refuses the same at run time; this
 * check names the place before the strategy starts. A guard for honest code, not a sandbox.
 */

/** Modules a strategy file may import. */
export const ALLOWED_MODULES: readonly string[] = ['alpha-panda', 'alpha-panda/sdk', 'zod'];

const TIME = "time is the tick's (ctx.tick.ts, epoch ms)";
const RANDOM = 'a strategy must be deterministic: derive any variation from the ticks or params';
const TIMERS = 'a strategy runs only on its ticks, bars, fills and refusals';

/** Globals a strategy may not name, and why. */
const FORBIDDEN_GLOBALS: Readonly<Record<string, string>> = {
  setTimeout: TIMERS,
  setInterval: TIMERS,
  setImmediate: TIMERS,
  queueMicrotask: TIMERS,
  process: 'a strategy sees only what its context gives it (params, not environment variables)',
  performance: TIME,
  fetch: 'a strategy does no I/O',
  globalThis: 'a strategy sees only what its context gives it',
};

export interface GuardProblem {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly reason: string;
}

interface Token {
  readonly kind: 'name' | 'string' | 'punct' | 'number';
  readonly text: string;
  readonly at: number;
}

const NAME = /[A-Za-z0-9_$]/;

/** The tokens of `src` that matter to the guard: comments, template text and regexes skipped. */
function tokens(src: string): Token[] {
  const out: Token[] = [];
  // Brace depth at which each open template literal's `${` was entered.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  const regexAllowed = () => {
    const p = out.at(-1);
    if (p === undefined) return true;
    if (p.kind === 'punct') return ![')', ']', '}'].includes(p.text);
    return p.kind === 'name' && ['return', 'typeof', 'case', 'in', 'of', 'new'].includes(p.text);
  };
  const skipTemplate = () => {
    // At the character after ` or after the } that closes a ${...}: up to ` or ${.
    while (i < src.length) {
      const c = src[i]!;
      if (c === '\\') i += 2;
      else if (c === '`') return void i++;
      else if (c === '$' && src[i + 1] === '{') {
        i += 2;
        templates.push(depth++);
        return;
      } else i++;
    }
  };
  while (i < src.length) {
    const c = src[i]!;
    const at = i;
    if (c === '/' && src[i + 1] === '/')
      i = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    else if (c === '/' && src[i + 1] === '*')
      i = src.indexOf('*/', i + 2) < 0 ? src.length : src.indexOf('*/', i + 2) + 2;
    else if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c && src[j] !== '\n') {
        if (src[j] === '\\') j++;
        text += src[j] ?? '';
        j++;
      }
      i = j + 1;
      out.push({ kind: 'string', text, at });
    } else if (c === '`') {
      i++;
      skipTemplate();
      out.push({ kind: 'string', text: '', at });
    } else if (c === '/' && regexAllowed()) {
      let j = i + 1;
      let cls = false;
      while (j < src.length && src[j] !== '\n' && (cls || src[j] !== '/')) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') cls = true;
        else if (src[j] === ']') cls = false;
        j++;
      }
      i = j + 1;
      out.push({ kind: 'string', text: '', at });
    } else if (NAME.test(c)) {
      let j = i;
      while (j < src.length && NAME.test(src[j]!)) j++;
      const text = src.slice(i, j);
      out.push({ kind: /^[0-9]/.test(text) ? 'number' : 'name', text, at });
      i = j;
    } else if (/\s/.test(c)) i++;
    else {
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (templates.at(-1) === depth) {
          templates.pop();
          i++;
          skipTemplate();
          continue;
        }
      }
      out.push({ kind: 'punct', text: c, at });
      i++;
    }
  }
  return out;
}

function position(src: string, at: number): { line: number; column: number } {
  const before = src.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}

/** The first forbidden use in `src`, or null. */
export function guardProblem(src: string): GuardProblem | null {
  const t = tokens(src);
  const text = (k: number) => t[k]?.text;
  const found = (k: number, reason: string): GuardProblem => ({
    ...position(src, t[k]!.at),
    reason,
  });
  for (let k = 0; k < t.length; k++) {
    const tok = t[k]!;
    if (tok.kind === 'string') {
      const p = text(k - 1);
      const pp = text(k - 2);
      const isModule =
        p === 'from' ||
        (p === 'import' && tok.text !== '') ||
        (p === '(' && (pp === 'require' || pp === 'import'));
      if (isModule && !ALLOWED_MODULES.includes(tok.text))
        return found(
          k,
          `imports ${JSON.stringify(tok.text)}: a strategy may import only ${ALLOWED_MODULES.map((m) => `'${m}'`).join(', ')}`,
        );
      continue;
    }
    if (tok.kind !== 'name' || text(k - 1) === '.' || text(k + 1) === ':') continue;
    if (tok.text === 'Date' && text(k + 1) === '.' && text(k + 2) === 'now')
      return found(k, `Date.now() is not available to a strategy: ${TIME}`);
    if (tok.text === 'Math' && text(k + 1) === '.' && text(k + 2) === 'random')
      return found(k, `Math.random() is not available to a strategy: ${RANDOM}`);
    if (
      tok.text === 'Date' &&
      text(k + 1) === '(' &&
      (text(k - 1) !== 'new' || text(k + 2) === ')')
    )
      return found(
        k,
        `${text(k - 1) === 'new' ? 'new Date()' : 'Date()'} without a time reads the clock: ${TIME}; use new Date(ctx.tick.ts)`,
      );
    if (tok.text === 'Date' && text(k - 1) === 'new' && text(k + 1) !== '(')
      return found(
        k,
        `new Date without a time reads the clock: ${TIME}; use new Date(ctx.tick.ts)`,
      );
    const why = FORBIDDEN_GLOBALS[tok.text];
    if (why !== undefined) return found(k, `${tok.text} is not available to a strategy: ${why}`);
  }
  return null;
}
