/**
 * The broker outbox: where broker commands (SubmitOrder, CancelOrder, ModifyOrder) go. A simulated
 * broker (paper) executes at once and its replies are derived messages; a remote broker is called
 * only once the command's record is durable (invariant 2), and its replies come back through ingress.
 */
import type {
  BrokerCommand,
  BrokerName,
  MarketTick,
  MarketTimerFired,
  OrderEvent,
} from '../model/index.js';
import type { Bridge } from './bridge.js';

/** Something that executes orders: the runtime's view of a broker adapter. */
export type OrderSink =
  | {
      readonly execution: 'simulated';
      readonly broker: BrokerName;
      onTick(tick: MarketTick, seq: number): readonly OrderEvent[];
      onTimer(timer: MarketTimerFired): readonly OrderEvent[];
      handle(command: BrokerCommand): readonly OrderEvent[];
    }
  | {
      readonly execution: 'remote';
      readonly broker: BrokerName;
      send(command: BrokerCommand): Promise<OrderEvent[]>;
    };

export type SimulatedSink = Extract<OrderSink, { execution: 'simulated' }>;

export class BrokerOutbox {
  private readonly sinks = new Map<BrokerName, OrderSink>();
  private readonly endpoints = new Set<string>();
  /** The simulated sinks, which see every tick and timer. */
  simulated: SimulatedSink[] = [];
  private onReply: ((broker: BrokerName, replies: OrderEvent[]) => void) | null = null;
  private onError: ((command: BrokerCommand, err: unknown) => void) | null = null;

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
    error: (command: BrokerCommand, err: unknown) => void,
  ): void {
    this.onReply = reply;
    this.onError = error;
  }

  /**
   * Hands over the command journaled at `seq`. Returns a simulated broker's replies now, [] for a
   * remote broker (its replies arrive later), or null when no broker is connected.
   */
  send(command: BrokerCommand, seq: number): readonly OrderEvent[] | null {
    const sink = this.sinks.get(command.broker);
    if (!sink) return null;
    if (sink.execution === 'simulated') return sink.handle(command);
    void this.bridge.whenDurable(seq).then(() =>
      sink.send(command).then(
        (replies) => this.onReply?.(command.broker, replies),
        (err: unknown) => this.onError?.(command, err),
      ),
    );
    return [];
  }
}
