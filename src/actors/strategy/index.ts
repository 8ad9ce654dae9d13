/** The strategy actor. */
export {
  createStrategyMachine,
  type StrategyMachine,
  type StrategyInput,
  type StrategyContext,
  type StrategyEvent,
} from './strategy-machine.js';
