/**
 * Counts the journal's records into the business metrics as the switchboard's taps see them, and
 * times each hop of a trade on the monotonic clock: a record's tap time less the tap time of the
 * record that caused it (by causation seq), or of its order's SubmitOrder (by client order id).
 */
import {
  isBroker,
  type ActorFaulted,
  type ActorRestarted,
  type BrokerReplied,
  type FeedGap,
  type JournalRecord,
  type OrderAccepted,
  type OrderCanceled,
  type OrderFilled,
  type OrderModified,
  type OrderRejected,
  type SignalRejected,
  type SubmitOrder,
  type TradingSignal,
  type TradingStateChanged,
} from '../../model/index.js';
import { SHARED, WHOLE_BROKER, type Hop, type RecordCatalogue } from './catalogue.js';
import { CAUSE_SIGNAL, CAUSE_VALIDATED, CauseTimes } from './cause-times.js';
import type { Slot } from './counter-slots.js';
import { brokerLabel, EventCounts } from './event-counts.js';
import { controlKindOf, haltKindOf, isLossLimitHit } from './halt-kind.js';
import type { HaltReasonKind } from './catalogue.js';
import { OrderTracker } from './order-tracker.js';

/** Trading-state inputs remembered by seq, for the halts they cause (they are rare). */
const CONTROL_INPUTS_KEPT = 256;

/** The broker an actor belongs to (`risk-gate:paper`, `portfolio:paper:s1`), else shared. */
export function brokerOfActor(actorId: string): string {
  const parts = actorId.split(':');
  if (parts[0] === 'strategy' || parts[1] === undefined) return SHARED;
  return isBroker(parts[1]) ? parts[1] : SHARED;
}

export class RecordMetrics {
  private readonly events: EventCounts;
  private readonly times = new CauseTimes();
  private readonly orders = new OrderTracker();
  private readonly controls = new Map<number, HaltReasonKind>();
  private readonly hops = new Map<string, { observe(seconds: number): void }>();
  private readonly tickSlot: Slot;
  private readonly tickEvents: Slot;
  /** When the last tick batch was journaled, monotonic ms; null before the first. */
  lastTickAt: number | null = null;
  /** When the batch about to be journaled reached the process (arrived()), monotonic ms; else NaN. */
  private arrivedAt = NaN;

  constructor(
    private readonly m: RecordCatalogue,
    private readonly nowMs: () => number,
  ) {
    this.events = new EventCounts(m.events);
    this.tickSlot = m.feedTicks.at();
    this.tickEvents = this.events.slot('MarketTick', 'feed', SHARED);
  }

  /**
   * A tick batch has reached the process (its feed produced it) and goes to ingress next: the
   * hops from its ticks are measured from now, not from its journaling, so the time ingress
   * spends before the tick tap (timers due first, journaling each tick, the simulated brokers'
   * matching) counts too.
   */
  arrived(): void {
    this.arrivedAt = this.nowMs();
  }

  /**
   * A journaled tick batch (the switchboard's tick tap): counted once per batch. Its ticks are
   * timed from their arrival when arrived() announced the batch, else from now.
   */
  ticks(count: number, firstSeq: number): void {
    this.tickSlot.n += count;
    this.tickEvents.n += count;
    const t = this.nowMs();
    const from = Number.isNaN(this.arrivedAt) ? t : this.arrivedAt;
    this.arrivedAt = NaN;
    this.times.ticks(firstSeq, count, from);
    this.lastTickAt = t;
  }

