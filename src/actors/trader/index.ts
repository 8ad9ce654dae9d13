/** The trader actor. */
export {
  traderMachine,
  type TraderInput,
  type TraderContext,
  type TraderEvent,
  type OrderIdSource,
  type OpenOrder,
  type OrderStatus,
} from './trader-machine.js';
