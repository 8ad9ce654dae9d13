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
