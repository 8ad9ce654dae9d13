/** `start`: the daemon, with the HTTP API on HOST:PORT, until SIGTERM or SIGINT. */
import { checkRemoteExposure, listenDaemon } from '../api/index.js';
import { runDaemon } from '../system/index.js';
import { expectOnly, parseArgs } from './args.js';
import { packageInfo } from './version.js';
import type { Command } from './command.js';
import { ALL } from './env.js';

export const start: Command = {
  name: 'start',
  summary: 'the daemon: mock feed, strategies, risk gates, paper trader, portfolios, HTTP API',
  options: [],
  env: ALL,
  logTo: 'stdout',
  async run({ settings, log }, argv) {
    expectOnly(parseArgs(argv), this);
    checkRemoteExposure(settings);
    await runDaemon(settings, log, () =>
      listenDaemon(settings.host, settings.port, {
        log,
        maxBodyBytes: settings.api.max_body_bytes,
        api: settings.api,
        configDir: settings.config_dir,
        usersInPostgres: settings.database_url !== undefined,
        version: packageInfo().version,
      }),
    );
    return 0;
  },
};
