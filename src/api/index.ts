/** The HTTP API. */
export { createApp, type ApiDeps, type ReadinessCheck } from './app.js';
export { ApiError } from './api-error.js';
