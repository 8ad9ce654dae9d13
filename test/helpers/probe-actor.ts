/**
 * A tiny hand-made actor for runtime tests: it keeps every event it is given in `got` (a restart
 * restores it), logs `<id> <type>` on a shared list, and emits what `react` returns; `react` may
 * throw, which fails the actor the way a real handler would.
 */
import { enqueueActions, setup, type AnyStateMachine } from 'xstate';
import type { ActorOutput, Delivery } from '../../src/model/index.js';

/** What a probe does with a delivery: the messages it emits (it may throw). */
export type React = (e: Delivery) => ActorOutput[];

export interface ProbeContext {
  readonly got: readonly Delivery[];
}

export function probeMachine(id: string, react: React, log: string[] = []): AnyStateMachine {
  return setup({
    types: {
      input: {} as { restore?: ProbeContext },
      context: {} as ProbeContext,
      events: {} as Delivery,
      emitted: {} as ActorOutput,
    },
  }).createMachine({
    context: ({ input }) => input.restore ?? { got: [] },
    on: {
      '*': {
        actions: enqueueActions(({ context, event, enqueue }) => {
          log.push(`${id} ${event.type}`);
          for (const m of react(event)) enqueue.emit(m);
          enqueue.assign({ got: [...context.got, event] });
        }),
      },
    },
  });
}
