/**
 * The switchboard: every message between actors passes through it. It gives each record its seq,
 * hands it to the bridge (so every actor message is journaled by construction), hashes derived
 * records into the run's fingerprint, and delivers to the receiving actors in one FIFO queue,
 * run to completion. An actor that throws on a message is restarted by its supervisor; the
 * message goes to `<topic>.dlq` and the rest of a tick batch is redelivered (invariant 4).
 */
import { createHash, type Hash } from 'node:crypto';
import type { AnyActorRef } from 'xstate';
import {
  MARKET_TICKS,
  topics,
  type BrokerName,
  type BrokerReplied,
  type DeadLettered,
  type InstrumentToken,
  type JournalRecord,
  type MarketTick,
  type OrderEvent,
  type SubmitOrder,
  type TicksReceived,
} from '../model/index.js';
import type { Bridge } from './bridge.js';
import type { Clock } from './clock.js';
import { describeError, MessageFailed } from './errors.js';
import { routeOf } from './routes.js';

/** Something that executes orders: the runtime's view of a broker adapter. */
export type OrderSink =
  | {
      readonly execution: 'simulated';
      onTick(tick: MarketTick, seq: number): void;
      submit(o: SubmitOrder): OrderEvent[];
    }
  | { readonly execution: 'remote'; submit(o: SubmitOrder): Promise<OrderEvent[]> };

export type Tap = (record: JournalRecord, derived: boolean) => void;
export type TickTap = (ticks: readonly MarketTick[], firstSeq: number, ts: number) => void;

interface Endpoint {
  readonly id: string;
  readonly lookup: () => AnyActorRef | undefined;
  attached: AnyActorRef | undefined;
}

interface Delivery {
  readonly to: string;
  readonly event: { readonly type: string };
  /** The record delivered; null for a tick batch (its records are rebuilt from `seqs`). */
  readonly record: JournalRecord | null;
  readonly tickTs: number;
}

interface Cause {
  readonly seq: number;
  readonly correlationSeq: number;
  /** For tick batches: a derived message names its tick by `tickSeq`. */
  readonly isTicks: boolean;
}

export interface SwitchboardStats {
  readonly records: number;
  readonly inputs: number;
  readonly derived: number;
  readonly deliveries: number;
  readonly deadLettered: number;
  readonly byType: Readonly<Record<string, number>>;
}

export class Switchboard {
  private seq: number;
  private queue: Delivery[] = [];
  private head = 0;
  private draining = false;
  private cause: Cause | null = null;
  private readonly endpoints = new Map<string, Endpoint>();
  /** Tick subscribers: actor id and the tokens it wants (null = all). */
  private tickSubs: Array<{ id: string; tokens: ReadonlySet<InstrumentToken> | null }> = [];
  private readonly sinks = new Map<BrokerName, OrderSink>();
  private readonly taps: Tap[] = [];
  private readonly tickTaps: TickTap[] = [];
  private hash: Hash = createHash('sha256');
  private counts = { records: 0, inputs: 0, derived: 0, deliveries: 0, deadLettered: 0 };
  private byType = new Map<string, number>();
  /** Remote submissions waiting for their intent to be durable. */
  private onRemoteReply: ((broker: BrokerName, replies: OrderEvent[]) => void) | null = null;
  private onRemoteError: ((order: SubmitOrder, err: unknown) => void) | null = null;

  constructor(
    private readonly bridge: Bridge,
    private readonly clock: Clock,
  ) {
    this.seq = bridge.lastSeq;
  }

  /** Registers an actor under its id; `lookup` returns its current ref (it changes on restart). */
  register(id: string, lookup: () => AnyActorRef | undefined): void {
    this.endpoints.set(id, { id, lookup, attached: undefined });
  }

  /** Subscribes an actor to market ticks: all of them, or only `tokens`. */
  subscribeTicks(id: string, tokens: Iterable<InstrumentToken> | null): void {
    this.tickSubs = this.tickSubs.filter((s) => s.id !== id);
    this.tickSubs.push({ id, tokens: tokens === null ? null : new Set(tokens) });
  }

  /** Connects a broker adapter: SubmitOrder records for `broker` go to it. */
  connectBroker(broker: BrokerName, sink: OrderSink): void {
    this.sinks.set(broker, sink);
  }

  /** Where replies of remote brokers go (ingress), and where their failures are reported. */
  onRemote(
    reply: (broker: BrokerName, replies: OrderEvent[]) => void,
    error: (order: SubmitOrder, err: unknown) => void,
  ): void {
    this.onRemoteReply = reply;
    this.onRemoteError = error;
  }

  /** Calls `fn` with every ingested tick batch (ticks[i] has seq firstSeq + i), after journaling. */
  tapTicks(fn: TickTap): void {
    this.tickTaps.push(fn);
  }

