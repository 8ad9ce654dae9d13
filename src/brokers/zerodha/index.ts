/** The Zerodha (Kite Connect) adapter: the ticker (wire format, decoder, client) and Kite's REST API. */
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
