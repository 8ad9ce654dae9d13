/** Read models: projections of the journal for queries. */
export { PortfolioReadModel, type PortfolioView } from './portfolio-view.js';
