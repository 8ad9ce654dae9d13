/** `api`: an API-only process serving the Redis read model a daemon writes. */
import { apiAuth, checkRemoteExposure, runApiOnly } from '../api/index.js';
import { loadUsersFile } from '../config/index.js';
import { SystemClock } from '../runtime/index.js';
import { ConfigError } from '../runtime/index.js';
import { expectOnly, parseArgs } from './args.js';
import type { Command } from './command.js';
import { API_LIMITS, HTTP, LOGGING } from './env.js';

export const api: Command = {
  name: 'api',
  summary: 'an API-only process: the portfolio routes served from the Redis read model',
  options: [],
  env: [...LOGGING, ...HTTP, ...API_LIMITS, 'CONFIG_DIR', 'REDIS_URL'],
  logTo: 'stdout',
  async run({ settings, log }, argv) {
    expectOnly(parseArgs(argv), this);
    checkRemoteExposure(settings);
    if (!settings.redis_url) {
      throw new ConfigError(
        'api: REDIS_URL is not set; the API-only process serves the read model a daemon writes to Redis (redis://host:port[/db])',
      );
    }
    const clock = new SystemClock();
    await runApiOnly({
      redisUrl: settings.redis_url,
      host: settings.host,
      port: settings.port,
      maxBodyBytes: settings.api.max_body_bytes,
      auth: await apiAuth(
        settings.api,
        { fileUsers: loadUsersFile(settings.config_dir) },
        () => clock.now(),
        log,
      ),
      log,
    });
    return 0;
  },
};
