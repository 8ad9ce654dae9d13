/**
 * The actor inspector's backend (SPEC §9): the supervision tree now, any actor's state at any
 * journal seq (time-travel.ts), a message and its causation chain, and the event stream filtered
 * by actor. Two forms: over a running system (`liveInspector`) and over a stopped journal
 * (`journalInspector`, post-mortem: the actors as of the journal's last durable seq).
 */
import type { JournalMeta, LogTransport, Snapshot } from '../../runtime/index.js';
import type { StrategyRegistry } from '../../strategies/index.js';
import type { EventFilter, EventStream, OnEvent, StreamGap } from '../event-stream.js';
import type { StreamEvent } from '../stream-event.js';
import type { TradingSystem } from '../trading-system.js';
import { actorTree, withoutContext, type ActorDetail, type ActorView } from './actor-view.js';
import { causationChain, type Chain } from './chain.js';
import { journalEvents } from './journal-events.js';
import { MessageCounters, targetsOf } from './message-counters.js';
import { messageOf, recordAt, type MessageView } from './message-view.js';
import { TimeTravel } from './time-travel.js';

export interface StateAt {
  readonly seq: number;
  /** The record at `seq`: the last one the state has seen. */
  readonly record: MessageView;
  readonly actors: ActorDetail[];
}

export interface InspectorFilter extends EventFilter {
  /** Records this actor sent or was sent. */
  readonly actor?: string;
}

export interface InspectorService {
  /** Whether this is a stopped journal's inspection (nothing live; writes are refused). */
  readonly postMortem: boolean;
  /** The last seq time travel, messages and chains can reach (the last durable one). */
  lastSeq(): number;
  /** Every actor of the supervision tree, now (post-mortem: at the last durable seq). */
  actors(): Promise<ActorView[]>;
  /** One actor with its context; null for an unknown id. */
  actor(id: string): Promise<ActorDetail | null>;
  /** Every actor as it was at `seq` (see time-travel.ts); null when seq is out of the journal. */
  stateAt(seq: number): Promise<StateAt | null>;
  message(seq: number): Promise<MessageView | null>;
  chain(seq: number): Promise<Chain | null>;
  /** The event stream (as /api/v1/stream/events), also filtered by actor; returns unsubscribe. */
  subscribe(
    afterSeq: number | null,
    filter: InspectorFilter,
    onEvent: OnEvent,
    onError: (err: Error) => void,
    onGap?: (gap: StreamGap) => void,
  ): () => void;
  /** The highest seq journaled so far (the stream's resume point for a new client). */
  latestSeq(): number;
  close(): Promise<void>;
}

/** Whether event `e` was sent by or to `actor`. */
export function concerns(e: StreamEvent, actor: string): boolean {
  if (e.source === actor) return true;
  const rec = { ...e, target: inputTarget(e), ts: 0, key: '', causationSeq: 0, seq: e.seq };
  return targetsOf(rec as never, rec.target === null).includes(actor);
}

/** The actor an input is delivered to, from its data (the stream's events do not carry it). */
function inputTarget(e: StreamEvent): string | null {
  const d = e.data as {
    broker?: string;
    strategyId?: string;
    actorId?: string;
    reply?: { broker?: string };
  };
  switch (e.type) {
    case 'SetTradingState':
      return `risk-gate:${d.broker}`;
    case 'StrategyConfigured':
      return `strategy:${d.strategyId}`;
    case 'BrokerReplied':
      return `trader:${d.reply?.broker}`;
    case 'DeadLetterRedelivered':
      return d.actorId ?? null;
    default:
      return null;
  }
}

interface Parts {
  readonly transport: LogTransport;
  readonly meta: Pick<JournalMeta, 'nonce' | 'createdMs'>;
  readonly events: EventStream;
  readonly travel: TimeTravel;
  readonly lastSeq: () => number;
}

function common(parts: Parts) {
  const { transport, meta, travel } = parts;
  return {
    lastSeq: parts.lastSeq,
    async stateAt(seq: number): Promise<StateAt | null> {
      if (!Number.isSafeInteger(seq) || seq < 1 || seq > parts.lastSeq()) return null;
      const rec = await recordAt(transport, seq);
      const point = await travel.at(seq);
      if (rec === null || point === null) return null;
      return {
        seq,
        record: messageOf(meta, rec),
        actors: point.actors ?? actorTree(point.system, { counters: point.counters }),
      };
    },
    async message(seq: number) {
      if (seq > parts.lastSeq()) return null;
      const r = await recordAt(transport, seq);
      return r === null ? null : messageOf(meta, r);
    },
    chain: (seq: number) =>
      seq > parts.lastSeq() ? Promise.resolve(null) : causationChain(transport, meta, seq),
    subscribe(
      afterSeq: number | null,
      filter: InspectorFilter,
      onEvent: OnEvent,
      onError: (err: Error) => void,
      onGap?: (gap: StreamGap) => void,
    ) {
      const { actor, ...base } = filter;
      const pass: OnEvent =
        actor === undefined ? onEvent : (e) => (concerns(e, actor) ? onEvent(e) : undefined);
      return parts.events.subscribe(afterSeq, base, pass, onError, onGap);
    },
    latestSeq: () => parts.events.latestSeq(),
    close: () => travel.close(),
  };
}

/**
 * The inspector of a running system. `counters` must be tapped into its switchboard (the daemon
 * does it at start); `wallMs` gives now for ages.
 */
export function liveInspector(opts: {
  system: TradingSystem;
  transport: LogTransport;
  events: EventStream;
  counters: MessageCounters;
  wallMs: () => number;
  registry?: StrategyRegistry;
  /** The journal's newest snapshot: time travel starts from it when it can. */
  snapshot?: () => Promise<Snapshot | null>;
}): InspectorService {
  const { system } = opts;
  const tree = () => actorTree(system, { counters: opts.counters, nowMs: opts.wallMs() });
  return {
    postMortem: false,
    ...common({
      transport: opts.transport,
      meta: system.meta,
      events: opts.events,
      travel: new TimeTravel(opts.transport, {
        ...(opts.registry ? { registry: opts.registry } : {}),
        ...(opts.snapshot ? { snapshot: opts.snapshot } : {}),
      }),
      lastSeq: () => system.bridge.durableSeq,
    }),
    actors: () => Promise.resolve(tree().map(withoutContext)),
    actor: (id) => Promise.resolve(tree().find((a) => a.id === id) ?? null),
  };
}

/** The inspector of a stopped journal: its actors as of the last durable seq, replayed. */
export function journalInspector(
  transport: LogTransport,
  meta: Pick<JournalMeta, 'nonce' | 'createdMs'>,
  registry?: StrategyRegistry,
): InspectorService {
  const travel = new TimeTravel(transport, registry ? { registry } : {});
  const c = common({
    transport,
    meta,
    events: journalEvents(transport, meta),
    travel,
    lastSeq: () => transport.lastSeq(),
  });
  const last = async () => (await c.stateAt(transport.lastSeq()))?.actors ?? [];
  return {
    postMortem: true,
    ...c,
    actors: async () => (await last()).map(withoutContext),
    actor: async (id) => (await last()).find((a) => a.id === id) ?? null,
  };
}

export { MessageCounters };
