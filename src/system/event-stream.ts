/**
 * The event stream: every journal record but ticks, in seq order, from any seq on: first read
 * back from the journal, then live from the switchboard, with none missed and none twice. Live
 * records are handed out once durable, so a seq a client has seen always stays in the journal.
 */
import type { JournalRecord } from '../model/index.js';
import { AlphaPandaError, type LogTransport } from '../runtime/index.js';
import { eventOf, matcher, type EventFilter, type StreamEvent } from './stream-event.js';
import type { TradingSystem } from './trading-system.js';

export { eventOf, seqOfRecordId, type EventFilter, type StreamEvent } from './stream-event.js';

/** Seqs the journal no longer holds (a compacted or expired Kafka topic), skipped by the stream. */
export interface StreamGap {
  readonly fromSeq: number;
  readonly toSeq: number;
}

/**
 * Takes the next event. During the catch-up a returned promise holds the journal read until it
 * settles (a slow client); live events never wait.
 */
export type OnEvent = (e: StreamEvent) => void | Promise<void>;

export interface EventStream {
  /**
   * Every record after `afterSeq` (journal first, then live; from now on when null), in seq
   * order, none twice, none missed; returns unsubscribe. `onError` ends the subscription.
   */
  subscribe(
    afterSeq: number | null,
    filter: EventFilter,
    onEvent: OnEvent,
    onError: (err: Error) => void,
    onGap?: (gap: StreamGap) => void,
  ): () => void;
  /** The highest seq journaled so far (durable or not). */
  latestSeq(): number;
}

export interface EventStreamOptions {
  /** Live records one subscriber may hold while it catches up, past which it is ended. */
  readonly maxBuffered?: number;
  /** How far behind the head a catch-up reads on before it starts holding live records. */
  readonly catchUpSlack?: number;
}

/** A subscriber fell further behind the live records than the stream holds for it. */
export class EventStreamOverflow extends AlphaPandaError {
  constructor(held: number, atSeq: number) {
    super(
      'EVENT_STREAM_OVERFLOW',
      `the subscriber fell ${held} records behind while catching up (at seq ${atSeq}); resubscribe from the last seq it received`,
      { retriable: true },
    );
  }
}

class Subscription {
  /** The highest seq handled (delivered or filtered out). */
  last: number;
  /** While catching up: live records after `heldFrom`, delivered once the journal is read. */
  held: JournalRecord[] | null = null;
  heldFrom = 0;
  closed = false;

  constructor(
    afterSeq: number,
    private readonly match: (r: JournalRecord) => boolean,
    private readonly event: (r: JournalRecord) => StreamEvent,
    private readonly onEvent: OnEvent,
    private readonly onError: (err: Error) => void,
    private readonly maxBuffered: number,
    readonly onGap: (gap: StreamGap) => void,
  ) {
    this.last = afterSeq;
  }

  /** A live record, durable. */
  offer(r: JournalRecord): void {
    if (this.closed || r.seq <= this.last) return;
    if (this.held === null) {
      void this.deliver(r);
      return;
    }
    if (r.seq <= this.heldFrom) return;
    this.held.push(r);
    if (this.held.length > this.maxBuffered)
      this.fail(new EventStreamOverflow(this.held.length, this.last));
  }

  deliver(r: JournalRecord): void | Promise<void> {
    this.last = r.seq;
    if (r.type === 'MarketTick' || !this.match(r)) return;
    try {
      const p = this.onEvent(this.event(r));
      return p?.catch((err: unknown) => this.fail(asError(err)));
    } catch (err) {
      this.fail(asError(err));
    }
  }

  fail(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.onError(err);
  }
}

/** The event stream of `system`'s journal; `transport` is the journal it writes. */
export function eventStream(
  system: TradingSystem,
  transport: LogTransport,
  options: EventStreamOptions = {},
): EventStream {
  const { bridge, switchboard: sb } = system;
  const maxBuffered = options.maxBuffered ?? 10_000;
  const slack = options.catchUpSlack ?? 1_000;
  const live = new Set<Subscription>();
  let pending: JournalRecord[] = [];
  let waiting = false;

  // Records reach subscribers only once durable, in seq order.
  const release = () => {
    const durable = bridge.durableSeq;
    let i = 0;
    for (; i < pending.length && pending[i]!.seq <= durable; i++)
      for (const s of live) s.offer(pending[i]!);
    pending = i === pending.length ? [] : pending.slice(i);
  };
  const wait = () => {
    if (waiting || pending.length === 0) return;
    waiting = true;
    void bridge.whenDurable(pending[pending.length - 1]!.seq).then(() => {
      waiting = false;
      release();
      wait();
    });
  };
  sb.tap((r) => {
    if (live.size === 0) return;
    pending.push(r);
    wait();
  });

  /** Delivers the journal's records after `s.last` through `until`, reporting seqs it lacks. */
  const readJournal = async (s: Subscription, until: number) => {
    let expect = s.last + 1;
    for await (const r of transport.read(expect, { untilSeq: until })) {
      if (s.closed) return;
      if (r.seq > expect) s.onGap({ fromSeq: expect, toSeq: r.seq - 1 });
      expect = r.seq + 1;
      const slow = s.deliver(r);
      if (slow) await slow;
    }
    if (!s.closed && expect <= until) {
      s.onGap({ fromSeq: expect, toSeq: until });
      s.last = until;
    }
  };

  const catchUp = async (s: Subscription) => {
    // Far behind: read the journal without holding live records for it.
    while (!s.closed && sb.lastSeq - s.last > slack && bridge.durableSeq > s.last)
      await readJournal(s, bridge.durableSeq);
    if (s.closed) return;
    // Close to the head: hold live records after `head` while the journal is read through it.
    const head = sb.lastSeq;
    s.held = [];
    s.heldFrom = head;
    live.add(s);
    if (s.last < head) {
      await bridge.whenDurable(head);
      await readJournal(s, head);
    }
    const held = s.held;
    s.held = null;
    for (const r of held) if (!s.closed && r.seq > s.last) void s.deliver(r);
  };

  return {
    subscribe(afterSeq, filter, onEvent, onError, onGap = () => {}) {
      const match = matcher(filter, system.meta);
      const s = new Subscription(
        afterSeq ?? sb.lastSeq,
        match,
        (r) => eventOf(system.meta, r),
        onEvent,
        (err) => {
          live.delete(s);
          onError(err);
        },
        maxBuffered,
        onGap,
      );
      if (afterSeq === null) live.add(s);
      else catchUp(s).catch((err: unknown) => s.fail(asError(err)));
      return () => {
        s.closed = true;
        live.delete(s);
      };
    },
    latestSeq: () => sb.lastSeq,
  };
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
