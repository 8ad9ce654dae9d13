/** A small argv parser: `--name value`, `--flag`, repeated options collected; errors name the option. */
import { didYouMean } from '../config/index.js';
import { ConfigError } from '../runtime/index.js';
import { PROGRAM } from './help.js';

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly options: Readonly<Record<string, string[]>>;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const options: Record<string, string[]> = {};
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      let value: string;
      if (eq > 0) value = a.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i]!;
      else value = 'true';
      (options[name] ??= []).push(value);
    } else if (command === undefined) {
      command = a;
    } else {
      throw new ConfigError(
        `unexpected argument ${JSON.stringify(a)}; options are written --name value`,
      );
    }
  }
  return { command, options };
}

/** Reads an integer option within bounds, or its default; throws naming the option. */
export function intOption(
  args: ParsedArgs,
  name: string,
  def: number | undefined,
  min: number,
  max: number,
): number {
  const v = args.options[name]?.at(-1);
  if (v === undefined) {
    if (def === undefined)
      throw new ConfigError(`--${name} is required (an integer from ${min} to ${max})`);
    return def;
  }
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(
      `--${name}: received ${JSON.stringify(v)}; expected an integer from ${min} to ${max}`,
    );
  }
  return n;
}

/** Reads an option that takes one of `choices`, or its default; throws naming the option and them. */
export function choiceOption<T extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  def: T | undefined,
): T {
  const v = args.options[name]?.at(-1);
  const valid = choices.join(' or ');
  if (v === undefined) {
    if (def === undefined) throw new ConfigError(`--${name} is required (${valid})`);
    return def;
  }
  const found = choices.find((c) => c === v);
  if (found === undefined)
    throw new ConfigError(
      `--${name}: received ${JSON.stringify(v)}${didYouMean(v, choices)}; expected ${valid}`,
    );
  return found;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  return args.options[name]?.at(-1);
}

/** Throws for options the command does not know, naming the nearest it does and the others. */
export function expectOnly(
  args: ParsedArgs,
  command: { readonly name: string; readonly options: readonly { readonly name: string }[] },
): void {
  const known = command.options.map((o) => o.name);
  const unknown = Object.keys(args.options).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    const each = unknown.map(
      (u) => `--${u}${didYouMean(u, known, (k) => `--${k}`, { abbreviations: true })}`,
    );
    const takes =
      known.length === 0
        ? 'it takes no options'
        : `its options are ${known.map((k) => `--${k}`).join(', ')}`;
    throw new ConfigError(
      `${command.name}: unknown option ${each.join('; unknown option ')} (${takes}; see \`${PROGRAM} ${command.name} --help\`)`,
    );
  }
}

/** `--from`/`--until`: a seq, or an ISO-8601 time. */
export function seqOrTimeOption(
  args: ParsedArgs,
  name: string,
): { seq: number } | { ts: number } | undefined {
  const v = stringOption(args, name);
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v)) return { seq: intOption(args, name, undefined, 1, Number.MAX_SAFE_INTEGER) };
  const ts = Date.parse(v);
  if (Number.isNaN(ts))
    throw new ConfigError(
      `--${name}: received ${JSON.stringify(v)}; expected a seq (1, 2, ...) or an ISO-8601 time such as 2026-01-05T09:15:00+05:30`,
    );
  return { ts };
}
