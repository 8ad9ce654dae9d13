/**
 * The Kite session actor (`session:zerodha`). Kite's access token lasts until its daily
 * rollover (about 06:00 IST) and can be refused earlier (a logout elsewhere): a `TokenException`
 * 403 from any REST call or the ticker's upgrade expires it.
 *
 *   NONE ──login──▶ RENEWED ──▶ VALID ──403 / expiry──▶ EXPIRED ──login──▶ RENEWED ──feed & orders back──▶ VALID
 *
 * RENEWED is a new token not yet proven: the ticker reconnects with it and the open orders are
 * reconciled; only then is the session VALID again. The host (link.ts) halts the zerodha gate in
 * every state but VALID and resumes it in VALID, and journals every change.
 */
import { assign, setup } from 'xstate';
import type { StoredSession } from './session-store.js';

export type SessionState = 'NONE' | 'VALID' | 'EXPIRED' | 'RENEWED';

export interface SessionContext {
  readonly session: StoredSession | null;
  /** Why the session is in its state. */
  readonly reason: string;
}

export type SessionEvent =
  | { type: 'LOGGED_IN'; session: StoredSession; reason: string }
  | { type: 'TOKEN_REFUSED'; reason: string }
  | { type: 'EXPIRY_REACHED'; reason: string }
  | { type: 'CONFIRMED'; reason: string };

export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as { session: StoredSession | null },
  },
  actions: {
    keep: assign(({ event }) =>
      event.type === 'LOGGED_IN'
        ? { session: event.session, reason: event.reason }
        : { reason: event.reason },
    ),
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({
    session: input.session,
    reason: input.session ? 'session restored from the store' : 'no session: log in',
  }),
  initial: 'start',
  states: {
    start: {
      always: [
        { guard: ({ context }) => context.session !== null, target: 'RENEWED' },
        { target: 'NONE' },
      ],
    },
    NONE: { on: { LOGGED_IN: { target: 'RENEWED', actions: 'keep' } } },
    VALID: {
      on: {
        LOGGED_IN: { target: 'VALID', actions: 'keep', reenter: true },
        TOKEN_REFUSED: { target: 'EXPIRED', actions: 'keep' },
        EXPIRY_REACHED: { target: 'EXPIRED', actions: 'keep' },
      },
    },
    EXPIRED: { on: { LOGGED_IN: { target: 'RENEWED', actions: 'keep' } } },
    RENEWED: {
      on: {
        LOGGED_IN: { target: 'RENEWED', actions: 'keep', reenter: true },
        CONFIRMED: { target: 'VALID', actions: 'keep' },
        TOKEN_REFUSED: { target: 'EXPIRED', actions: 'keep' },
        EXPIRY_REACHED: { target: 'EXPIRED', actions: 'keep' },
      },
    },
  },
});
