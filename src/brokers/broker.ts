/** The broker adapter interface: the trader's orders go to one of these, paper or Zerodha alike. */
import type { BrokerName, MarketTick, OrderEvent, SubmitOrder } from '../model/index.js';

/**
 * A broker adapter. `simulated` adapters (paper) execute inside the process, deterministically,
 * from journaled inputs only, so their replies are derived messages and replay re-derives them.
 * `remote` adapters (Zerodha) talk to the outside world: the runtime calls `submit` only after
 * the SubmitOrder record is durable (invariant 2) and their replies come back through ingress.
 */
export type BrokerAdapter = SimulatedBroker | RemoteBroker;

export interface SimulatedBroker {
  readonly execution: 'simulated';
  readonly broker: BrokerName;
  /** Sees every tick, in journal order, before any order that follows it. */
  onTick(tick: MarketTick, seq: number): void;
  /** Executes an order now and returns its lifecycle events (accepted, fills or a rejection). */
  submit(order: SubmitOrder): OrderEvent[];
  /** Its state as a JSON-able object, for snapshots. */
  snapshot(): unknown;
  /** Replaces its state with a snapshot's; throws, changing nothing, when it is invalid. */
  restore(snapshot: unknown): void;
}

export interface RemoteBroker {
  readonly execution: 'remote';
  readonly broker: BrokerName;
  /** Sends an order; resolves when the broker acknowledged the request (or rejects). */
  submit(order: SubmitOrder): Promise<OrderEvent[]>;
}