  /** A journaled record other than a tick (the switchboard's record tap). */
  record(rec: JournalRecord): void {
    this.events.count(rec.type, rec.source, rec.broker);
    switch (rec.type) {
      case 'TradingSignal': {
        const s = rec.data as TradingSignal;
        this.m.signals.at(s.broker, s.strategyId).n++;
        const t = this.nowMs();
        const tickAt = this.times.tickAt(rec.causationSeq);
        this.hop(s.broker, 'tick_to_signal', t, tickAt);
        this.times.note(rec.seq, CAUSE_SIGNAL, t, tickAt);
        return;
      }
      case 'SignalValidated': {
        const t = this.nowMs();
        const from = this.times.at(rec.causationSeq, CAUSE_SIGNAL);
        this.hop(rec.broker, 'signal_to_validated', t, from);
        this.times.note(
          rec.seq,
          CAUSE_VALIDATED,
          t,
          this.times.originOf(rec.causationSeq, CAUSE_SIGNAL),
        );
        return;
      }
      case 'SignalRejected': {
        const r = rec.data as SignalRejected;
        this.m.signalRejections.at(r.broker, r.signal.strategyId, r.code).n++;
        return;
      }
      case 'SubmitOrder': {
        const o = rec.data as SubmitOrder;
        this.m.orders.at(o.broker, 'submitted').n++;
        const t = this.nowMs();
        this.hop(
          o.broker,
          'validated_to_order',
          t,
          this.times.at(rec.causationSeq, CAUSE_VALIDATED),
        );
        const origin = this.times.originOf(rec.causationSeq, CAUSE_VALIDATED);
        this.hop(o.broker, 'tick_to_order', t, origin);
        this.orders.submitted(o.clientOrderId, o.quantity, t, origin);
        return;
      }
      case 'BrokerReplied': {
        // A remote broker's reply enters as an input: its round trip ends here.
        const r = (rec.data as BrokerReplied).reply;
        this.roundTrip(r.broker, r.clientOrderId);
        return;
      }
      case 'OrderAccepted':
      case 'OrderFilled':
      case 'OrderRejected':
      case 'OrderCanceled':
      case 'OrderModified':
        this.orderEvent(rec);
        return;
      case 'DeadLettered':
        this.m.deadLetters.at(rec.topic).n++;
        return;
      case 'ActorRestarted':
      case 'ActorFaulted': {
        const { actorId } = rec.data as ActorRestarted | ActorFaulted;
        const counter = rec.type === 'ActorRestarted' ? this.m.restarts : this.m.faults;
        counter.at(brokerOfActor(actorId), actorId).n++;
        return;
      }
      case 'TradingStateChanged':
        this.stateChanged(rec.data as TradingStateChanged, rec.causationSeq);
        return;
      case 'FeedGap':
        if ((rec.data as FeedGap).phase === 'opened')
          this.m.feedGaps.at(brokerLabel(rec.broker)).n++;
        return;
      default: {
        const kind = controlKindOf(rec);
        if (kind === undefined) return;
        this.controls.set(rec.seq, kind);
        if (this.controls.size > CONTROL_INPUTS_KEPT)
          this.controls.delete(this.controls.keys().next().value!);
      }
    }
  }

  /** An order event a trader journaled (a simulated broker's reply, or a remote one's passed on). */
  private orderEvent(rec: JournalRecord): void {
    const e = rec.data as
      OrderAccepted | OrderFilled | OrderRejected | OrderCanceled | OrderModified;
    if (e.type === 'OrderModified') {
      this.orders.modified(e.clientOrderId, e.quantity);
      return;
    }
    this.roundTrip(e.broker, e.clientOrderId);
    switch (e.type) {
      case 'OrderFilled': {
        const { submittedAt, originAt, complete } = this.orders.filled(e.clientOrderId, e.quantity);
        this.m.orders.at(e.broker, complete ? 'filled' : 'partially_filled').n++;
        if (submittedAt !== undefined) {
          const t = this.nowMs();
          this.hop(e.broker, 'order_to_fill', t, submittedAt);
          this.hop(e.broker, 'tick_to_fill', t, originAt);
        }
        if (e.broker === 'paper') this.slippage(e);
        return;
      }
      case 'OrderRejected':
        this.m.orders.at(e.broker, 'rejected').n++;
        this.m.orderRejections.at(e.broker, e.code).n++;
        this.orders.closed(e.clientOrderId);
        return;
      case 'OrderCanceled':
        this.m.orders.at(e.broker, 'canceled').n++;
        this.orders.closed(e.clientOrderId);
        return;
      case 'OrderAccepted':
        this.m.orders.at(e.broker, 'accepted').n++;
    }
  }

  /** The first word from the broker on an order ends its round trip. */
  private roundTrip(broker: string, clientOrderId: string): void {
    const from = this.orders.replied(clientOrderId);
    if (from !== undefined) this.hop(broker, 'broker_round_trip', this.nowMs(), from);
  }

  /** A paper fill's slippage against its order's reference price (SubmitOrder.price). */
  private slippage(f: OrderFilled): void {
    // The fill's slippage is signed against the side (positive = worse), in paise per share.
    const reference = f.side === 'BUY' ? f.price - f.slippage : f.price + f.slippage;
    if (reference > 0)
      this.m.slippage.labels(f.strategyId).observe(Math.abs(f.slippage) / reference);
  }

  private stateChanged(change: TradingStateChanged, causationSeq: number): void {
    if (change.to === 'HALTED') {
      const kind = haltKindOf(change, this.controls.get(causationSeq));
      this.m.halts.at(change.broker, kind).n++;
    }
    if (isLossLimitHit(change))
      this.m.lossLimitHits.at(change.broker, change.strategyId ?? WHOLE_BROKER).n++;
  }

  private hop(broker: string, hop: Hop, nowMs: number, fromMs: number | undefined): void {
    if (fromMs === undefined) return;
    const key = `${broker}:${hop}`;
    let child = this.hops.get(key);
    if (child === undefined) {
      child = this.m.hopLatency.labels(broker, hop);
      this.hops.set(key, child);
    }
    child.observe(Math.max(0, nowMs - fromMs) / 1000);
  }
}
