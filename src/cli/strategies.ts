/**
 * `strategies`: prints the strategy reference (Markdown: each type's summary and parameters with
 * their type, default, bounds and meaning), generated from the schemas that validate them.
 * docs/strategies.md is its output.
 */
import { expectOnly, parseArgs } from './args.js';
import type { Command } from './command.js';
import { LOGGING } from './env.js';

/** The command over `reference`, which gives the reference's text. */
export function strategiesCommand(reference: () => string): Command {
  return {
    name: 'strategies',
    summary: 'prints every strategy type with its parameters, defaults, bounds and meaning',
    options: [],
    env: [...LOGGING],
    logTo: 'stderr',
    async run(_ctx, argv) {
      expectOnly(parseArgs(argv), this);
      process.stdout.write(reference());
      return 0;
    },
  };
}
