/**
 * The supervisor machine (XState has none): one-for-one restart from the child's last good
 * context, within a restart budget kept in context; past the budget it escalates (the child is
 * stopped and marked FAULTED; a broker subtree also halts that broker). Restarts, faults and
 * halts are emitted, so the switchboard journals them.
 */
import { assign, enqueueActions, setup, type AnyActorRef, type AnyStateMachine } from 'xstate';
import type { ActorFaulted, ActorRestarted, BrokerName, SetTradingState } from '../model/index.js';
import type { Clock } from './clock.js';
import { describeError } from './errors.js';

export interface ChildSpec {
  readonly id: string;
  readonly logic: AnyStateMachine;
  /** The child's input; on restart it also gets `restore`: its last good context. */
  readonly input: Record<string, unknown>;
}

export interface RestartBudget {
  /** Restarts allowed within `windowMs`. */
  readonly maxRestarts: number;
  readonly windowMs: number;
}

export const DEFAULT_BUDGET: RestartBudget = { maxRestarts: 5, windowMs: 60_000 };

export interface SupervisorInput {
  readonly name: string;
  readonly children: readonly ChildSpec[];
  readonly budget?: RestartBudget;
  /** Reads time for the budget window; simulated in tests and replay. */
  readonly clock: Clock;
  /** When set, a child that exhausts its budget also halts trading on this broker. */
  readonly haltsBroker?: BrokerName;
  /** Restart history and faults from a snapshot: faulted children are not started. */
  readonly restore?: SupervisorState;
}

/** What a supervisor keeps across a snapshot. */
export interface SupervisorState {
  readonly restarts: Readonly<Record<string, readonly number[]>>;
  readonly faulted: Readonly<Record<string, string>>;
  /** Each faulted child's last good context, for a revival. */
  readonly lastGood?: Readonly<Record<string, unknown>>;
  /** Each child's context to start from (a snapshot's); used once, at start. */
  readonly children?: Readonly<Record<string, unknown>>;
}

export interface SupervisorContext {
  readonly name: string;
  readonly specs: Readonly<Record<string, ChildSpec>>;
  readonly budget: RestartBudget;
  readonly clock: Clock;
  readonly haltsBroker: BrokerName | null;
  /** Restart times per child within the budget window, epoch ms. */
  readonly restarts: Readonly<Record<string, readonly number[]>>;
  /** Children stopped for good, with the error that ended them. */
  readonly faulted: Readonly<Record<string, string>>;
  /** Each faulted child's last good context: a revival starts from it. */
  readonly lastGood: Readonly<Record<string, unknown>>;
  /** Contexts the children start from (a snapshot's); emptied once they have started. */
  readonly startFrom: Readonly<Record<string, unknown>>;
}

type ErrorEvent = { type: `xstate.error.actor.${string}`; error: unknown };
type SupervisorEvent =
  | ErrorEvent
  | { type: 'StartChild'; spec: ChildSpec }
  | { type: 'StopChild'; id: string }
  | ReviveChild;

/**
 * Starts a faulted child again, from its last good context, with a fresh restart budget (an
 * operator fixed its cause, for example its configuration). Emits ActorRestarted.
 */
export interface ReviveChild {
  readonly type: 'ReviveChild';
  readonly id: string;
  readonly reason: string;
}
type Emitted = ActorRestarted | ActorFaulted | SetTradingState;

const ERROR_PREFIX = 'xstate.error.actor.';

/** No child logic is known in advance: each comes with its ChildSpec. */
const CHILD_LOGIC: Record<string, AnyStateMachine> = {};

