/**
 * The start-up check of `start` and `api`: reads without a token (API__READS=open) are allowed
 * only while the API listens on loopback; on any other interface every read needs a token too.
 */
import type { Settings } from '../config/index.js';
import { ConfigError } from '../runtime/index.js';
import { isLoopbackHost } from './loopback.js';

/** Throws a ConfigError (exit 2) for open reads on a HOST other machines can reach. */
export function checkRemoteExposure(settings: Settings): void {
  const { host } = settings;
  if (isLoopbackHost(host) || settings.api.reads !== 'open') return;
  throw new ConfigError(
    `API__READS: received "open" with HOST ${JSON.stringify(host)}, which other machines can reach; reads without a token are allowed on a loopback HOST only (127.0.0.1, ::1 or localhost): unset API__READS (reads then need a token) or use a loopback HOST`,
  );
}
