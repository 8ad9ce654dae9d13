/** `new-strategy NAME`: writes a commented strategy template and its test (docs/sdk.md). */
import { ConfigError } from '../runtime/index.js';
import { writeNewStrategy } from '../system/index.js';
import { expectOnly, parseArgs, stringOption } from './args.js';
import type { Command } from './command.js';
import { LOGGING } from './env.js';

export const newStrategy: Command = {
  name: 'new-strategy',
  summary: 'writes NAME.ts, a commented strategy that trades, and NAME.test.ts, its test',
  argument: 'NAME',
  options: [
    {
      name: 'dir',
      value: 'D',
      default: 'STRATEGIES_DIR',
      help: 'where the two files go (made if missing); existing files are never overwritten',
    },
  ],
  env: [...LOGGING, 'STRATEGIES_DIR'],
  logTo: 'stderr',
  async run({ settings }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const name = args.command;
    if (name === undefined)
      throw new ConfigError(
        'new-strategy: name the strategy, e.g. `new-strategy my_breakout` (snake_case; it is the type strategies.yaml names)',
      );
    const dir = stringOption(args, 'dir') ?? settings.strategies_dir;
    const written = writeNewStrategy(dir, name);
    process.stdout.write(
      `${JSON.stringify({ strategy: name, files: written, test: `npx vitest run ${written[1]}` })}\n`,
    );
    return 0;
  },
};
