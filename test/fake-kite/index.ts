/** The fake Kite Connect server for tests: its class, scripts, and the ticker encoder. */
export {
  FakeKite,
  type FakeKiteOptions,
  type KiteOrderJson,
  type RecordedRequest,
} from './fake-kite.js';
export type { PlaceScript, Script } from './http-routes.js';
export { TOO_MANY_REQUESTS } from './http-routes.js';
export type { UpdateFaults, PostbackSent } from './order-updates.js';
export type { SeedHolding } from './exchange.js';
export {
  encodeFrame,
  encodePacket,
  encodeTick,
  packetOfTick,
  HEARTBEAT,
  type TickMode,
} from './encode.js';
export { updateChecksum } from './order-json.js';
export { KITE_FIXTURES } from './kite-fixtures.js';
