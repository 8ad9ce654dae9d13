/** `seed`: migrates Postgres and loads CONFIG_DIR's strategies and instruments into it. */
import { ConfigError } from '../runtime/index.js';
import { runSeed } from '../system/index.js';
import { expectOnly, parseArgs } from './args.js';
import type { Command } from './command.js';
import { LOGGING } from './env.js';

export const seed: Command = {
  name: 'seed',
  summary: "applies the migrations and loads CONFIG_DIR's files into DATABASE_URL",
  options: [],
  env: [...LOGGING, 'DATABASE_URL', 'CONFIG_DIR'],
  logTo: 'stderr',
  async run({ settings, log }, argv) {
    expectOnly(parseArgs(argv), this);
    if (!settings.database_url) {
      throw new ConfigError(
        'seed: DATABASE_URL is not set; set it to postgres://user[:password]@host:port/database',
      );
    }
    const r = await runSeed({
      databaseUrl: settings.database_url,
      configDir: settings.config_dir,
      log,
    });
    process.stdout.write(
      `seeded ${r.strategies} strategies and ${r.instruments} instruments from ${settings.config_dir}\n`,
    );
    return 0;
  },
};
