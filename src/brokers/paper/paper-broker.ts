/**
 * The paper broker: an in-process matching engine for MARKET, LIMIT, SL and SL-M orders (DAY,
 * IOC, FOK), bracket exits, cancel and modify, against the live book of journaled ticks; with
 * slippage, charges, a latency model, per-strategy CNC/MIS accounts and the MIS square-off.
 * Deterministic: its outputs depend only on its config, its inputs and the clock's time of each
 * input (see match-order.ts for the matching model).
 */
import type {
  InstrumentToken,
  MarketTick,
  MarketTimerFired,
  OrderEvent,
  SubmitOrder,
} from '../../model/index.js';
import type { Clock } from '../../runtime/index.js';
import type { BrokerCommand, SimulatedBroker } from '../broker.js';
import { cancelOrder } from './cancel-order.js';
import { emptyState, isOpen, type Engine, type LastTick } from './engine-state.js';
import { NO_EVENTS } from './events.js';
import { onOrderTick } from './match-order.js';
import { modifyOrder } from './modify-order.js';
import {
  resolvePaperConfig,
  type PaperBrokerConfig,
  type ResolvedPaperBrokerConfig,
} from './paper-config.js';
import { snapshotOf, stateFromSnapshot, type PaperBrokerSnapshot } from './paper-snapshot.js';
import { submitOrder } from './submit-order.js';
import { onMarketTimer } from './timers.js';

export class PaperBroker implements SimulatedBroker {
  readonly execution = 'simulated' as const;
  readonly broker = 'paper' as const;
  readonly config: ResolvedPaperBrokerConfig;
  private engine: Engine;
  /**
   * The delivery batch's ticks of each instrument, led by the one held before the batch: the
   * books a command of the batch is traded on. Not part of the state: a batch never spans a
   * snapshot, and a command outside one trades on the last book. Each instrument's list is
   * reused from batch to batch (`batch` says which one it holds) rather than the map cleared: a
   * cleared map's old tables stay linked to the new ones, which keeps every tick of every batch
   * alive in the young generation until the next full collection.
   */
  private recent = new Map<InstrumentToken, { batch: number; ticks: LastTick[] }>();
  private batch = 0;

  /**
   * `clock` gives the time of the input being handled (replay pins it to each record's time):
   * orders take their trading day and latency from it. Throws RangeError when a setting is out
   * of range, naming it and the value received.
   */
  constructor(config: PaperBrokerConfig, clock: Clock) {
    this.config = resolvePaperConfig(config);
    this.engine = { config: this.config, clock, state: emptyState() };
  }

  /**
   * Takes `tick` as its instrument's book and returns what the instrument's open orders did on
   * it: arrivals after latency, triggered stops, resting limits filled, bracket exits. A tick
   * not newer (by seq) than the one held is ignored. Returns the shared empty array when the
   * instrument has no open orders or nothing happened.
   */
  onTick(tick: MarketTick, seq: number, batchStart = false): readonly OrderEvent[] {
    const { state } = this.engine;
    if (batchStart) this.batch++;
    const held = state.lastTicks.get(tick.token);
    if (held !== undefined && seq <= held.seq) return NO_EVENTS;
    const last: LastTick = { seq, tick };
    state.lastTicks.set(tick.token, last);
    let seen = this.recent.get(tick.token);
    if (seen === undefined) this.recent.set(tick.token, (seen = { batch: -1, ticks: [] }));
    if (seen.batch !== this.batch) {
      seen.batch = this.batch;
      seen.ticks.length = 0;
      if (held !== undefined) seen.ticks.push(held);
    }
    seen.ticks.push(last);
    const open = state.byToken.get(tick.token);
    if (open === undefined) return NO_EVENTS;
    const out: OrderEvent[] = [];
    // A copy: fills close orders and place bracket exits (which match when placed).
    for (const o of [...open]) {
      if (isOpen(state, o)) onOrderTick(this.engine, o, last, held?.tick.volume, out);
    }
    return out.length === 0 ? NO_EVENTS : out;
  }

  /**
   * SESSION_CLOSE expires every open order ("expired at the close"); IST_MIDNIGHT expires those
   * placed on an earlier IST day; MIS_SQUARE_OFF cancels open MIS orders and flattens MIS
   * positions at the book. Other timers change nothing.
   */
  onTimer(timer: MarketTimerFired): readonly OrderEvent[] {
    return onMarketTimer(this.engine, timer);
  }

  /**
   * Executes a SubmitOrder, CancelOrder or ModifyOrder now and returns its events. A SubmitOrder
   * answering a tick of the batch being delivered (`asOfSeq`) trades on that tick's book, then on
   * the batch's later ticks of its instrument, as if it had come between them.
   */
  handle(command: BrokerCommand, asOfSeq?: number): readonly OrderEvent[] {
    if (command.type === 'SubmitOrder' && asOfSeq !== undefined) {
      const asOf = this.asOf(command.token, asOfSeq);
      if (asOf !== null) return this.submitBetween(command, asOf.ticks, asOf.at);
    }
    return this.execute(command);
  }

  /** Where `seq` falls among the batch's ticks of `token`; null when it is not before the last. */
  private asOf(token: InstrumentToken, seq: number): { ticks: LastTick[]; at: number } | null {
    const seen = this.recent.get(token);
    if (seen === undefined || seen.batch !== this.batch) return null;
    const { ticks } = seen;
    if (ticks.length === 0 || seq >= ticks[ticks.length - 1]!.seq) return null;
    let at = ticks.length - 1;
    while (at >= 0 && ticks[at]!.seq > seq) at--;
    return at < 0 ? null : { ticks, at };
  }

  private submitBetween(command: SubmitOrder, ticks: LastTick[], at: number): OrderEvent[] {
    const { state } = this.engine;
    const token = command.token;
    const before = new Set(state.byToken.get(token) ?? []);
    state.lastTicks.set(token, ticks[at]!);
    const out = [...submitOrder(this.engine, command)];
    try {
      for (let j = at + 1; j < ticks.length; j++) {
        const last = ticks[j]!;
        state.lastTicks.set(token, last);
        const open = state.byToken.get(token);
        if (open === undefined) continue;
        // Only what this command opened: the others have seen these ticks already.
        for (const o of [...open]) {
          if (!before.has(o) && isOpen(state, o))
            onOrderTick(this.engine, o, last, ticks[j - 1]!.tick.volume, out);
        }
      }
    } finally {
      state.lastTicks.set(token, ticks[ticks.length - 1]!);
    }
    return out;
  }

  private execute(command: BrokerCommand): readonly OrderEvent[] {
    switch (command.type) {
      case 'SubmitOrder':
        return submitOrder(this.engine, command);
      case 'CancelOrder':
        return cancelOrder(this.engine, command);
      case 'ModifyOrder':
        return modifyOrder(this.engine, command);
    }
  }

  /** Returns the broker's state as a JSON-able object (version 2), for crash recovery. */
  snapshot(): PaperBrokerSnapshot {
    return snapshotOf(this.engine.state);
  }

  /** Replaces the broker's state with `snapshot`'s; throws TypeError, changing nothing, when it is invalid. */
  restore(snapshot: unknown): void {
    this.engine = { ...this.engine, state: stateFromSnapshot(snapshot) };
    this.batch++;
  }
}
