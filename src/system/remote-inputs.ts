/**
 * What remote brokers (Zerodha) tell a run, as journaled inputs: their replies to orders (to the
 * broker's trader), their rate refusals (to its risk gate), and what no actor acts on but the
 * journal must say: feed gaps, reconciliations, session changes. Replay and recovery feed the
 * recorded ones back through here.
 */
import {
  topics,
  type BrokerName,
  type BrokerReconciled,
  type BrokerSessionChanged,
  type FeedGap,
  type OrderEvent,
  type OrderThrottled,
} from '../model/index.js';
import { actorIds, type Switchboard } from '../runtime/index.js';

export class RemoteInputs {
  constructor(private readonly switchboard: Switchboard) {}

  /**
   * A remote broker's reply (an order accepted, filled, canceled...): journaled on
   * `{broker}.broker.replies` and delivered to the broker's trader. Returns its seq.
   */
  replied(broker: BrokerName, reply: OrderEvent, source = `broker:${broker}`): number {
    return this.switchboard.ingest(
      { type: 'BrokerReplied', reply },
      topics.brokerReplies(broker),
      actorIds.trader(broker),
      reply.clientOrderId,
      source,
    );
  }

  /**
   * The broker refused an order for the account's rate: journaled on `{broker}.broker.replies`
   * and delivered to its risk gate, which validates nothing new until `msg.until`.
   */
  throttled(msg: OrderThrottled, source = `broker:${msg.broker}`): number {
    return this.switchboard.ingest(
      msg,
      topics.brokerReplies(msg.broker),
      actorIds.riskGate(msg.broker),
      msg.clientOrderId,
      source,
    );
  }

  /** Journals an input no actor acts on (a feed gap, a reconciliation, a session change). */
  record(input: FeedGap | BrokerReconciled | BrokerSessionChanged, source: string): number {
    const topic =
      input.type === 'FeedGap'
        ? topics.marketFeed
        : input.type === 'BrokerReconciled'
          ? topics.brokerReplies(input.broker)
          : topics.systemEvents;
    const key = input.type === 'FeedGap' ? String(input.connection) : input.broker;
    return this.switchboard.ingest(input, topic, null, key, source);
  }
}
