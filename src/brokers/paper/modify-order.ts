/**
 * Changing an open order: quantity (not below what has filled), limit price, trigger price, at most
 * maxModifications times. A new price is a new order to the exchange: a resting order matches
 * again at once and draws a new place in the queue; a changed trigger is checked against the
 * last price. A quantity change keeps the order's place.
 */
import type { ModifyOrder, OrderEvent } from '../../model/index.js';
import { freeCncHoldings } from './accounts.js';
import { closeOrder } from './close-order.js';
import { targetOf } from './cancel-order.js';
import type { Engine, OpenOrder } from './engine-state.js';
import { commandRejected, modified } from './events.js';
import { matchNow, stopTriggered } from './match-order.js';
import { priceProblem, stopLimitProblem } from './validate-order.js';

/** Handles a ModifyOrder: OrderModified and what the changed order did at once, or a refusal. */
export function modifyOrder(e: Engine, command: ModifyOrder): OrderEvent[] {
  const target = targetOf(e, command);
  if ('type' in target) return [target];
  const o = target;
  const max = e.config.maxModifications;
  if (o.traderModifications >= max) {
    return [
      commandRejected(
        command,
        'MODIFY_LIMIT_REACHED',
        `order ${o.clientOrderId} has been modified ${o.traderModifications} times, the most allowed (${max}); cancel it and place a new one`,
      ),
    ];
  }
  const problem = modifyProblem(e, o, command);
  if (problem !== null) {
    return [commandRejected(command, problem.code ?? 'INVALID_ORDER', problem.detail)];
  }
  const limitChanged = command.limitPrice !== undefined && command.limitPrice !== o.limitPrice;
  const triggerChanged =
    command.triggerPrice !== undefined && command.triggerPrice !== o.triggerPrice;
  if (command.quantity !== undefined) o.quantity = command.quantity;
  if (command.limitPrice !== undefined) o.limitPrice = command.limitPrice;
  if (command.triggerPrice !== undefined) o.triggerPrice = command.triggerPrice;
  o.traderModifications += 1;
  o.modifications += 1;
  const out: OrderEvent[] = [modified(o)];
  // A quantity cut to what has filled completes the order: OrderModified is its last event.
  if (o.filled >= o.quantity) {
    closeOrder(e.state, o);
    return out;
  }
  const last = e.state.lastTicks.get(o.token);
  if (!o.arrived || last === undefined) return out;
  const stop = o.orderType === 'SL' || o.orderType === 'SL-M';
  if (stop && !o.triggered) {
    if (triggerChanged && stopTriggered(o, last.tick.lastPrice)) {
      o.triggered = true;
      matchNow(e, o, last, out);
    }
    return out;
  }
  if (limitChanged && o.queueAhead !== null) matchNow(e, o, last, out);
  return out;
}

interface Problem {
  readonly code?: 'NO_POSITION_TO_SELL';
  readonly detail: string;
}

function modifyProblem(e: Engine, o: OpenOrder, c: ModifyOrder): Problem | null {
  const { quantity, limitPrice, triggerPrice } = c;
  if (quantity === undefined && limitPrice === undefined && triggerPrice === undefined) {
    return {
      detail: 'a ModifyOrder must change the quantity, the limit price or the trigger price',
    };
  }
  if (quantity !== undefined) {
    if (!Number.isSafeInteger(quantity) || quantity <= 0 || quantity < o.filled) {
      return {
        detail: `the new quantity must be a positive integer, not below the ${o.filled} already filled, received ${String(quantity)}`,
      };
    }
    if (o.exitOf !== null) {
      return {
        detail: `order ${o.clientOrderId} is a bracket exit: its quantity follows its entry ${o.exitOf}`,
      };
    }
    if (o.product === 'CNC' && o.side === 'SELL') {
      const free = freeCncHoldings(e.state, o.strategyId, o.token, o.clientOrderId);
      const left = quantity - o.filled;
      if (left > free) {
        return {
          code: 'NO_POSITION_TO_SELL',
          detail: `a CNC SELL with ${left} left to sell exceeds the ${Math.max(0, free)} shares free to sell`,
        };
      }
    }
  }
  const tick = e.config.tickSize;
  if (limitPrice !== undefined) {
    if (o.orderType !== 'LIMIT' && o.orderType !== 'SL') {
      return { detail: `a ${o.orderType} order has no limit price to change` };
    }
    const p = priceProblem('limitPrice', limitPrice, tick);
    if (p !== null) return { detail: p };
  }
  if (triggerPrice !== undefined) {
    if (o.orderType !== 'SL' && o.orderType !== 'SL-M') {
      return { detail: `a ${o.orderType} order has no trigger price to change` };
    }
    if (o.triggered) {
      return { detail: `order ${o.clientOrderId} has triggered; its trigger price is spent` };
    }
    const p = priceProblem('triggerPrice', triggerPrice, tick);
    if (p !== null) return { detail: p };
  }
  if (o.orderType === 'SL') {
    const trigger = triggerPrice ?? o.triggerPrice;
    const limit = limitPrice ?? o.limitPrice;
    if (trigger !== null && limit !== null) {
      const p = stopLimitProblem(o.side, trigger, limit);
      if (p !== null) return { detail: p };
    }
  }
  return null;
}
