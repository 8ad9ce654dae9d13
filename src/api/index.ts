/** The HTTP API: the Hono app, its routes, and the servers of the daemon and the API-only process. */
export { createApp, type ApiDeps } from './app.js';
export type { PortfolioResponse, MoneyResponse } from './routes/portfolios.js';
export { apiAuth, type ApiAuth } from './auth/index.js';
export type { MetricsSource } from './routes/health.js';
export { ApiError } from './api-error.js';
export { listen, listenDaemon, type DaemonServer, type DaemonApiOptions } from './server.js';
export { startApiOnly, runApiOnly, type ApiOnlyOptions, type ApiOnlyServer } from './api-only.js';
export { checkRemoteExposure } from './remote-exposure.js';
