/**
 * The broker outbox: where SubmitOrder records go. A simulated broker (paper) executes at once
 * and its replies are derived messages; a remote broker is called only once the order's record
 * is durable (invariant 2), and its replies come back through ingress.
 */
import type { BrokerName, MarketTick, OrderEvent, SubmitOrder } from '../model/index.js';
import type { Bridge } from './bridge.js';

/** Something that executes orders: the runtime's view of a broker adapter. */
export type OrderSink =
  | {
      readonly execution: 'simulated';
      onTick(tick: MarketTick, seq: number): void;
      submit(o: SubmitOrder): OrderEvent[];
    }
  | { readonly execution: 'remote'; submit(o: SubmitOrder): Promise<OrderEvent[]> };

type SimulatedSink = Extract<OrderSink, { execution: 'simulated' }>;

export class BrokerOutbox {
  private readonly sinks = new Map<BrokerName, OrderSink>();
  private readonly endpoints = new Set<string>();
  /** The simulated sinks, which see every tick. */
  simulated: SimulatedSink[] = [];
  private onReply: ((broker: BrokerName, replies: OrderEvent[]) => void) | null = null;
  private onError: ((order: SubmitOrder, err: unknown) => void) | null = null;

  constructor(private readonly bridge: Bridge) {}

  /** Whether `endpoint` (`broker:<name>`) is a connected broker adapter. */
  has(endpoint: string): boolean {
    return this.endpoints.has(endpoint);
  }

  connect(broker: BrokerName, sink: OrderSink): void {
    this.endpoints.add(`broker:${broker}`);
    this.sinks.set(broker, sink);
    this.simulated = [...this.sinks.values()].filter(
      (s): s is SimulatedSink => s.execution === 'simulated',
    );
  }

  /** Where replies of remote brokers go (ingress), and where their failures are reported. */
  onRemote(
    reply: (broker: BrokerName, replies: OrderEvent[]) => void,
    error: (order: SubmitOrder, err: unknown) => void,
  ): void {
    this.onReply = reply;
    this.onError = error;
  }

  /**
   * Hands over the order journaled at `seq`. Returns a simulated broker's replies now, [] for a
   * remote broker (its replies arrive later), or null when no broker is connected.
   */
  submit(order: SubmitOrder, seq: number): OrderEvent[] | null {
    const sink = this.sinks.get(order.broker);
    if (!sink) return null;
    if (sink.execution === 'simulated') return sink.submit(order);
    void this.bridge.whenDurable(seq).then(() =>
      sink.submit(order).then(
        (replies) => this.onReply?.(order.broker, replies),
        (err: unknown) => this.onError?.(order, err),
      ),
    );
    return [];
  }
}
