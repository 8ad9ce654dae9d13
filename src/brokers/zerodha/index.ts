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
