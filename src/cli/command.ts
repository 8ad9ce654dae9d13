/** What every command is: its name, its usage, its options and the variables it reads. */
import type { Logger } from 'pino';
import type { Settings } from '../config/index.js';

export interface OptionSpec {
  /** The option's name without `--`. */
  readonly name: string;
  /** Its value's placeholder (`N`, `SEQ|TIME`); none for a flag. */
  readonly value?: string;
  /** Its default, as the help shows it. */
  readonly default?: string;
  /** The command refuses to run without it. */
  readonly required?: boolean;
  /** It may be given more than once. */
  readonly repeatable?: boolean;
  readonly help: string;
}

export interface CommandContext {
  readonly settings: Settings;
  readonly log: Logger;
}

export interface Command {
  /** `start`, `dlq list`, ... */
  readonly name: string;
  readonly summary: string;
  /** Its positional argument, as the usage line shows it (`FILE`); none for most commands. */
  readonly argument?: string;
  readonly options: readonly OptionSpec[];
  /** The environment variables the command reads, by their names in ENV_VARS (src/config). */
  readonly env: readonly string[];
  /** Where its log goes: stdout for the long-running processes, stderr for the tools that print results. */
  readonly logTo: 'stdout' | 'stderr';
  /** Runs with the arguments after the command's name; resolves with the exit code. */
  run(ctx: CommandContext, argv: readonly string[]): Promise<number>;
}
