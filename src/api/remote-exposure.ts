/**
 * The start-up check of `start` and `api`: while the HTTP API has no authentication, it listens
 * on loopback only, unless the operator says in so many words that it may be exposed.
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/index.js';
import { ConfigError } from '../runtime/index.js';
import { isLoopbackHost } from './loopback.js';

/**
 * Throws a ConfigError (exit 2) for a HOST other machines can reach unless
 * API__ALLOW_UNAUTHENTICATED_REMOTE is true; with it, warns once in `log`.
 */
export function checkRemoteExposure(settings: Settings, log: Logger): void {
  const { host } = settings;
  if (isLoopbackHost(host)) return;
  if (!settings.api.allow_unauthenticated_remote)
    throw new ConfigError(
      `HOST: received ${JSON.stringify(host)}, which other machines can reach, and the HTTP API has no authentication yet; use a loopback HOST (127.0.0.1, ::1 or localhost), or set API__ALLOW_UNAUTHENTICATED_REMOTE=true to expose it anyway`,
    );
  log.warn(
    { host, setting: 'API__ALLOW_UNAUTHENTICATED_REMOTE' },
    'the HTTP API listens beyond loopback without authentication: anyone who reaches it can read portfolios and re-deliver dead letters',
  );
}
