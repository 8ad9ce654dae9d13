/**
 * The switchboard: every message between actors passes through it. It gives each record its seq,
 * hands it to the bridge (so every actor message is journaled by construction), hashes derived
 * records into the run's fingerprint, and delivers to the receiving actors in one FIFO queue,
 * run to completion. An actor that throws on a message is restarted by its supervisor; the
 * message goes to `<topic>.dlq` and the rest of a tick batch is redelivered (invariant 4).
 */
import type { AnyActorRef } from 'xstate';
import {
  brokerOfTopic,
  topics,
  type ActorOutput,
  type BrokerCommand,
  type BrokerName,
  type BrokerReplied,
  type DeadLetterRedelivered,
  type Delivery as DeliveredEvent,
  type Input,
  type InstrumentToken,
  type JournalRecord,
  type MarketTick,
  type OrderEvent,
} from '../model/index.js';
import type { Bridge } from './bridge.js';
import { InputClock, type Clock } from './clock.js';
import { Endpoints } from './endpoints.js';
import { deadLetterOf, redeliveryOf, splitFailedBatch, type Original } from './dead-letter.js';
import { BrokerOutbox, isBrokerCommand, type BrokerReplies, type OrderSink } from './outbox.js';
import { actorIds, routeOf } from './routes.js';
import { RunStats, type SwitchboardStats } from './run-stats.js';
import { TickFanout } from './tick-fanout.js';
import type { Cause, Delivery, Tap, TickTap } from './delivery.js';

export type { Tap, TickTap } from './delivery.js';

export class Switchboard {
  private seq: number;
  private queue: Delivery[] = [];
  private head = 0;
  private draining = false;
  private cause: Cause | null = null;
  private readonly endpoints = new Endpoints((id, msg) => this.emitFrom(id, msg));
  private readonly fanout = new TickFanout();
  private readonly outbox: BrokerOutbox;
  private readonly taps: Tap[] = [];
  private readonly tickTaps: TickTap[] = [];
  readonly run = new RunStats(); // counts and fingerprint; snapshots take and restore them

  /**
   * @param inputClock set to the journal time of each input as it is journaled (InputClock):
   * actors and simulated brokers read time from it, and replay reproduces it exactly.
   */
  constructor(
    private readonly bridge: Bridge,
    private readonly clock: Clock,
    readonly inputClock: InputClock = new InputClock(),
  ) {
    this.seq = bridge.lastSeq;
    this.outbox = new BrokerOutbox(bridge);
  }

  /** Registers an actor under its id; `lookup` returns its current ref (it changes on restart). */
  register(id: string, lookup: () => AnyActorRef | undefined): void {
    this.endpoints.register(id, lookup);
  }

  /**
   * Subscribes an actor to market ticks: all of them, or only `tokens`. `wants`, when given, is
   * asked before each batch; false skips the actor for that batch (ticks would change nothing in
   * its state as it is).
   */
  subscribeTicks(
    id: string,
    tokens: Iterable<InstrumentToken> | null,
    wants: (() => boolean) | null = null,
  ): void {
    this.fanout.subscribe(id, tokens, wants);
  }

  /** Connects a broker adapter: SubmitOrder, CancelOrder and ModifyOrder records for `broker` go to it. */
  connectBroker(broker: BrokerName, sink: OrderSink): void {
    this.outbox.connect(broker, sink);
  }

  /** Where replies of remote brokers go (ingress), and where their failures are reported. */
  onRemote(
    reply: (broker: BrokerName, replies: OrderEvent[]) => void,
    error: (command: BrokerCommand, err: unknown) => void,
  ): void {
    this.outbox.onRemote(reply, error);
  }

  /** Calls `fn` with every ingested tick batch (ticks[i] has seq firstSeq + i), after journaling. */
  tapTicks(fn: TickTap): void {
    this.tickTaps.push(fn);
  }

