/** Serves a Hono app over HTTP on host:port; resolves once it listens. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Listener } from '../system/index.js';

/** Listens on `host:port` (0: a free port); rejects when the port cannot be bound. */
export async function listen(app: Hono, host: string, port: number): Promise<Listener> {
  const server = serve({ fetch: app.fetch, port, hostname: host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections with no request in flight would hold the close open.
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      })),
  };
}
