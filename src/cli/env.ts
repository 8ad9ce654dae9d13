/** The environment variables each kind of command reads, by their names in ENV_VARS. */
import { ENV_VARS, envVarsWithPrefix } from '../config/index.js';

/** Every command logs (src/main.ts). */
export const LOGGING = ['LOG_LEVEL', 'LOG_FORMAT'];

/** Where the HTTP API listens, or where a client finds the daemon's. */
export const HTTP = ['HOST', 'PORT'];

/** The HTTP API's own limits. */
export const API_LIMITS = envVarsWithPrefix('API__');

/** A tool that reads the journal: LMDB under DATA_DIR, or the Kafka topics read-only. */
export const JOURNAL_READ = [
  'DATA_DIR',
  'KAFKA_BROKERS',
  'KAFKA_CLIENT_ID',
  'KAFKA_TOPIC_PREFIX',
  'CREATE_DLQ_FOR_ALL',
];

/** The Kafka topic table: what `topics bootstrap` (and the daemon on Kafka) creates. */
export const TOPIC_TABLE = [
  'KAFKA_BROKERS',
  'KAFKA_CLIENT_ID',
  'KAFKA_TOPIC_PREFIX',
  'REDPANDA_BROKER_COUNT',
  'TOPIC_PARTITIONS_MULTIPLIER',
  'CREATE_DLQ_FOR_ALL',
];

/** A run's configuration: CONFIG_DIR's files, the brokers' models and limits, the budget. */
export const RUN = [
  'CONFIG_DIR',
  'ACTIVE_BROKERS',
  ...envVarsWithPrefix('PAPER_TRADING__'),
  ...envVarsWithPrefix('RISK__'),
  ...envVarsWithPrefix('SUPERVISOR__'),
];

/** Every variable: the daemon reads them all. */
export const ALL = ENV_VARS.map((v) => v.name);
