/** `api`: an API-only process serving the Redis read model a daemon writes. */
import { checkRemoteExposure, runApiOnly } from '../api/index.js';
import { ConfigError } from '../runtime/index.js';
import { expectOnly, parseArgs } from './args.js';
import type { Command } from './command.js';
import { API_LIMITS, HTTP, LOGGING } from './env.js';

export const api: Command = {
  name: 'api',
  summary: 'an API-only process: the portfolio routes served from the Redis read model',
  options: [],
  env: [...LOGGING, ...HTTP, ...API_LIMITS, 'REDIS_URL'],
  logTo: 'stdout',
  async run({ settings, log }, argv) {
    expectOnly(parseArgs(argv), this);
    checkRemoteExposure(settings, log);
    if (!settings.redis_url) {
      throw new ConfigError(
        'api: REDIS_URL is not set; the API-only process serves the read model a daemon writes to Redis (redis://host:port[/db])',
      );
    }
    await runApiOnly({
      redisUrl: settings.redis_url,
      host: settings.host,
      port: settings.port,
      maxBodyBytes: settings.api.max_body_bytes,
      log,
    });
    return 0;
  },
};
