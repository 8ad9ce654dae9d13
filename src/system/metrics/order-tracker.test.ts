import { describe, expect, it } from 'vitest';
import { OrderTracker } from './order-tracker.js';

describe('OrderTracker', () => {
  it('gives the submit time to the first reply only, and completes an order on its last fill', () => {
    const o = new OrderTracker();
    o.submitted('A', 10, 5);
    expect(o.replied('A')).toBe(5);
    expect(o.replied('A')).toBeUndefined();
    expect(o.filled('A', 4)).toEqual({ submittedAt: 5, complete: false });
    o.modified('A', 8);
    expect(o.filled('A', 4)).toEqual({ submittedAt: 5, complete: true });
    expect(o.size).toBe(0);
    expect(o.filled('A', 1)).toEqual({ submittedAt: undefined, complete: true });
  });

  it('keeps the time of the tick that led to an order, for each of its fills', () => {
    const o = new OrderTracker();
    o.submitted('A', 2, 7, 3);
    o.submitted('B', 1, 8);
    expect(o.filled('A', 1).originAt).toBe(3);
    expect(o.filled('A', 1).originAt).toBe(3);
    expect(o.filled('B', 1)).toStrictEqual({ submittedAt: 8, originAt: undefined, complete: true });
  });

  it('forgets closed orders, and the oldest past its capacity', () => {
    const o = new OrderTracker(2);
    o.submitted('A', 1, 1);
    o.submitted('B', 1, 2);
    o.closed('B');
    o.submitted('C', 1, 3);
    o.submitted('D', 1, 4);
    expect(o.size).toBe(2);
    expect(o.replied('A')).toBeUndefined();
    expect(o.replied('C')).toBe(3);
    expect(o.replied('D')).toBe(4);
  });
});
