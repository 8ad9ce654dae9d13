/** Market data sources: the seeded mock market and its live driver (frames enter through ingress). */
export { MOCK_SCENARIOS, type MockScenario } from './mock/scenarios.js';
export { MockMarket, type MockMarketConfig, type MockMarketSnapshot } from './mock/mock-market.js';
export { MockFeed, type MockFeedOptions } from './mock/mock-feed.js';
export * from './history/index.js';
export { PreparedTicks, RandomWalk, randomWalkTicks, type RandomWalkSpec } from './random-walk.js';
