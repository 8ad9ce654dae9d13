/** The commands, by name (a two-word name such as `dlq list` is a command with a subcommand). */
import { api } from './api.js';
import { backtest } from './backtest.js';
import type { Command } from './command.js';
import { dlqList, dlqReplay } from './dlq.js';
import { replay } from './replay.js';
import { seed } from './seed.js';
import { start } from './start.js';
import { topicsBootstrap } from './topics.js';
import { ConfigError } from '../runtime/index.js';

export type { Command, CommandContext, OptionSpec } from './command.js';
export { parseParamChange } from './replay.js';

export const COMMANDS: readonly Command[] = [
  start,
  backtest,
  replay,
  dlqList,
  dlqReplay,
  topicsBootstrap,
  seed,
  api,
];

/**
 * The command `argv` names and the arguments after its name; no command (or an option first)
 * is `start`. Throws, listing what exists, for an unknown command or subcommand.
 */
export function findCommand(argv: readonly string[]): { command: Command; rest: string[] } {
  const [first, second] = argv;
  if (first === undefined || first.startsWith('--')) return { command: start, rest: [...argv] };
  const two = COMMANDS.find((c) => c.name === `${first} ${second ?? ''}`);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === first);
  if (one) return { command: one, rest: argv.slice(1) };
  const subs = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  if (subs.length > 0)
    throw new ConfigError(
      `${first}: unknown subcommand ${JSON.stringify(second ?? '')}; use ${subs.map((c) => `\`${c.name}\``).join(' or ')}`,
    );
  throw new ConfigError(
    `unknown command ${JSON.stringify(first)}; commands: ${COMMANDS.map((c) => c.name).join(', ')}`,
  );
}
