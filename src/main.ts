/**
 * Alpha Panda's entry point: reads the settings, finds the command and runs it. Exit codes: 0
 * done, 2 a bad setting, argument or configuration (the message says how to fix it), 1 anything
 * else. Commands are in src/cli; what they build is composed in src/system/compose.ts.
 */
import { findCommand, helpRequest } from './cli/index.js';
import { loadSettings, type Settings } from './config/index.js';
import { AlphaPandaError, ConfigError, JournalUnusable, StartupError } from './runtime/index.js';
import { createLogger } from './system/index.js';

async function main(): Promise<number> {
  let settings: Settings;
  let found: ReturnType<typeof findCommand>;
  try {
    const help = helpRequest(process.argv.slice(2));
    if (help !== null) {
      process.stdout.write(help);
      return 0;
    }
    settings = loadSettings(process.env);
    found = findCommand(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`alpha-panda: ${(err as Error).message}\n`);
    return 2;
  }
  const { command, rest } = found;
  const log = createLogger({
    level: settings.log_level,
    format: settings.log_format,
    to: command.logTo === 'stderr' ? 2 : 1,
  });
  try {
    return await command.run({ settings, log }, rest);
  } catch (err) {
    if (
      err instanceof ConfigError ||
      err instanceof StartupError ||
      err instanceof JournalUnusable
    ) {
      process.stderr.write(`alpha-panda: ${err.message}\n`);
      return 2;
    }
    if (err instanceof AlphaPandaError) {
      // An infrastructure problem with a message that says what to fix (unreachable Kafka, ...).
      log.fatal({ code: err.code }, err.message);
      process.stderr.write(`alpha-panda: ${err.message}\n`);
      return 1;
    }
    log.fatal({ err }, 'fatal error');
    return 1;
  }
}

/**
 * Resolves once everything written to `stream` so far is handed to the OS: a write to a pipe
 * whose reader is slower than the process may still be queued when write() returns, and
 * process.exit drops what is queued (a large JSON result piped to another program was cut at
 * 64 KiB).
 */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

// A reader that left (`... | head`) is not an error of the command: what it no longer reads is
// dropped, and the process ends as it would have.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });

// Exit now: a client left open by a failed step (a Redis reconnecting, say) must not keep a
// process alive that has reported its end; but only once stdout and stderr are written out.
const code = await main();
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);