  /**
   * Calls `tap` with every record after it is journaled, except ticks (hot path: no record object
   * is built per tick), which `tapTicks` delivers a batch at a time.
   */
  tap(fn: Tap): void {
    this.taps.push(fn);
  }

  /** Last seq assigned. */
  get lastSeq(): number {
    return this.seq;
  }

  /** SHA-256 over the derived records so far (type, key, data), hex. */
  fingerprint(): string {
    return this.hash.copy().digest('hex');
  }

  stats(): SwitchboardStats {
    return { ...this.counts, byType: Object.fromEntries(this.byType) };
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
    const firstSeq = this.seq + 1;
    const subs = this.tickSubs;
    const perSub: Array<{ ticks: MarketTick[]; seqs: number[] }> = subs.map(() => ({
      ticks: [],
      seqs: [],
    }));
    const simulated: Array<{ onTick(t: MarketTick, seq: number): void }> = [];
    for (const sink of this.sinks.values())
      if (sink.execution === 'simulated') simulated.push(sink);
    const bridge = this.bridge;
    for (let i = 0; i < n; i++) {
      const tick = ticks[i]!;
      const seq = firstSeq + i;
      bridge.appendTick(seq, ts, tick, i === 0 ? n : 0);
      for (let k = 0; k < simulated.length; k++) simulated[k]!.onTick(tick, seq);
      const token = tick.token;
      for (let k = 0; k < subs.length; k++) {
        const tokens = subs[k]!.tokens;
        if (tokens === null || tokens.has(token)) {
          const b = perSub[k]!;
          b.ticks.push(tick);
          b.seqs.push(seq);
        }
      }
    }
    this.seq += n;
    this.counts.records += n;
    this.counts.inputs += n;
    this.bump('MarketTick', n);
    for (const t of this.tickTaps) t(ticks, firstSeq, ts);
    for (let k = 0; k < subs.length; k++) {
      const b = perSub[k]!;
      if (b.ticks.length > 0) {
        const event: TicksReceived = { type: 'TicksReceived', ticks: b.ticks, seqs: b.seqs };
        this.queue.push({ to: subs[k]!.id, event, record: null, tickTs: ts });
      }
    }
    this.drain();
  }

  /**
   * Journals one input (operator command, broker reply, timer) on `topic` and delivers it to
   * `target`, then runs to quiescence. Returns its seq.
   */
  ingest(
    input: { readonly type: string },
    topic: string,
    target: string | null,
    key: string,
    source: string,
  ): number {
    const seq = ++this.seq;
    const r = routeBroker(topic);
    const rec: JournalRecord = {
      seq,
      ts: this.clock.now(),
      type: input.type,
      topic,
      source,
      target,
      correlationSeq: seq,
      causationSeq: 0,
      broker: r,
      key,
      data: input,
    };
    this.bridge.append(rec);
    this.counts.records++;
    this.counts.inputs++;
    this.bump(input.type, 1);
    for (const t of this.taps) t(rec, false);
    if (target !== null) this.queue.push({ to: target, event: input, record: rec, tickTs: 0 });
    this.drain();
    return seq;
  }

  // ---- actor output -------------------------------------------------------------------------

  /** Called with every event an actor emits: journals it and queues its deliveries. Never throws. */
  emitFrom(source: string, msg: { readonly type: string } & Record<string, unknown>): void {
    try {
      const route = routeOf(msg);
      const c = this.cause;
      let correlationSeq: number;
      let causationSeq: number;
      const tickSeq = msg.tickSeq;
      if (c === null) {
        correlationSeq = this.seq + 1;
        causationSeq = 0;
      } else if (c.isTicks && typeof tickSeq === 'number') {
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
      for (const to of route.to) this.queue.push({ to, event: msg, record: rec, tickTs: 0 });
      if (msg.type === 'SubmitOrder') this.toBroker(rec as JournalRecord<SubmitOrder>);
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
    this.counts.records++;
    this.counts.derived++;
    this.bump(type, 1);
    this.hash.update(`${type}\u001f${key}\u001f${JSON.stringify(data)}\n`);
    for (const t of this.taps) t(rec, true);
    return rec;
  }

  private toBroker(rec: JournalRecord<SubmitOrder>): void {
    const order = rec.data;
    const sink = this.sinks.get(order.broker);
    if (!sink) {
      this.deadLetter(
        'switchboard',
        { type: rec.type, topic: rec.topic, key: rec.key, seq: rec.seq, data: order },
        new Error(`no broker adapter is connected for ${order.broker}`),
      );
      return;
    }
    if (sink.execution === 'simulated') {
      // Deterministic and in-process: its replies are derived messages, delivered now.
      const replies = sink.submit(order);
      const to = `trader:${order.broker}`;
      for (const reply of replies) {
        const event: BrokerReplied = { type: 'BrokerReplied', reply };
        this.queue.push({ to, event, record: rec, tickTs: 0 });
      }
      return;
    }
    // Intent before effect (invariant 2): the order leaves only once its record is durable.
    void this.bridge.whenDurable(rec.seq).then(() =>
      sink.submit(order).then(
        (replies) => this.onRemoteReply?.(order.broker, replies),
        (err: unknown) => this.onRemoteError?.(order, err),
      ),
    );
  }

  // ---- delivery -----------------------------------------------------------------------------

  /** Delivers queued messages until none is left. Re-entrant calls return at once. */
  drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.head < this.queue.length) {
        const d = this.queue[this.head++]!;
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
      this.cause = null;
    }
  }

