/** The paper broker: an in-process matching engine against the live book, with costs and accounts. */
export { PaperBroker } from './paper-broker.js';
export {
  PAPER_DEFAULTS,
  type PaperBrokerConfig,
  type ResolvedPaperBrokerConfig,
} from './paper-config.js';
export { PaperBrokerSnapshotSchema, type PaperBrokerSnapshot } from './paper-snapshot.js';
export {
  computeCharges,
  FLAT_CHARGES_ORIGINAL,
  type ChargesModel,
  type ChargesBreakdown,
  type ChargesOptions,
  type Product,
  type ZerodhaRates,
  type ZerodhaProductRates,
} from './charges.js';
export {
  walkBook,
  WALK_BOOK_DEFAULTS,
  type WalkBookOptions,
  type BookFill,
  type FillLevel,
} from './fill.js';
export { applySlippage } from './slippage.js';
export { derivedU32, derivedBelow } from './derived-random.js';
