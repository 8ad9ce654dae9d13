/** The portfolio actor and its accounting. */
export {
  portfolioMachine,
  portfolioSnapshotOf,
  DEFAULT_STARTING_CASH,
  type PortfolioInput,
  type PortfolioContext,
  type PortfolioEvent,
} from './portfolio-machine.js';
export { applyFill, unrealized, averagePrice, EMPTY_HOLDING, type Holding } from './accounting.js';
