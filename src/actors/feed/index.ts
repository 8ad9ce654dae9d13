/** The market feed: the seeded mock market and its live driver. */
export {
  MockMarket,
  MOCK_SCENARIOS,
  type MockScenario,
  type MockMarketConfig,
  type MockMarketSnapshot,
} from './mock-market.js';
export { MockFeed, type MockFeedOptions } from './mock-feed.js';
