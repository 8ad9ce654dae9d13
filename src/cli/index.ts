/** The commands, by name (a two-word name such as `dlq list` is a command with a subcommand). */
import { api } from './api.js';
import { backtest } from './backtest.js';
import { charges } from './charges.js';
import { kiteDecode } from './kite.js';
import { login } from './login.js';
import { hashPasswordCommand } from './hash-password.js';
import type { Command } from './command.js';
import { dlqList, dlqReplay } from './dlq.js';
import { journalRepair, journalVerify } from './journal.js';
import { commandHelp, PROGRAM, usage } from './help.js';
import { inspect } from './inspect.js';
import { replay } from './replay.js';
import { compare } from './compare.js';
import { dataFetchCommand } from './data.js';
import { newStrategy } from './new-strategy.js';
import { strategiesCommand } from './strategies.js';
import { libraryReference } from '../system/index.js';
import { seed } from './seed.js';
import { start } from './start.js';
import { topicsBootstrap } from './topics.js';
import { packageInfo, type PackageInfo } from './version.js';
import { nearest } from '../config/index.js';
import { ConfigError } from '../runtime/index.js';

export type { Command, CommandContext, OptionSpec } from './command.js';
export { parseParamChange } from './replay.js';

export const COMMANDS: readonly Command[] = [
  start,
  backtest,
  replay,
  compare,
  strategiesCommand(libraryReference),
  newStrategy,
  dataFetchCommand,
  inspect,
  dlqList,
  dlqReplay,
  journalVerify,
  journalRepair,
  topicsBootstrap,
  seed,
  api,
  charges,
  kiteDecode,
  login,
  hashPasswordCommand,
];

const HELP_FLAGS = ['--help', '-h'];
const firstWord = (c: Command): string => c.name.split(' ')[0]!;
const groupOf = (word: string): Command[] => COMMANDS.filter((c) => firstWord(c) === word);
const quoted = (cs: readonly Command[]): string => cs.map((c) => `"${c.name}"`).join(' or ');

/** The command two words name, a group of subcommands (`dlq`), or a ConfigError naming the nearest. */
function resolve(
  first: string,
  second: string | undefined,
): { command: Command; words: number } | { group: Command[] } {
  const two = COMMANDS.find((c) => c.name === `${first} ${second ?? ''}`);
  if (two) return { command: two, words: 2 };
  const one = COMMANDS.find((c) => c.name === first);
  if (one) return { command: one, words: 1 };
  const group = groupOf(first);
  if (group.length > 0) {
    if (second === undefined || second.startsWith('-')) return { group };
    const sub = nearest(
      second,
      group.map((c) => c.name.split(' ')[1]!),
      { abbreviations: true },
    );
    throw new ConfigError(
      `${first}: unknown subcommand ${JSON.stringify(second)}; ${sub ? `did you mean "${first} ${sub}"?` : `use ${quoted(group)}`}`,
    );
  }
  const words = [...new Set(COMMANDS.map(firstWord)), 'help'];
  const near = nearest(first, words, { abbreviations: true });
  let meant = near === undefined ? '' : near === 'help' ? '"help"' : quoted(groupOf(near));
  const sub = near !== undefined && second !== undefined ? resolveQuietly(near, second) : undefined;
  if (sub !== undefined) meant = quoted([sub]);
  const hint = meant === '' ? '' : `; did you mean ${meant}?`;
  throw new ConfigError(
    `unknown command ${JSON.stringify(first)}${hint} (commands: ${COMMANDS.map((c) => c.name).join(', ')}, help; see \`${PROGRAM} --help\`)`,
  );
}

/** The command `first second` names when `second` is near one of `first`'s subcommands. */
function resolveQuietly(first: string, second: string): Command | undefined {
  const group = groupOf(first);
  if (group.length < 2) return undefined;
  const sub = nearest(
    second,
    group.map((c) => c.name.split(' ')[1]!),
    { abbreviations: true },
  );
  return sub === undefined ? undefined : group.find((c) => c.name === `${first} ${sub}`);
}

/**
 * The command `argv` names and the arguments after its name; no command (or an option first)
 * is `start`. Throws, naming the nearest command, for an unknown command or subcommand.
 */
export function findCommand(argv: readonly string[]): { command: Command; rest: string[] } {
  const [first, second] = argv;
  if (first === undefined || first.startsWith('--')) return { command: start, rest: [...argv] };
  const r = resolve(first, second);
  if ('group' in r) throw new ConfigError(`${first}: a subcommand is needed: ${quoted(r.group)}`);
  return { command: r.command, rest: argv.slice(r.words) };
}

/** The help of the command (or group, or everything) the leading `words` name. */
function helpFor(words: readonly string[], pkg: () => PackageInfo): string {
  const [first, second] = words;
  if (first === undefined || first === 'help') return usage(COMMANDS, pkg());
  const r = resolve(first, second);
  return 'group' in r ? r.group.map(commandHelp).join('\n') : commandHelp(r.command);
}

/**
 * What `argv` asks of the help, before any setting is read: the text for stdout of `--version`,
 * `--help` (or `-h`), `help [command]` and `<command> --help`; null when it asks for none. Throws
 * ConfigError, naming the nearest command, when it asks for the help of an unknown one.
 */
export function helpRequest(
  argv: readonly string[],
  pkg: () => PackageInfo = packageInfo,
): string | null {
  const [first] = argv;
  if (first === '--version') return `${pkg().version}\n`;
  if (first === 'help') return helpFor(argv.slice(1), pkg);
  if (!argv.some((a) => HELP_FLAGS.includes(a))) return null;
  const end = argv.findIndex((a) => a.startsWith('-'));
  return helpFor(argv.slice(0, end), pkg);
}
