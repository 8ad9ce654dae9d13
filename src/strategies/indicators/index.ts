/** Technical indicators: pure functions over numbers and bars, plus a plain-data ring buffer. */
export { sma, stdev, emaNext, returns } from './series.js';
export { rsi, bollinger } from './oscillators.js';
export { type Bar, trueRange, atr } from './bars.js';
export {
  type Ring,
  ring,
  ringPush,
  ringLength,
  ringFull,
  ringAt,
  ringLast,
  ringValues,
  ringClone,
} from './ring.js';
export { POSITION_PARAMS, type PositionParams, positionQuantity } from './position.js';
