/**
 * The switchboard's actors by id. An actor's ref changes each time its supervisor restarts it, so
 * each id keeps a lookup of its current ref; a ref seen for the first time gets the listener that
 * journals what it emits.
 */
import type { AnyActorRef } from 'xstate';
import type { ActorOutput } from '../model/index.js';

interface Endpoint {
  readonly lookup: () => AnyActorRef | undefined;
  attached: AnyActorRef | undefined;
}

export class Endpoints {
  private readonly byId = new Map<string, Endpoint>();

  /** `emit` receives every message of every ref it resolves, with the actor's id. */
  constructor(private readonly emit: (id: string, msg: ActorOutput) => void) {}

  /** Registers an actor under its id; `lookup` returns its current ref. */
  register(id: string, lookup: () => AnyActorRef | undefined): void {
    this.byId.set(id, { lookup, attached: undefined });
  }

  /** The actor's current ref (listened to from now on), or undefined when it is not running. */
  resolve(id: string): AnyActorRef | undefined {
    const ep = this.byId.get(id);
    if (!ep) return undefined;
    const ref = ep.lookup();
    if (ref !== undefined && ref !== ep.attached) {
      ep.attached = ref;
      ref.on('*', (e: ActorOutput) => this.emit(id, e));
    }
    return ref;
  }
}
