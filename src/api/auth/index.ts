/** The API's authentication: users, tokens, the guard and the rate limits, built from settings. */
import type { Logger } from 'pino';
import type { ApiUser, Settings } from '../../config/index.js';
import { secretBytes } from '../../runtime/index.js';
import { limiter, type Limiter } from './rate-limit.js';
import { tokenIssuer, type TokenIssuer } from './tokens.js';
import { userDirectory, type UserDirectory } from './users.js';

export { authGuard, type AuthPolicy, type Caller } from './guard.js';
export { rateLimit, clientOf, limiter, type Limiter } from './rate-limit.js';
export { tokenIssuer, type TokenIssuer, type Claims } from './tokens.js';
export { userDirectory, type UserDirectory, type UserSources } from './users.js';

/** Everything the app needs to authenticate and limit its callers. */
export interface ApiAuth {
  readonly users: UserDirectory;
  readonly tokens: TokenIssuer;
  readonly readsOpen: boolean;
  readonly metricsToken?: string;
  readonly requests: Limiter;
  readonly requestsPerMinute: number;
  readonly failedLogins: Limiter;
  readonly corsOrigins: readonly string[];
}

/**
 * The authentication of `settings.api`: users from API__ADMIN_PASSWORD, `fileUsers`
 * (CONFIG_DIR/users.yaml) and `lookup` (Postgres); tokens signed with API__JWT_SECRET, or with a
 * random key of this process (logged: tokens then end at a restart).
 */
export async function apiAuth(
  api: Settings['api'],
  sources: {
    fileUsers: readonly ApiUser[];
    lookup?: (username: string) => Promise<ApiUser | null>;
  },
  nowMs: () => number,
  log: Logger,
): Promise<ApiAuth> {
  const users = await userDirectory({
    file: sources.fileUsers,
    ...(api.admin_password !== undefined
      ? { admin: { username: api.admin_username, password: api.admin_password } }
      : {}),
    ...(sources.lookup ? { lookup: sources.lookup } : {}),
  });
  if (api.jwt_secret === undefined)
    log.warn(
      { setting: 'API__JWT_SECRET' },
      'API tokens are signed with a random key of this process: they end when it stops; set API__JWT_SECRET to keep them across restarts',
    );
  if (users.known === 0)
    log.warn(
      { setting: 'API__ADMIN_PASSWORD' },
      'no API user can log in, so no command can be sent over HTTP: set API__ADMIN_PASSWORD, or add users to CONFIG_DIR/users.yaml',
    );
  const secret = api.jwt_secret ?? secretBytes(32).toString('hex');
  return {
    users,
    tokens: tokenIssuer(secret, api.token_ttl_seconds, nowMs),
    readsOpen: api.reads === 'open',
    ...(api.metrics_token !== undefined ? { metricsToken: api.metrics_token } : {}),
    requests: limiter(api.rate_limit_per_minute, nowMs),
    requestsPerMinute: api.rate_limit_per_minute,
    failedLogins: limiter(api.login_attempts_per_minute, nowMs),
    corsOrigins: (api.cors_origins ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== ''),
  };
}
