import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { sessionMachine } from './session.js';

const S = { userId: 'AB1234', accessToken: 't1', loginAt: 1, expiresAt: 2 };

function run(session: typeof S | null) {
  const a = createActor(sessionMachine, { input: { session } });
  a.start();
  return a;
}

describe('the Kite session actor', () => {
  it('goes NONE → RENEWED on a login, and VALID once the feed and orders are back', () => {
    const a = run(null);
    expect(a.getSnapshot().value).toBe('NONE');
    a.send({ type: 'LOGGED_IN', session: S, reason: 'login' });
    expect(a.getSnapshot().value).toBe('RENEWED');
    a.send({ type: 'CONFIRMED', reason: 'reconciled' });
    expect(a.getSnapshot().value).toBe('VALID');
  });

  it('expires on a refused token or the daily rollover, and a new login renews it', () => {
    for (const type of ['TOKEN_REFUSED', 'EXPIRY_REACHED'] as const) {
      const a = run(S);
      expect(a.getSnapshot().value).toBe('RENEWED'); // a stored session is proven first
      a.send({ type: 'CONFIRMED', reason: 'ok' });
      a.send({ type, reason: 'gone' });
      expect(a.getSnapshot()).toMatchObject({ value: 'EXPIRED', context: { reason: 'gone' } });
      a.send({ type: 'CONFIRMED', reason: 'ignored' });
      expect(a.getSnapshot().value).toBe('EXPIRED');
      a.send({ type: 'LOGGED_IN', session: { ...S, accessToken: 't2' }, reason: 'again' });
      expect(a.getSnapshot()).toMatchObject({
        value: 'RENEWED',
        context: { session: { accessToken: 't2' } },
      });
    }
  });
});
