/** Canceling an open order at the trader's request, and the checks every order command shares. */
import type { CancelOrder, ModifyOrder, OrderEvent } from '../../model/index.js';
import { cancelRemaining } from './close-order.js';
import type { Engine, OpenOrder } from './engine-state.js';
import { commandRejected } from './events.js';

/**
 * Returns the open order `command` names, or the OrderCommandRejected that refuses it: another
 * broker's command (BROKER_ERROR), an order not open (ORDER_NOT_OPEN), or one that belongs to
 * another strategy or instrument (INVALID_ORDER).
 */
export function targetOf(e: Engine, command: CancelOrder | ModifyOrder): OpenOrder | OrderEvent {
  if (command.broker !== 'paper') {
    return commandRejected(
      command,
      'BROKER_ERROR',
      `${command.type} for broker "${command.broker}" sent to the paper broker`,
    );
  }
  const o = e.state.orders.get(command.clientOrderId);
  if (o === undefined) {
    return commandRejected(
      command,
      'ORDER_NOT_OPEN',
      `order ${command.clientOrderId} is not open at the paper broker: it has filled, been canceled, expired or rejected, or was never placed`,
    );
  }
  if (o.strategyId !== command.strategyId || o.token !== command.token) {
    return commandRejected(
      command,
      'INVALID_ORDER',
      `order ${command.clientOrderId} is strategy ${o.strategyId}'s order for instrument ${o.token}, not strategy ${command.strategyId}'s for instrument ${command.token}`,
    );
  }
  return o;
}

/** Handles a CancelOrder: OrderCanceled with the unfilled quantity and the command's reason. */
export function cancelOrder(e: Engine, command: CancelOrder): OrderEvent[] {
  const target = targetOf(e, command);
  if ('type' in target) return [target];
  const out: OrderEvent[] = [];
  cancelRemaining(e.state, target, command.reason === '' ? 'canceled' : command.reason, out);
  return out;
}
