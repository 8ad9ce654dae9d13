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
  onTick(tick: MarketTick, seq: number): readonly OrderEvent[];
  /** A market timer fired: DAY orders expire at the close, MIS positions are squared off. */
  onTimer(timer: MarketTimerFired): readonly OrderEvent[];
  /** Executes a command now and returns its lifecycle events (accepted, fills, a rejection...). */
  handle(command: BrokerCommand): readonly OrderEvent[];
  /** Its state as a JSON-able object, for snapshots. */
  snapshot(): unknown;
  /** Replaces its state with a snapshot's; throws, changing nothing, when it is invalid. */
  restore(snapshot: unknown): void;
}

export interface RemoteBroker {
  readonly execution: 'remote';
  readonly broker: BrokerName;
  /** Sends a command; resolves when the broker acknowledged the request (or rejects). */
  send(command: BrokerCommand): Promise<OrderEvent[]>;
}
