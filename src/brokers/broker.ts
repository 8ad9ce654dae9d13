/** The broker adapter interface: the trader's orders go to one of these, paper or Zerodha alike. */
import type {
  BrokerCommand,
  BrokerName,
  MarketTick,
  MarketTimerFired,
  OrderEvent,
} from '../model/index.js';

export type { BrokerCommand };

/**
 * A broker adapter. `simulated` adapters (paper) execute inside the process, deterministically,
 * from journaled inputs only, so their replies are derived messages and replay re-derives them.
 * `remote` adapters (Zerodha) talk to the outside world: the runtime sends a command only after
 * its record is durable (invariant 2) and their replies come back through ingress.
 */
export type BrokerAdapter = SimulatedBroker | RemoteBroker;

export interface SimulatedBroker {
  readonly execution: 'simulated';
  readonly broker: BrokerName;
  /**
   * Sees every tick, in journal order, before any command that follows it, and returns what its
   * open orders did on it (fills of resting limits, triggered stops, bracket exits), usually none.
   */
  onTick(tick: MarketTick, seq: number, batchStart?: boolean): readonly OrderEvent[];
  /** A market timer fired: DAY orders expire at the close, MIS positions are squared off. */
  onTimer(timer: MarketTimerFired): readonly OrderEvent[];
  /** Executes a command now and returns its lifecycle events (accepted, fills, a rejection...). */
  /**
   * `asOfSeq`: the seq of the tick the command answers. A simulated broker has already seen the
   * whole delivery batch holding it; it trades the command on the book of that tick, then shows
   * it the batch's later ticks of its instrument in order, so the batch's size changes no price.
   */
  handle(command: BrokerCommand, asOfSeq?: number): readonly OrderEvent[];
  /** Its state as a JSON-able object, for snapshots. */
  snapshot(): unknown;
  /** Replaces its state with a snapshot's; throws, changing nothing, when it is invalid. */
  restore(snapshot: unknown): void;
}

export interface RemoteBroker {
  readonly execution: 'remote';
  readonly broker: BrokerName;
  /**
   * Sends a command journaled at `seq`; resolves with the replies it already has (a remote
   * adapter may also deliver later ones on its own path), or rejects.
   */
  send(command: BrokerCommand, seq: number): Promise<OrderEvent[]>;
  /**
   * Called as the command is derived (before it is durable): false and it is never sent. An
   * adapter refuses while recovery re-derives the journal's commands, which an earlier process
   * may already have sent; absent: every command is sent.
   */
  admit?(command: BrokerCommand, seq: number): boolean;
}

/**
 * A remote broker that sends nothing: replay and backtests re-derive a remote broker's commands
 * from the journal, whose recorded replies (BrokerReplied inputs) drive the run instead.
 */
export class JournalOnlyBroker implements RemoteBroker {
  readonly execution = 'remote' as const;
  constructor(readonly broker: BrokerName) {}
  send(): Promise<OrderEvent[]> {
    return Promise.resolve([]);
  }
}
