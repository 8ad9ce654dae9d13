/** Broker adapters: the interface, the paper broker (a matching engine) and its charges model. */
export type { BrokerAdapter, BrokerCommand, SimulatedBroker, RemoteBroker } from './broker.js';
export { JournalOnlyBroker } from './broker.js';
export {
  PaperBroker,
  PAPER_DEFAULTS,
  PaperBrokerSnapshotSchema,
  type PaperBrokerConfig,
  type ResolvedPaperBrokerConfig,
  type PaperBrokerSnapshot,
  computeCharges,
  FLAT_CHARGES_ORIGINAL,
  type ChargesModel,
  type ChargesBreakdown,
  type ChargesOptions,
  type Product,
  type ZerodhaRates,
  type ZerodhaProductRates,
} from './paper/index.js';
export * from './zerodha/index.js';
