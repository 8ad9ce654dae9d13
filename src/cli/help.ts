/** The help texts: the usage with every command, and each command's options and variables. */
import { ENV_VARS } from '../config/index.js';
import type { Command, OptionSpec } from './command.js';
import type { PackageInfo } from './version.js';

export const PROGRAM = 'node dist/main.js';

/** Rows of cells as lines, each column but the last padded to its widest cell. */
function columns(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    (
      indent + r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]! + 2) : c)).join('')
    ).trimEnd(),
  );
}

const optionName = (o: OptionSpec): string => (o.value ? `--${o.name} ${o.value}` : `--${o.name}`);

/** `node dist/main.js backtest --ticks N [--seed S] ...`. */
export function usageLine(c: Command): string {
  const parts = c.options.map((o) =>
    o.required ? optionName(o) : `[${optionName(o)}]${o.repeatable ? '...' : ''}`,
  );
  return [PROGRAM, c.name, ...(c.argument ? [c.argument] : []), ...parts].join(' ');
}

/** The usage: every command with its summary, and the options every command takes. */
export function usage(commands: readonly Command[], pkg: PackageInfo): string {
  const rows = commands.map((c, i) => [i === 0 ? `${c.name} (default)` : c.name, c.summary]);
  rows.push(['help [command]', "this list, or a command's options and environment variables"]);
  return [
    `${pkg.name} ${pkg.version}: ${pkg.description}`,
    '',
    `Usage: ${PROGRAM} [command] [options]`,
    '',
    'Commands:',
    ...columns(rows),
    '',
    'Options:',
    ...columns([
      ['--help, -h', "this list; after a command's name, that command's help"],
      ['--version', 'prints the version'],
    ]),
    '',
    `Settings come from environment variables; \`${PROGRAM} help <command>\` lists those it reads.`,
    '',
  ].join('\n');
}

/** A command's help: its usage, every option with its default, every variable it reads. */
export function commandHelp(c: Command): string {
  const options = c.options.map((o) => {
    const notes = [
      o.required ? 'required' : undefined,
      o.default !== undefined ? `default: ${o.default}` : undefined,
      o.repeatable ? 'repeatable' : undefined,
    ].filter((n) => n !== undefined);
    return [optionName(o), notes.length > 0 ? `${o.help} (${notes.join('; ')})` : o.help];
  });
  options.push(['--help, -h', 'shows this help']);
  const reads = new Set(c.env);
  const env = ENV_VARS.filter((v) => reads.has(v.name)).map((v) => [
    v.name,
    v.default === '' ? 'empty' : v.default,
    v.meaning,
  ]);
  return [
    `Usage: ${usageLine(c)}`,
    '',
    `${c.name}: ${c.summary}`,
    '',
    'Options:',
    ...columns(options),
    '',
    ...(env.length === 0
      ? ['Environment variables: none']
      : [
          'Environment variables (an empty one counts as unset):',
          ...columns([['VARIABLE', 'DEFAULT', 'MEANING'], ...env]),
        ]),
    '',
  ].join('\n');
}
