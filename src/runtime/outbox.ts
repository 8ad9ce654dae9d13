/**
 * The broker outbox: where broker commands (SubmitOrder, CancelOrder, ModifyOrder) go. A simulated
 * broker (paper) executes at once and its replies are derived messages; a remote broker is called
 * only once the command's record is durable (invariant 2), and its replies come back through ingress.
 */
import {
  topics,
  type ActorOutput,
  type BrokerCommand,
  type BrokerName,
  type JournalRecord,
  type MarketTick,
  type MarketTimerFired,
  type OrderEvent,
} from '../model/index.js';
import type { Bridge } from './bridge.js';

/** Something that executes orders: the runtime's view of a broker adapter. */
export type OrderSink =
  | {
      readonly execution: 'simulated';
      readonly broker: BrokerName;
      /** `batchStart`: the first tick of a delivery batch. */
      onTick(tick: MarketTick, seq: number, batchStart?: boolean): readonly OrderEvent[];
      onTimer(timer: MarketTimerFired): readonly OrderEvent[];
      /** `asOfSeq`: the tick the command answers (its correlation), whose book it trades on. */
      handle(command: BrokerCommand, asOfSeq?: number): readonly OrderEvent[];
    }
  | {
      readonly execution: 'remote';
      readonly broker: BrokerName;
      send(command: BrokerCommand, seq: number): Promise<OrderEvent[]>;
      admit?(command: BrokerCommand, seq: number): boolean;
    };

export type SimulatedSink = Extract<OrderSink, { execution: 'simulated' }>;

/** Where a simulated broker's replies go, with the record that caused them. */
export type BrokerReplies = (
  broker: BrokerName,
  replies: readonly OrderEvent[],
  cause: JournalRecord,
) => void;

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
   * Shows every simulated broker the tick journaled at `seq`; what their resting orders did on
   * it goes to `reply`, caused by the tick.
   */
  tick(tick: MarketTick, seq: number, ts: number, reply: BrokerReplies, batchStart = false): void {
    const sims = this.simulated;
    for (let k = 0; k < sims.length; k++) {
      const replies = sims[k]!.onTick(tick, seq, batchStart);
      if (replies.length > 0) reply(sims[k]!.broker, replies, tickRecord(tick, seq, ts));
    }
  }

  /** Shows every simulated broker a market timer (journaled as `rec`). */
  timer(timer: MarketTimerFired, rec: JournalRecord, reply: BrokerReplies): void {
    for (const sim of this.simulated) {
      const replies = sim.onTimer(timer);
      if (replies.length > 0) reply(sim.broker, replies, rec);
    }
  }

  /**
   * Hands over the command journaled at `seq`, answering the input `correlationSeq` (a simulated
   * broker trades it on the book of that tick when it is one of the batch being delivered). Returns a simulated broker's replies now, [] for a
   * remote broker (its replies arrive later), or null when no broker is connected.
   */
  send(
    command: BrokerCommand,
    seq: number,
    correlationSeq: number = seq,
  ): readonly OrderEvent[] | null {
    const sink = this.sinks.get(command.broker);
    if (!sink) return null;
    if (sink.execution === 'simulated') return sink.handle(command, correlationSeq);
    // Decided now, as the command is derived: not when it becomes durable, later.
    if (sink.admit !== undefined && !sink.admit(command, seq)) return [];
    void this.bridge.whenDurable(seq).then(() =>
      sink.send(command, seq).then(
        (replies) => this.onReply?.(command.broker, replies),
        (err: unknown) => this.onError?.(command, err),
      ),
    );
    return [];
  }
}

export function isBrokerCommand(msg: ActorOutput): msg is BrokerCommand {
  return msg.type === 'SubmitOrder' || msg.type === 'CancelOrder' || msg.type === 'ModifyOrder';
}

/** A tick's journal record as it was written, rebuilt as the cause of what a broker did on it. */
function tickRecord(tick: MarketTick, seq: number, ts: number): JournalRecord {
  return {
    seq,
    ts,
    type: 'MarketTick',
    topic: topics.marketTicks,
    source: 'feed',
    target: null,
    correlationSeq: seq,
    causationSeq: 0,
    broker: 'shared',
    key: String(tick.token),
    data: tick,
  };
}