export const supervisorMachine = setup({
  types: {
    input: {} as SupervisorInput,
    context: {} as SupervisorContext,
    events: {} as SupervisorEvent,
    emitted: {} as Emitted,
  },
  // Children are given as logic at run time (ChildSpec), under ids of any name.
  actors: CHILD_LOGIC,
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({
    name: input.name,
    specs: Object.fromEntries(input.children.map((c) => [c.id, c])),
    budget: input.budget ?? DEFAULT_BUDGET,
    clock: input.clock,
    haltsBroker: input.haltsBroker ?? null,
    restarts: input.restore?.restarts ?? {},
    faulted: input.restore?.faulted ?? {},
    lastGood: input.restore?.lastGood ?? {},
    startFrom: input.restore?.children ?? {},
  }),
  entry: enqueueActions(({ context, enqueue }) => {
    for (const spec of Object.values(context.specs)) {
      if (context.faulted[spec.id] !== undefined) continue;
      const restore = context.startFrom[spec.id];
      enqueue.spawnChild(spec.logic, {
        id: spec.id,
        input: restore === undefined ? spec.input : { ...spec.input, restore },
      });
    }
    enqueue.assign({ startFrom: {} });
  }),
  initial: 'running',
  states: {
    running: {
      on: {
        'xstate.error.actor.*': {
          actions: enqueueActions(({ context, event, enqueue, self }) => {
            if (!isErrorEvent(event)) return;
            const e = event;
            const id = e.type.slice(ERROR_PREFIX.length);
            const spec = context.specs[id];
            const child = childOf(self, id);
            const reason = describeError(e.error);
            const text = `${reason.name}: ${reason.message}`;
            if (!spec) return;
            const now = context.clock.now();
            const recent = (context.restarts[id] ?? []).filter(
              (t) => now - t < context.budget.windowMs,
            );
            enqueue.stopChild(id);
            if (recent.length < context.budget.maxRestarts) {
              // Restart from the last good context: an actor that throws keeps its pre-event snapshot.
              const restore = contextOf(child);
              enqueue.spawnChild(spec.logic, {
                id,
                input: restore === undefined ? spec.input : { ...spec.input, restore },
              });
              enqueue.assign({ restarts: { ...context.restarts, [id]: [...recent, now] } });
              enqueue.emit({
                type: 'ActorRestarted',
                actorId: id,
                restarts: recent.length + 1,
                error: text,
              });
              return;
            }
            const last = contextOf(child);
            enqueue.assign({
              faulted: { ...context.faulted, [id]: text },
              restarts: { ...context.restarts, [id]: [...recent, now] },
              lastGood: last === undefined ? context.lastGood : { ...context.lastGood, [id]: last },
            });
            enqueue.emit({
              type: 'ActorFaulted',
              actorId: id,
              restarts: recent.length,
              error: text,
            });
            if (context.haltsBroker !== null) {
              enqueue.emit({
                type: 'SetTradingState',
                broker: context.haltsBroker,
                state: 'HALTED',
                reason: `${id} faulted after ${recent.length} restarts: ${text}`,
              });
            }
          }),
        },
        StartChild: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const { spec } = event;
            enqueue.spawnChild(spec.logic, { id: spec.id, input: spec.input });
            const faulted = { ...context.faulted };
            delete faulted[spec.id];
            enqueue.assign({ specs: { ...context.specs, [spec.id]: spec }, faulted });
          }),
        },
        ReviveChild: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const { id, reason } = event;
            const spec = context.specs[id];
            const was = context.faulted[id];
            if (!spec || was === undefined) return;
            const restore = context.lastGood[id];
            enqueue.spawnChild(spec.logic, {
              id,
              input: restore === undefined ? spec.input : { ...spec.input, restore },
            });
            const without = <T>(r: Readonly<Record<string, T>>) => {
              const out = { ...r };
              delete out[id];
              return out;
            };
            enqueue.assign({
              faulted: without(context.faulted),
              lastGood: without(context.lastGood),
              restarts: without(context.restarts),
            });
            enqueue.emit({
              type: 'ActorRestarted',
              actorId: id,
              restarts: 0,
              error: `revived (${reason}) after it faulted with ${was}`,
            });
          }),
        },
        StopChild: {
          actions: [
            enqueueActions(({ event, enqueue }) => enqueue.stopChild(event.id)),
            assign({
              specs: ({ context, event }) => {
                const specs = { ...context.specs };
                delete specs[event.id];
                return specs;
              },
            }),
          ],
        },
      },
    },
  },
});

/** What a snapshot keeps of a supervisor: its restart history, its faults, its children's contexts. */
export function supervisorState(supervisor: AnyActorRef): SupervisorState {
  const c: SupervisorContext = supervisor.getSnapshot().context;
  const refs: Record<string, AnyActorRef | undefined> = supervisor.getSnapshot().children;
  const children: Record<string, unknown> = {};
  for (const [id, ref] of Object.entries(refs)) if (ref) children[id] = contextOf(ref);
  return { restarts: c.restarts, faulted: c.faulted, lastGood: c.lastGood, children };
}

/** Returns a supervisor's child ref by id, if it is running. */
export function childOf(supervisor: AnyActorRef, id: string): AnyActorRef | undefined {
  const refs: Record<string, AnyActorRef | undefined> = supervisor.getSnapshot().children;
  return refs[id];
}

/** An actor's context (its last good one, for an actor that has just thrown). */
function contextOf(ref: AnyActorRef | undefined): unknown {
  return ref?.getSnapshot().context;
}

function isErrorEvent(e: SupervisorEvent): e is ErrorEvent {
  return e.type.startsWith(ERROR_PREFIX);
}
