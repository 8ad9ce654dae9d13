import { describe, expect, it } from 'vitest';
import { ACTIVE_SCOPE, describeScope, setAuthorities, strictest } from './trading-state.js';

describe('strictest', () => {
  it('orders HALTED over REDUCING over ACTIVE', () => {
    expect(strictest('ACTIVE', 'REDUCING')).toBe('REDUCING');
    expect(strictest('HALTED', 'REDUCING')).toBe('HALTED');
    expect(strictest('ACTIVE', 'ACTIVE')).toBe('ACTIVE');
  });
});

describe('setAuthorities', () => {
  it('takes the reason of an authority restating the state the scope is in, without a change', () => {
    const a = setAuthorities(ACTIVE_SCOPE, { broker: 'HALTED' }, 'no session');
    const b = setAuthorities(a.scope, { broker: 'HALTED' }, 'instruments disagree');
    expect(b).toEqual({
      scope: { state: 'HALTED', by: { broker: 'HALTED' }, reason: 'instruments disagree' },
    });
    // A milder restriction does not restate why the scope is HALTED.
    const c = setAuthorities(b.scope, { operator: 'REDUCING' }, 'reduce');
    expect(c.scope.reason).toBe('instruments disagree');
  });

  it('trades on the strictest authority and reports only real changes', () => {
    const a = setAuthorities(ACTIVE_SCOPE, { journal: 'HALTED' }, 'backlog');
    expect(a).toEqual({
      scope: { state: 'HALTED', by: { journal: 'HALTED' }, reason: 'backlog' },
      changed: { from: 'ACTIVE', to: 'HALTED' },
    });
    const b = setAuthorities(a.scope, { operator: 'REDUCING' }, 'reduce');
    expect(b.changed).toBeUndefined();
    expect(b.scope).toEqual({
      state: 'HALTED',
      by: { journal: 'HALTED', operator: 'REDUCING' },
      reason: 'backlog',
    });
    const c = setAuthorities(b.scope, { journal: 'ACTIVE' }, 'drained');
    expect(c).toEqual({
      scope: { state: 'REDUCING', by: { operator: 'REDUCING' }, reason: 'drained' },
      changed: { from: 'HALTED', to: 'REDUCING' },
    });
    expect(describeScope('broker paper', c.scope)).toBe(
      'REDUCING for broker paper (operator: drained)',
    );
  });
});
