/** Read models: projections of the journal for queries, in-process or in Redis. */
export { PortfolioReadModel, type PortfolioView } from './portfolio-view.js';
export {
  OrderReadModel,
  OPEN_STATUSES,
  ORDER_RECORDS,
  type OrderFilter,
  type OrderView,
  type OrderViewStatus,
} from './order-view.js';
export type { PortfolioSource } from './portfolio-source.js';
export {
  SignalReadModel,
  SIGNAL_TYPES,
  type SignalFilter,
  type SignalPage,
  type SignalRow,
  type SignalType,
} from './signal-view.js';
export { PipelineReadModel, STAGE_ORDER, TICKS_STAGE, type StageHealth } from './pipeline-view.js';
export {
  RedisProjection,
  type RedisProjectionOptions,
  type IntervalScheduler,
  type ReadModelRewrite,
} from './redis-projection.js';
export { RedisPortfolioReader } from './redis-reader.js';
export {
  closeRedis,
  connectRedis,
  describeRedisUrl,
  redisClient,
  type RedisClientOptions,
} from './redis-client.js';
export {
  OWNED_KEY_PATTERNS,
  PIPELINE_STAGES,
  redisKeys,
  type PipelineStage,
} from './redis-keys.js';
export { ReadModelCorrupt, ReadModelUnavailable, ReadModelWriteFailed } from './errors.js';
