/**
 * `hash-password`: reads a password from standard input (its first line) and prints its scrypt
 * hash, for `password_hash` in CONFIG_DIR/users.yaml or Postgres' users table. The password is
 * never an argument, so it stays out of the shell's history and the process list.
 */
import { hashPassword } from '../config/index.js';
import { ConfigError, secretBytes } from '../runtime/index.js';
import { expectOnly, parseArgs } from './args.js';
import type { Command } from './command.js';
import { LOGGING } from './env.js';

async function firstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

export const hashPasswordCommand: Command = {
  name: 'hash-password',
  summary: 'reads a password on standard input and prints its hash for users.yaml',
  options: [],
  env: LOGGING,
  logTo: 'stderr',
  async run(_ctx, argv) {
    expectOnly(parseArgs(argv), this);
    const password = await firstLine();
    if (password.length < 12)
      throw new ConfigError(
        `hash-password: the password on standard input has ${password.length} characters; use at least 12 (e.g. printf '%s\\n' "$PASSWORD" | node dist/main.js hash-password)`,
      );
    process.stdout.write(`${await hashPassword(password, secretBytes(16))}\n`);
    return 0;
  },
};
