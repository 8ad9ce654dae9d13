/**
 * Alpha Panda's entry point: reads the settings, finds the command and runs it. Exit codes: 0
 * done, 2 a bad setting, argument or configuration (the message says how to fix it), 1 anything
 * else. Commands are in src/cli; what they build is composed in src/system/compose.ts.
 */
import { pino } from 'pino';
import { findCommand, helpRequest } from './cli/index.js';
import { loadSettings, type Settings } from './config/index.js';
import { AlphaPandaError, ConfigError } from './runtime/index.js';

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
  const log = pino(
    {
      level: settings.log_level,
      redact: {
        paths: ['*.token', '*.secret', '*.password', '*.access_token', '*.api_secret'],
        censor: '[redacted]',
      },
    },
    pino.destination(command.logTo === 'stderr' ? 2 : 1),
  );
  try {
    return await command.run({ settings, log }, rest);
  } catch (err) {
    if (err instanceof ConfigError) {
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

process.exitCode = await main();
