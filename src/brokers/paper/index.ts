/** The paper broker: in-process MARKET fills against the live book, with slippage and charges. */
export {
  PaperBroker,
  PAPER_DEFAULTS,
  PaperBrokerSnapshotSchema,
  type PaperBrokerConfig,
  type ResolvedPaperBrokerConfig,
  type PaperBrokerSnapshot,
} from './paper-broker.js';
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
