/**
 * `login`: the Kite login for a daemon on a server without a browser. It asks the running daemon
 * (`--api URL`, by default http://HOST:PORT) for Kite's login URL, prints it, and waits until the
 * daemon has a new session: the operator opens the URL anywhere, logs in, and Kite redirects to
 * the app's registered redirect URL, which must reach the daemon's
 * `/api/v1/auth/zerodha/callback` (a tunnel will do). Exits 0 once logged in, 1 on timeout.
 */
import { ConfigError, SystemClock } from '../runtime/index.js';
import { expectOnly, intOption, parseArgs, stringOption } from './args.js';
import type { Command } from './command.js';
import { HTTP, LOGGING } from './env.js';
import { apiBase, authHeaders, LOGIN_ENV } from './api-client.js';

interface SessionView {
  readonly state: string;
  readonly reason: string;
  readonly userId: string | null;
  readonly loginAt: number | null;
  readonly expiresAt: number | null;
  readonly loginUrl: string;
}

async function session(api: string, headers: Record<string, string>): Promise<SessionView> {
  let res: Response;
  try {
    res = await fetch(`${api}/api/v1/auth/zerodha`, { headers });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? String(err);
    throw new ConfigError(
      `login: no daemon answers at ${api} (${cause}); start it first (node dist/main.js start with ACTIVE_BROKERS including zerodha) or pass --api http://host:port`,
    );
  }
  if (res.status === 404)
    throw new ConfigError(
      `login: the daemon at ${api} has no Zerodha link; start it with ACTIVE_BROKERS=paper,zerodha (or FEED__SOURCE=kite) and the ZERODHA__ keys`,
    );
  if (res.status === 401)
    throw new ConfigError(
      `login: the daemon at ${api} needs a token; set API__ADMIN_USERNAME and API__ADMIN_PASSWORD as the daemon has them`,
    );
  if (!res.ok) throw new ConfigError(`login: the daemon at ${api} answered ${res.status}`);
  return (await res.json()) as SessionView;
}

export const login: Command = {
  name: 'login',
  summary:
    "prints Kite's login URL for the running daemon and waits until the daemon has the new session (for servers without a browser)",
  options: [
    { name: 'api', value: 'URL', default: 'http://HOST:PORT', help: 'the daemon to log in' },
    {
      name: 'timeout',
      value: 'SECONDS',
      default: '600',
      help: 'how long to wait for the login',
    },
  ],
  env: [...LOGGING, ...HTTP, ...LOGIN_ENV],
  logTo: 'stderr',
  async run({ settings }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const api = apiBase(settings, stringOption(args, 'api'));
    const timeoutMs = intOption(args, 'timeout', 600, 1, 86_400) * 1000;
    const headers = await authHeaders(settings, api, 'login');
    const before = await session(api, headers);
    process.stdout.write(
      `Open this URL in a browser and log in to Kite (session now ${before.state}):\n\n  ${before.loginUrl}\n\nKite then redirects to the app's redirect URL, which must reach ${api}/api/v1/auth/zerodha/callback. Waiting...\n`,
    );
    const clock = new SystemClock();
    const deadline = clock.now() + timeoutMs;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await session(api, headers);
      if (now.loginAt !== null && now.loginAt !== before.loginAt && now.state !== 'EXPIRED') {
        const until =
          now.expiresAt === null ? '' : `, valid until ${new Date(now.expiresAt).toISOString()}`;
        process.stdout.write(`logged in as ${now.userId ?? '?'} (session ${now.state}${until})\n`);
        return 0;
      }
      if (clock.now() > deadline) {
        process.stderr.write(
          `login: no login within ${timeoutMs / 1000} s (session ${now.state}: ${now.reason})\n`,
        );
        return 1;
      }
    }
  },
};
