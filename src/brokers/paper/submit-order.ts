/** Placing an order: checks, acceptance, the order's latency, and its first match. */
import type { OrderEvent, SubmitOrder } from '../../model/index.js';
import { accountOf, freeCncHoldings, openCncSells } from './accounts.js';
import { registerBracket } from './brackets.js';
import { derivedBelow } from './derived-random.js';
import type { Engine } from './engine-state.js';
import { accepted, rejected } from './events.js';
import { acceptOrder } from './accept-order.js';
import { arrive } from './match-order.js';
import { normalizeOrder, validateSubmit } from './validate-order.js';

/**
 * Handles a SubmitOrder: [OrderRejected] when it is invalid (INVALID_ORDER, BROKER_ERROR), the
 * instrument never ticked (NO_MARKET_DATA) or a CNC sell exceeds the free holdings
 * (NO_POSITION_TO_SELL); else OrderAccepted, then, without latency, what its first match did.
 */
export function submitOrder(e: Engine, cmd: SubmitOrder): OrderEvent[] {
  const order = normalizeOrder(e, cmd);
  const refusal = validateSubmit(e, order);
  if (refusal !== null) return [rejected(order, refusal.code, refusal.detail)];
  const last = e.state.lastTicks.get(order.token);
  if (last === undefined) {
    return [
      rejected(
        order,
        'NO_MARKET_DATA',
        `no tick seen for instrument ${order.token}: the paper broker fills only against the live book, so the instrument must be in the feed and have ticked before an order`,
      ),
    ];
  }
  if (order.product === 'CNC' && order.side === 'SELL') {
    const free = freeCncHoldings(e.state, order.strategyId, order.token);
    if (order.quantity > free) {
      const held = accountOf(e.state, order.strategyId, order.token)?.cnc ?? 0;
      const selling = openCncSells(e.state, order.strategyId, order.token);
      return [
        rejected(
          order,
          'NO_POSITION_TO_SELL',
          `a CNC SELL of ${order.quantity} exceeds the ${Math.max(0, free)} shares free to sell: strategy ${order.strategyId} holds ${held} of instrument ${order.token} in CNC and ${selling} are on open CNC sell orders; CNC cannot sell short (MIS can)`,
        ),
      ];
    }
  }
  const now = e.clock.now();
  const jitter = e.config.latencyJitterMs;
  const delay =
    e.config.latencyMs +
    (jitter === 0 ? 0 : derivedBelow(e.config.seed, `${order.clientOrderId}:latency`, jitter + 1));
  const o = acceptOrder(
    e,
    {
      clientOrderId: order.clientOrderId,
      strategyId: order.strategyId,
      token: order.token,
      side: order.side,
      orderType: order.orderType,
      validity: order.validity,
      product: order.product,
      quantity: order.quantity,
      price: order.price,
      limitPrice: order.limitPrice ?? null,
      triggerPrice: order.triggerPrice ?? null,
      protectionPrice:
        order.orderType === 'MARKET' || order.orderType === 'SL-M'
          ? (order.protectionPrice ?? null)
          : null,
      exitOf: null,
    },
    now + delay,
  );
  registerBracket(e, o, order);
  const out: OrderEvent[] = [accepted(o, o.brokerOrderId)];
  if (delay === 0) arrive(e, o, last, out);
  return out;
}
