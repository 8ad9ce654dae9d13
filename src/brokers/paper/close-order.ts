/** Taking an order out of the open set: index upkeep, bracket-group pruning, and cancellation. */
import type { OrderEvent } from '../../model/index.js';
import { remainingOf, type EngineState, type OpenOrder } from './engine-state.js';
import { canceled } from './events.js';

/**
 * Removes `o` from the open orders (filled, canceled or expired in full), and its bracket group
 * once neither the entry nor an exit of it is open. Does nothing when `o` is not open.
 */
export function closeOrder(state: EngineState, o: OpenOrder): void {
  if (state.orders.get(o.clientOrderId) !== o) return;
  state.orders.delete(o.clientOrderId);
  const list = state.byToken.get(o.token);
  if (list !== undefined) {
    const i = list.indexOf(o);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) state.byToken.delete(o.token);
  }
  const entryId = o.exitOf ?? o.clientOrderId;
  const group = state.brackets.get(entryId);
  if (group === undefined) return;
  const open = (id: string): boolean => state.orders.has(id as typeof entryId);
  if (!open(entryId) && !open(`${entryId}T`) && !open(`${entryId}S`)) {
    state.brackets.delete(entryId);
  }
}

/** Cancels what is left of `o` (OrderCanceled with that quantity and `reason`) and closes it. */
export function cancelRemaining(
  state: EngineState,
  o: OpenOrder,
  reason: string,
  out: OrderEvent[],
): void {
  const left = remainingOf(o);
  if (left > 0) out.push(canceled(o, left, reason));
  closeOrder(state, o);
}
