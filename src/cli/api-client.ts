/**
 * How the command-line tools talk to a running daemon's API: its address (--api, else
 * http://HOST:PORT) and a token from logging in as the first admin (API__ADMIN_USERNAME,
 * API__ADMIN_PASSWORD), or none when no password is set (the daemon's reads are then open or
 * refused with a message saying so).
 */
import type { Settings } from '../config/index.js';
import { ConfigError } from '../runtime/index.js';

/** The environment the tools read to log in. */
export const LOGIN_ENV = ['API__ADMIN_USERNAME', 'API__ADMIN_PASSWORD'];

/** The daemon: `api` (from --api), else http://HOST:PORT (0.0.0.0 asked on 127.0.0.1). */
export function apiBase(settings: Settings, api: string | undefined): string {
  const host = settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host;
  return (api ?? `http://${host}:${settings.port}`).replace(/\/+$/, '');
}

/** The Authorization header of a token for the first admin, or {} without API__ADMIN_PASSWORD. */
export async function authHeaders(
  settings: Settings,
  base: string,
  tool: string,
): Promise<Record<string, string>> {
  const password = settings.api.admin_password;
  if (password === undefined) return {};
  let res: Response;
  try {
    res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: settings.api.admin_username, password }),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? String(err);
    throw new ConfigError(
      `${tool}: no daemon answers at ${base} (${cause}); start it (npm start) or pass --api http://host:port`,
    );
  }
  if (!res.ok)
    throw new ConfigError(
      `${tool}: the daemon at ${base} refused the login as ${settings.api.admin_username} (${res.status}); set API__ADMIN_USERNAME and API__ADMIN_PASSWORD as the daemon has them`,
    );
  const { token } = (await res.json()) as { token: string };
  return { Authorization: `Bearer ${token}` };
}
