/** `kite decode FILE`: prints a captured Kite ticker message's packets as JSON, with our decoder. */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../runtime/index.js';
import { decodeKiteCapture } from '../system/index.js';
import { expectOnly, parseArgs } from './args.js';
import type { Command } from './command.js';
import { LOGGING } from './env.js';

export const kiteDecode: Command = {
  name: 'kite decode',
  summary:
    'kite decode FILE: prints the packets of a captured Kite ticker message (a raw frame, its base64, or one bare packet) as JSON, prices in paise and times in epoch ms',
  options: [],
  env: [...LOGGING],
  logTo: 'stderr',
  async run(_ctx, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const file = args.command;
    if (file === undefined)
      throw new ConfigError(
        'kite decode: name the capture to decode, e.g. `kite decode frame.bin`',
      );
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new ConfigError(`kite decode: cannot read ${file}: ${(err as Error).message}`);
    }
    let capture;
    try {
      capture = decodeKiteCapture(bytes);
    } catch (err) {
      throw new ConfigError(`kite decode: ${file}: ${(err as Error).message}`);
    }
    process.stdout.write(`${JSON.stringify(capture, null, 2)}\n`);
    return 0;
  },
};
