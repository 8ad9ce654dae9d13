/** Broker adapters: the interface, the paper broker and its charges model. */
export type { BrokerAdapter, SimulatedBroker, RemoteBroker } from './broker.js';
export {
  PaperBroker,
  PAPER_DEFAULTS,
  PaperBrokerSnapshotSchema,
  type PaperBrokerConfig,
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
