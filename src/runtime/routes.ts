/**
 * The route table: for every message an actor emits, its topic, partition key, broker scope and
 * where it goes: the actors that receive it, or the broker adapter that executes it (the order's
 * hop to its broker, `broker:<name>`). The one place that names topics and routes (ARCHITECTURE
 * "Actors and supervision").
 */
import {
  keys,
  topics,
  type ActorOutput,
  type BrokerName,
  type BrokerScope,
  type StrategyId,
} from '../model/index.js';

export interface Routed {
  readonly topic: string;
  readonly key: string;
  readonly broker: BrokerScope;
  /** Where the message goes, in this order: actor ids, or a broker adapter's `broker:<name>`. */
  readonly to: readonly string[];
}

export const actorIds = {
  feed: 'feed',
  strategy: (s: StrategyId | string) => `strategy:${s}`,
  riskGate: (b: BrokerName) => `risk-gate:${b}`,
  trader: (b: BrokerName) => `trader:${b}`,
  portfolio: (b: BrokerName, s: StrategyId | string) => `portfolio:${b}:${s}`,
  supervisor: (name: string) => `supervisor:${name}`,
  /** A broker adapter: not an actor, but where a SubmitOrder goes once it is journaled. */
  broker: (b: BrokerName) => `broker:${b}`,
} as const;

/** Routes a message an actor emitted. */
export function routeOf(msg: ActorOutput): Routed {
  switch (msg.type) {
    case 'TradingSignal':
      return {
        topic: topics.signalsRaw(msg.broker),
        key: keys.signal(msg.strategyId, msg.token),
        broker: msg.broker,
        to: [actorIds.riskGate(msg.broker)],
      };
    case 'SignalValidated':
      return {
        topic: topics.signalsValidated(msg.broker),
        key: keys.signal(msg.signal.strategyId, msg.signal.token),
        broker: msg.broker,
        to: [actorIds.trader(msg.broker)],
      };
    case 'SignalRejected':
      return {
        topic: topics.signalsRejected(msg.broker),
        key: keys.signal(msg.signal.strategyId, msg.signal.token),
        broker: msg.broker,
        to: [actorIds.strategy(msg.signal.strategyId)],
      };
    case 'SubmitOrder':
      // The gate counts open orders; then the hop to the broker: a simulated one executes at
      // once, a remote one once the record is durable.
      return {
        topic: topics.ordersSubmitted(msg.broker),
        key: keys.order(msg.strategyId, msg.token),
        broker: msg.broker,
        to: [actorIds.riskGate(msg.broker), actorIds.broker(msg.broker)],
      };
    case 'CancelOrder':
    case 'ModifyOrder':
      return {
        ...orderRoute(msg, topics.ordersCommands(msg.broker)),
        to: [actorIds.broker(msg.broker)],
      };
    case 'OrderModified':
    case 'OrderCommandRejected':
      return {
        ...orderRoute(msg, topics.ordersUpdates(msg.broker)),
        to: [actorIds.strategy(msg.strategyId)],
      };
    case 'OrderAccepted':
      return { ...orderRoute(msg, topics.ordersAck(msg.broker)), to: [] };
    case 'OrderFilled':
      return {
        ...orderRoute(msg, topics.ordersFilled(msg.broker)),
        to: [
          actorIds.riskGate(msg.broker),
          actorIds.portfolio(msg.broker, msg.strategyId),
          actorIds.strategy(msg.strategyId),
        ],
      };
    case 'OrderRejected':
      return {
        ...orderRoute(msg, topics.ordersFailed(msg.broker)),
        to: [actorIds.riskGate(msg.broker), actorIds.strategy(msg.strategyId)],
      };
    case 'OrderCanceled':
      return {
        ...orderRoute(msg, topics.ordersCanceled(msg.broker)),
        to: [actorIds.riskGate(msg.broker), actorIds.strategy(msg.strategyId)],
      };
    case 'PnlSnapshot':
      return {
        topic: topics.pnlSnapshots(msg.broker),
        key: keys.pnl(msg.broker, msg.strategyId),
        broker: msg.broker,
        to: [],
      };
    case 'PortfolioSnapshot':
      return {
        topic: topics.portfolioSnapshots(msg.broker),
        key: keys.pnl(msg.broker, msg.strategyId),
        broker: msg.broker,
        to: [],
      };
    case 'SetTradingState':
      return {
        topic: topics.controlCommands,
        key: msg.broker,
        broker: msg.broker,
        to: [actorIds.riskGate(msg.broker)],
      };
    case 'TradingStateChanged':
      return { topic: topics.systemEvents, key: msg.broker, broker: msg.broker, to: [] };
    case 'ActorRestarted':
    case 'ActorFaulted':
      return { topic: topics.systemEvents, key: msg.actorId, broker: 'system', to: [] };
  }
  return unroutable(msg);
}

/** An emitted message of no known type (an actor outside the union): a programming error. */
function unroutable(msg: never): never {
  throw new Error(
    `no route for message ${JSON.stringify(msg)}; add its type to ActorOutput and to src/runtime/routes.ts`,
  );
}

function orderRoute(
  msg: { readonly broker: BrokerName; readonly strategyId: StrategyId; readonly token: number },
  topic: string,
): Omit<Routed, 'to'> {
  return { topic, key: keys.order(msg.strategyId, msg.token), broker: msg.broker };
}
