/** Broker adapters: the interface and the paper broker (a matching engine). */
export type { BrokerAdapter, BrokerCommand, SimulatedBroker, RemoteBroker } from './broker.js';
export {
  PaperBroker,
  PAPER_DEFAULTS,
  PaperBrokerSnapshotSchema,
  type PaperBrokerConfig,
  type ResolvedPaperBrokerConfig,
  type PaperBrokerSnapshot,
} from './paper/index.js';
