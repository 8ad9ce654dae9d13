/** Where the API reads portfolios from: the in-process read model or Redis. */
import type { PortfolioView } from './portfolio-view.js';

/**
 * A queryable set of portfolio views. The in-process PortfolioReadModel answers synchronously;
 * RedisPortfolioReader answers with promises.
 */
export interface PortfolioSource {
  /** Every portfolio, sorted by broker then strategy id. */
  list(): PortfolioView[] | Promise<PortfolioView[]>;
  get(
    broker: string,
    strategyId: string,
  ): PortfolioView | undefined | Promise<PortfolioView | undefined>;
}
