/** The trader actor. */
export {
  traderMachine,
  type TraderInput,
  type TraderContext,
  type TraderEvent,
  type OpenOrder,
  type OrderStatus,
} from './trader-machine.js';