  /** Resolves an actor now, so the events it emits are journaled from here on. */
  attach(id: string): void {
    this.resolve(id);
  }

  private resolve(id: string): AnyActorRef | undefined {
    const ep = this.endpoints.get(id);
    if (!ep) return undefined;
    const ref = ep.lookup();
    if (ref !== undefined && ref !== ep.attached) {
      ep.attached = ref;
      ref.on('*', (e: { type: string } & Record<string, unknown>) => this.emitFrom(id, e));
    }
    return ref;
  }

  private deliver(d: Delivery): void {
    let event = d.event;
    for (let attempt = 0; ; attempt++) {
      const ref = this.resolve(d.to);
      if (ref === undefined || ref.getSnapshot().status !== 'active') {
        this.undeliverable(d, event);
        return;
      }
      this.counts.deliveries++;
      this.cause = d.record
        ? { seq: d.record.seq, correlationSeq: d.record.correlationSeq, isTicks: false }
        : { seq: 0, correlationSeq: 0, isTicks: true };
      ref.send(event);
      const snap = ref.getSnapshot() as { status: string; error?: unknown };
      if (snap.status !== 'error') return;
      // The actor threw: its supervisor has already handled xstate.error.actor.<id>.
      const err = snap.error;
      if (event.type === 'TicksReceived') {
        const batch = event as TicksReceived;
        const failedSeq = err instanceof MessageFailed ? err.seq : batch.seqs[0]!;
        const i = batch.seqs.indexOf(failedSeq);
        const idx = i < 0 ? 0 : i;
        const tick = batch.ticks[idx]!;
        this.deadLetter(
          d.to,
          {
            type: 'MarketTick',
            topic: MARKET_TICKS,
            key: String(tick.token),
            seq: batch.seqs[idx]!,
            data: tick,
          },
          err,
        );
        const rest: TicksReceived = {
          type: 'TicksReceived',
          ticks: batch.ticks.filter((_, j) => j !== idx),
          seqs: batch.seqs.filter((_, j) => j !== idx),
        };
        if (rest.ticks.length === 0 || attempt > batch.ticks.length) return;
        event = rest;
        continue;
      }
      const r = d.record!;
      this.deadLetter(
        d.to,
        { type: r.type, topic: r.topic, key: r.key, seq: r.seq, data: r.data },
        err,
      );
      return;
    }
  }

  /** A message for an actor that is stopped or faulted: ticks are counted, anything else is dead-lettered. */
  private undeliverable(d: Delivery, event: { readonly type: string }): void {
    if (event.type === 'TicksReceived') {
      this.bump('TicksUndelivered', (event as TicksReceived).ticks.length);
      return;
    }
    const r = d.record;
    if (r)
      this.deadLetter(
        d.to,
        { type: r.type, topic: r.topic, key: r.key, seq: r.seq, data: r.data },
        new Error(`actor ${d.to} is not running`),
      );
  }

  private deadLetter(
    actorId: string,
    original: { type: string; topic: string; key: string; seq: number; data: unknown },
    err: unknown,
  ): void {
    const msg: DeadLettered = {
      type: 'DeadLettered',
      actorId,
      originalTopic: original.topic,
      originalSeq: original.seq,
      originalType: original.type,
      originalKey: original.key,
      error: describeError(err),
      original: original.data,
    };
    const corr = original.seq > 0 ? original.seq : this.seq + 1;
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
    this.counts.deadLettered++;
  }

  private bump(type: string, n: number): void {
    this.byType.set(type, (this.byType.get(type) ?? 0) + n);
  }
}

function routeBroker(topic: string): JournalRecord['broker'] {
  const first = topic.slice(0, topic.indexOf('.'));
  return first === 'paper' || first === 'zerodha'
    ? first
    : first === 'market'
      ? 'shared'
      : 'system';
}
