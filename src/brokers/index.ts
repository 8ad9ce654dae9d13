/** Broker adapters: the interface and the paper broker. */
export type { BrokerAdapter, BrokerCommand, SimulatedBroker, RemoteBroker } from './broker.js';
export {
  PaperBroker,
  PAPER_DEFAULTS,
  PaperBrokerSnapshotSchema,
  type PaperBrokerConfig,
  type PaperBrokerSnapshot,
} from './paper/index.js';
