/**
 * The route table: for every message type, its topic, partition key, broker scope and the actors
 * that receive it. The one place that names topics and routes (ARCHITECTURE "Actors and supervision").
 */
import {
  keys,
  topics,
  type BrokerName,
  type BrokerScope,
  type StrategyId,
} from '../model/index.js';

export interface Routed {
  readonly topic: string;
  readonly key: string;
  readonly broker: BrokerScope;
  /** Actor ids that receive the message (in this order). */
  readonly to: readonly string[];
}

export const actorIds = {
  feed: 'feed',
  strategy: (s: StrategyId | string) => `strategy:${s}`,
  riskGate: (b: BrokerName) => `risk-gate:${b}`,
  trader: (b: BrokerName) => `trader:${b}`,
  portfolio: (b: BrokerName, s: StrategyId | string) => `portfolio:${b}:${s}`,
  supervisor: (name: string) => `supervisor:${name}`,
} as const;

type AnyMsg = { readonly type: string } & Record<string, unknown>;

function str(m: AnyMsg, k: string): string {
  const v = m[k];
  if (typeof v !== 'string') throw new Error(`${m.type} has no string field ${k}`);
  return v;
}

function broker(m: AnyMsg): BrokerName {
  return str(m, 'broker') as BrokerName;
}

/**
 * Routes a message an actor emitted. Throws for an unknown type: every message must have a route.
 */
export function routeOf(msg: AnyMsg): Routed {
  switch (msg.type) {
    case 'TradingSignal': {
      const b = broker(msg);
      return {
        topic: topics.signalsRaw(b),
        key: keys.signal(str(msg, 'strategyId') as StrategyId, msg.token as number),
        broker: b,
        to: [actorIds.riskGate(b)],
      };
    }
    case 'SignalValidated': {
      const b = broker(msg);
      const s = msg.signal as AnyMsg;
      return {
        topic: topics.signalsValidated(b),
        key: keys.signal(str(s, 'strategyId') as StrategyId, s.token as number),
        broker: b,
        to: [actorIds.trader(b)],
      };
    }
    case 'SignalRejected': {
      const b = broker(msg);
      const s = msg.signal as AnyMsg;
      const sid = str(s, 'strategyId');
      return {
        topic: topics.signalsRejected(b),
        key: keys.signal(sid as StrategyId, s.token as number),
        broker: b,
        to: [actorIds.strategy(sid)],
      };
    }
    case 'SubmitOrder': {
      const b = broker(msg);
      // Delivered to the broker adapter by the switchboard's outbox, not to an actor.
      return {
        topic: topics.ordersSubmitted(b),
        key: keys.order(str(msg, 'strategyId') as StrategyId, msg.token as number),
        broker: b,
        to: [],
      };
    }
    case 'OrderAccepted':
    case 'OrderFilled':
    case 'OrderRejected':
    case 'OrderCanceled': {
      const b = broker(msg);
      const sid = str(msg, 'strategyId');
      const topic =
        msg.type === 'OrderAccepted'
          ? topics.ordersAck(b)
          : msg.type === 'OrderFilled'
            ? topics.ordersFilled(b)
            : msg.type === 'OrderRejected'
              ? topics.ordersFailed(b)
              : topics.ordersCanceled(b);
      const to =
        msg.type === 'OrderFilled'
          ? [actorIds.riskGate(b), actorIds.portfolio(b, sid), actorIds.strategy(sid)]
          : msg.type === 'OrderAccepted'
            ? []
            : msg.type === 'OrderRejected'
              ? [actorIds.riskGate(b), actorIds.strategy(sid)]
              : [actorIds.strategy(sid)];
      return { topic, key: keys.order(sid as StrategyId, msg.token as number), broker: b, to };
    }
    case 'PnlSnapshot': {
      const b = broker(msg);
      return {
        topic: topics.pnlSnapshots(b),
        key: keys.pnl(b, str(msg, 'strategyId') as StrategyId),
        broker: b,
        to: [],
      };
    }
    case 'PortfolioSnapshot': {
      const b = broker(msg);
      const sid = str(msg, 'strategyId');
      return {
        topic: topics.portfolioSnapshots(b),
        key: keys.pnl(b, sid as StrategyId),
        broker: b,
        to: [],
      };
    }
    case 'SetTradingState': {
      const b = broker(msg);
      return { topic: topics.controlCommands, key: b, broker: b, to: [actorIds.riskGate(b)] };
    }
    case 'TradingStateChanged':
      return { topic: topics.systemEvents, key: str(msg, 'broker'), broker: broker(msg), to: [] };
    case 'ActorRestarted':
    case 'ActorFaulted':
      return { topic: topics.systemEvents, key: str(msg, 'actorId'), broker: 'system', to: [] };
    default:
      throw new Error(
        `no route for message type ${JSON.stringify(msg.type)}; add it to src/runtime/routes.ts`,
      );
  }
}
