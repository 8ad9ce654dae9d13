/** The Zerodha (Kite Connect) adapter: so far, the ticker's wire format and its decoder. */
export {
  decodeMessage,
  decodePacket,
  marketTickOf,
  KiteDecodeError,
  type KiteDepthLevel,
  type KiteMessage,
  type KitePacket,
} from './decode.js';
export { parseKiteInstruments, instrumentOf, type KiteInstrument } from './symbols.js';
export { KiteError, classifyKiteError, type KiteDisposition } from './errors.js';
export {
  parseOrderUpdate,
  verifyPostback,
  type KiteOrder,
  type KiteTrade,
  type KiteSession,
} from './parse.js';
export { KiteRest, type KitePlaceOrder } from './http.js';
export { KiteTicker, type FeedGapNotice, type TickerStatus } from './ws.js';
export {
  ZerodhaBroker,
  type BrokerProblem,
  type ZerodhaBrokerOptions,
  type ZerodhaOrdersApi,
} from './orders.js';
export { confirmOrder, type TrackedOrder } from './order-state.js';
export { ZerodhaLink, type JournalOpenOrder, type ZerodhaHost } from './link.js';
export { sessionMachine, type SessionState } from './session.js';
export {
  FileSessionStore,
  SessionStoreError,
  kiteExpiry,
  sessionKey,
  type StoredSession,
} from './session-store.js';
export {
  KiteHistorical,
  RateLimiter,
  chunkRange,
  candlesCsv,
  writeAtomically,
  kiteQueryTime as kiteHistoricalQueryTime,
  type HistoricalClock,
  type HistoricalRequest,
  type KiteCandleRow,
  type KiteHistoricalOptions,
} from './historical.js';
