/** Serves the HTTP API: the app of a view, swapped in once the view is ready. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { loadUsersFile, type Settings } from '../config/index.js';
import { StartupError, SystemClock } from '../runtime/index.js';
import { apiAuth } from './auth/index.js';
import type { StreamRoutes } from './routes/streams.js';
import type { DaemonView, Listener } from '../system/index.js';
import { createApp } from './app.js';

/** What a server serves: an app's fetch. */
export interface FetchApp {
  fetch(req: Request, env: unknown): Response | Promise<Response>;
}

/** A server that answers while the process starts, then serves the daemon's view. */
export interface DaemonServer extends Listener {
  serve(view: DaemonView): void;
}

/** The app before the daemon is ready: alive, not ready, every other route 503. */
function startingApp(): Hono {
  const app = new Hono();
  const message = 'the daemon is starting (opening and recovering the journal); try again shortly';
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', (c) =>
    c.json({ ready: false, checks: [{ name: 'start', ok: false, problem: message }] }, 503),
  );
  app.all('*', (c) => c.json({ error: { code: 'STARTING', message } }, 503));
  return app;
}

/**
 * Listens on `host:port` (0: a free port) with `app`; rejects with a StartupError naming the
 * port or host when they cannot be bound.
 */
export async function listen(
  app: FetchApp,
  host: string,
  port: number,
  serveView: (view: DaemonView) => FetchApp = () => app,
): Promise<DaemonServer> {
  let current = app;
  const server = serve({ fetch: (req, env) => current.fetch(req, env), port, hostname: host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', (err: NodeJS.ErrnoException) => {
      server.close();
      reject(bindError(err, host, port));
    });
  });
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    serve: (view) => {
      current = serveView(view);
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections with no request in flight would hold the close open.
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      })),
  };
}

/** What the daemon's API takes from the settings. */
export interface DaemonApiOptions {
  readonly log: Logger;
  readonly maxBodyBytes: number;
  readonly api: Settings['api'];
  /** CONFIG_DIR: its users.yaml lists API users. */
  readonly configDir: string;
  /** DATABASE_URL is set: users are also looked up in Postgres (once the daemon has it open). */
  readonly usersInPostgres: boolean;
  readonly version?: string;
}

/** The daemon's server: listening at once, serving its view once it is ready. */
export async function listenDaemon(
  host: string,
  port: number,
  opts: DaemonApiOptions,
): Promise<DaemonServer> {
  let lookup: DaemonView['users'];
  const clock = new SystemClock();
  const auth = await apiAuth(
    opts.api,
    {
      fileUsers: loadUsersFile(opts.configDir),
      ...(opts.usersInPostgres
        ? { lookup: (u: string) => (lookup ? lookup(u) : Promise.resolve(null)) }
        : {}),
    },
    () => clock.now(),
    opts.log,
  );
  const { log, maxBodyBytes } = opts;
  let streams: StreamRoutes | undefined;
  const server = await listen(startingApp(), host, port, (view) => {
    lookup = view.users;
    const { users: _, ...rest } = view;
    return createApp({
      ...rest,
      log,
      maxBodyBytes,
      auth,
      host,
      onStreams: (s) => (streams = s),
      ...(opts.version !== undefined ? { version: opts.version } : {}),
    });
  });
  // An open stream is not idle: a stop ends the streams first, or the close would wait on them.
  return {
    ...server,
    port: server.port,
    serve: (view) => server.serve(view),
    close: () => {
      streams?.closeAll();
      return server.close();
    },
  };
}

function bindError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new StartupError(
        `PORT ${port} on ${host} is in use by another process; stop it, or set PORT to a free port`,
      );
    case 'EACCES':
      return new StartupError(
        `PORT ${port} on ${host} needs privileges this process lacks; set PORT to 1024 or above`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupError(
        `HOST ${host} is not an address of this machine; set HOST to one (127.0.0.1 by default)`,
      );
    default:
      return new StartupError(
        `cannot listen on ${host}:${port} (${err.code ?? err.message}); check HOST and PORT`,
      );
  }
}
