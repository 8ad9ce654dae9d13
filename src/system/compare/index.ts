/** compare: two runs' orders lined up (backtest vs paper vs live, or two parameter sets). */
export { journalOrders, type JournalOrders, type OrderLine } from './journal-orders.js';
export {
  compareOrders,
  DEFAULT_WINDOW_MS,
  type OrderChange,
  type OrderComparison,
} from './compare-orders.js';
export { compareJournals } from './compare-journals.js';