  /** Calls `tap` with every record once journaled, except ticks (hot path), which `tapTicks` gets. */
  tap(fn: Tap): void {
    this.taps.push(fn);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** The seq of the message being delivered now (0 for none, or a tick batch): ids derive from it. */
  get deliveringSeq(): number {
    return this.cause?.seq ?? 0;
  }

  /** The run's fingerprint so far (see fingerprint.ts), hex. */
  fingerprint(): string {
    return this.run.fingerprint();
  }

  stats(): SwitchboardStats {
    return this.run.snapshot();
  }

  // ---- ingress ------------------------------------------------------------------------------

  /**
   * Journals a batch of ticks as inputs (one record each, the batch size on the first) and
   * delivers them, one TicksReceived per subscriber, then runs to quiescence.
   */
  ingestTicks(ticks: readonly MarketTick[]): void {
    const n = ticks.length;
    if (n === 0) return;
    const ts = this.clock.now();
    this.inputClock.set(ts);
    const firstSeq = this.seq + 1;
    const brokers = this.outbox.simulated.length > 0;
    for (let i = 0; i < n; i++) {
      const tick = ticks[i]!;
      this.bridge.appendTick(firstSeq + i, ts, tick, i === 0 ? n : 0);
      // A simulated broker sees each tick in journal order, before any order that follows it.
      if (brokers) this.outbox.tick(tick, firstSeq + i, ts, this.replies, i === 0);
    }
    this.seq += n;
    this.run.input('MarketTick', n);
    for (const t of this.tickTaps) t(ticks, firstSeq, ts);
    for (const { to, event } of this.fanout.split(ticks, firstSeq))
      this.queue.push({ to, event, record: null });
    this.drain();
  }

  /**
   * Journals one input (operator command, broker reply, timer) on `topic` and delivers it to
   * `target`, then runs to quiescence. Returns its seq. `prepare` runs between the two, with
   * the input as the cause of what it emits (a supervisor reviving the target, say).
   */
  ingest(
    input: Input,
    topic: string,
    target: string | readonly string[] | null,
    key: string,
    source: string,
    prepare?: () => void,
  ): number {
    const first = typeof target === 'string' ? target : null;
    const rec = this.inputRecord(input, topic, first, key, source);
    if (prepare) {
      this.cause = { seq: rec.seq, correlationSeq: rec.correlationSeq, isTicks: false };
      prepare();
      this.cause = null;
    }
    // Simulated brokers act on market timers first (DAY orders expire, MIS is squared off).
    if (input.type === 'MarketTimerFired') this.outbox.timer(input, rec, this.replies);
    const targets = target === null ? [] : typeof target === 'string' ? [target] : target;
    for (const to of targets) this.queue.push({ to, event: input, record: rec });
    this.drain();
    return rec.seq;
  }

  /**
   * Journals an operator's re-delivery of a dead letter (input on control.commands), delivers the
   * original to the actor that failed on it; returns its seq and the dead letters it caused.
   */
  redeliver(msg: DeadLetterRedelivered, source: string): { seq: number; deadLettered: number } {
    const before = this.run.deadLettered;
    const key = String(msg.deadLetterSeq);
    const rec = this.inputRecord(msg, topics.controlCommands, msg.actorId, key, source);
    const { original, event, tick } = redeliveryOf(msg, rec.seq);
    this.queue.push({ to: msg.actorId, event, record: tick ? null : rec, original });
    this.drain();
    return { seq: rec.seq, deadLettered: this.run.deadLettered - before };
  }

  /** Journals an input: it starts its own chain (its own correlation, no cause). */
  private inputRecord(
    input: Input,
    topic: string,
    target: string | null,
    key: string,
    source: string,
  ): JournalRecord {
    const { seq } = this;
    const broker = brokerOfTopic(topic);
    const rec = this.record(
      input.type,
      topic,
      source,
      target,
      seq + 1,
      0,
      broker,
      key,
      input,
      'input',
    );
    this.inputClock.set(rec.ts);
    return rec;
  }

  // ---- actor output -------------------------------------------------------------------------

  /** Called with every event an actor emits: journals it and queues its deliveries. Never throws. */
  emitFrom(source: string, msg: ActorOutput): void {
    try {
      const route = routeOf(msg);
      const c = this.cause;
      let correlationSeq: number;
      let causationSeq: number;
      const tickSeq = 'tickSeq' in msg ? msg.tickSeq : undefined;
      if (c === null) {
        correlationSeq = this.seq + 1;
        causationSeq = 0;
      } else if (c.isTicks && tickSeq !== undefined) {
        correlationSeq = tickSeq;
        causationSeq = tickSeq;
      } else {
        correlationSeq = c.correlationSeq;
        causationSeq = c.seq;
      }
      const rec = this.record(
        msg.type,
        route.topic,
        source,
        null,
        correlationSeq,
        causationSeq,
        route.broker,
        route.key,
        msg,
      );
      for (const to of route.to) {
        // An order's hop goes to its broker's adapter whether or not one is connected, so a
        // missing adapter is dead-lettered as such rather than as an actor that is not running.
        if (isBrokerCommand(msg) && to === actorIds.broker(msg.broker)) this.toBroker(rec, msg);
        else if (this.outbox.has(to))
          this.deadLetter(
            source,
            rec,
            new Error(`${to} takes only SubmitOrder, CancelOrder and ModifyOrder, not ${msg.type}`),
          );
        else this.queue.push({ to, event: msg, record: rec });
      }
      if (!this.draining) this.drain();
    } catch (err) {
      // An unroutable message is a programming error; keep it, on the system DLQ, rather than lose it.
      this.deadLetter(
        source,
        { type: msg.type, topic: topics.systemEvents, key: source, seq: 0, data: msg },
        err,
      );
    }
  }

  private record(
    type: string,
    topic: string,
    source: string,
    target: string | null,
    correlationSeq: number,
    causationSeq: number,
    broker: JournalRecord['broker'],
    key: string,
    data: unknown,
    kind: 'input' | 'derived' = 'derived',
  ): JournalRecord {
    const seq = ++this.seq;
    const rec: JournalRecord = {
      seq,
      ts: this.clock.now(),
      type,
      topic,
      source,
      target,
      correlationSeq,
      causationSeq,
      broker,
      key,
      data,
    };
    this.bridge.append(rec);
    const derived = kind === 'derived';
    if (derived) this.run.derive(type, key, data);
    else this.run.input(type, 1);
    for (const t of this.taps) t(rec, derived);
    return rec;
  }

  /** A command's hop to its broker adapter, at once: a simulated broker replies now. */
  private toBroker(rec: JournalRecord, command: BrokerCommand): void {
    const replies = this.outbox.send(command, rec.seq, rec.correlationSeq);
    if (replies === null) {
      this.deadLetter(
        'switchboard',
        rec,
        new Error(`no broker adapter is connected for ${command.broker}`),
      );
      return;
    }
    this.replies(command.broker, replies, rec);
  }

  /** A simulated broker's replies: derived messages, delivered now to the broker's trader. */
  private readonly replies: BrokerReplies = (broker, replies, cause) => {
    const to = actorIds.trader(broker);
    for (const reply of replies) {
      const event: BrokerReplied = { type: 'BrokerReplied', reply };
      this.queue.push({ to, event, record: cause });
    }
  };

  // ---- delivery -----------------------------------------------------------------------------

  /** Told the seq of each record about to be delivered (time travel); null on a live run. */
  private watch: ((seq: number) => void) | null = null;

  /**
   * Calls `fn` with the seq of each record just before it is delivered (null: no more). Deliveries
   * go in seq order, so when `fn` first sees a seq past N, every record up to N has been delivered
   * and no actor is mid-message: the inspector's time travel reads the actors there.
   */
  watchDeliveries(fn: ((seq: number) => void) | null): void {
    this.watch = fn;
  }

  /** Delivers queued messages until none is left. Re-entrant calls return at once. */
  drain(): void {
    if (this.draining) return;
    this.draining = true;
    // Called from inside `ingest`'s prepare step (by its first emission), it keeps that input
    // as the cause of whatever the step emits next.
    const outer = this.cause;
    try {
      while (this.head < this.queue.length) {
        const d = this.queue[this.head++]!;
        if (this.watch !== null && d.record !== null) this.watch(d.record.seq);
        this.deliver(d);
        if (this.head > 4096 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
      }
      this.queue = [];
      this.head = 0;
    } finally {
      this.draining = false;
      this.cause = outer;
    }
  }

  /** Resolves an actor now, so the events it emits are journaled from here on. */
  attach(id: string): void {
    this.endpoints.resolve(id);
  }

  private deliver(d: Delivery): void {
    let event = d.event;
    for (let attempt = 0; ; attempt++) {
      const ref = this.endpoints.resolve(d.to);
      if (ref === undefined || ref.getSnapshot().status !== 'active') {
        this.undeliverable(d, event);
        return;
      }
      this.run.deliveries++;
      this.cause = d.record
        ? { seq: d.record.seq, correlationSeq: d.record.correlationSeq, isTicks: false }
        : { seq: 0, correlationSeq: 0, isTicks: true };
      ref.send(event);
      const snap: { status: string; error?: unknown } = ref.getSnapshot();
      if (snap.status !== 'error') return;
      // The actor threw: its supervisor has already handled xstate.error.actor.<id>.
      const err = snap.error;
      if (d.original !== undefined) {
        this.deadLetter(d.to, d.original, err);
        return;
      }
      if (event.type === 'TicksReceived') {
        const { failed, rest } = splitFailedBatch(event, err);
        this.deadLetter(d.to, failed, err);
        if (rest.ticks.length === 0 || attempt > rest.ticks.length) return;
        event = rest;
        continue;
      }
      this.deadLetter(d.to, d.record!, err);
      return;
    }
  }

  /** A message for an actor that is stopped or faulted: ticks are counted, anything else is dead-lettered. */
  private undeliverable(d: Delivery, event: DeliveredEvent): void {
    if (d.original !== undefined) {
      this.deadLetter(d.to, d.original, new Error(`actor ${d.to} is not running`));
      return;
    }
    if (event.type === 'TicksReceived') {
      this.run.bump('TicksUndelivered', event.ticks.length);
      return;
    }
    if (d.record) this.deadLetter(d.to, d.record, new Error(`actor ${d.to} is not running`));
  }

  private deadLetter(actorId: string, original: Original, err: unknown): void {
    const corr = original.seq > 0 ? original.seq : this.seq + 1;
    const msg = deadLetterOf(actorId, original, err);
    this.record(
      'DeadLettered',
      topics.dlq(original.topic),
      actorId,
      null,
      corr,
      original.seq,
      'system',
      original.key,
      msg,
    );
    this.run.deadLettered++;
  }
}
