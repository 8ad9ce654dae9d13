/** Actors and the trading system that supervises them. */
export { checkStrategyConfig, type StrategyConfig } from './strategy-config.js';
export {
  TradingSystem,
  type TradingSystemOptions,
  type BrokerSetup,
  type StrategyStatus,
  type SystemState,
} from './trading-system.js';
export { MockMarket, MockFeed, type MockScenario } from './feed/index.js';
export { createStrategyMachine } from './strategy/index.js';
export { riskGateMachine, DEFAULT_LIMITS, type RiskLimits } from './risk-gate/index.js';
export { traderMachine } from './trader/index.js';
export { portfolioMachine, DEFAULT_STARTING_CASH } from './portfolio/index.js';
export { MACHINE_VERSIONS, versionProblem } from './versions.js';
export {
  dlqTopicOf,
  pendingDeadLetters,
  redeliverDeadLetter,
  type RedeliveryOutcome,
} from './dead-letters.js';
