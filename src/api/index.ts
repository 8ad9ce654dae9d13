/** The HTTP API. */
export {
  createApp,
  type ApiDeps,
  type ReadinessCheck,
  type PortfolioResponse,
  type MoneyResponse,
} from './app.js';
export { ApiError } from './api-error.js';
