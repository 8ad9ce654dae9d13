/** The HTTP API: the Hono app, its routes, and the servers of the daemon and the API-only process. */
export { createApp, type ApiDeps, type PortfolioResponse, type MoneyResponse } from './app.js';
export { ApiError } from './api-error.js';
export { listen, listenDaemon, type DaemonServer } from './server.js';
export { startApiOnly, runApiOnly, type ApiOnlyOptions, type ApiOnlyServer } from './api-only.js';
export { checkRemoteExposure } from './remote-exposure.js';
