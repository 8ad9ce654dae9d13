import { describe, expect, it } from 'vitest';
import { CAUSE_SIGNAL, CAUSE_VALIDATED, CauseTimes } from './cause-times.js';

describe('CauseTimes', () => {
  it('finds the batch of a tick seq, newest first, and forgets batches past its bound', () => {
    const c = new CauseTimes(16, 3);
    c.ticks(1, 10, 100); // 1..10
    c.ticks(12, 5, 200); // 12..16 (11 is another record)
    expect(c.tickAt(1)).toBe(100);
    expect(c.tickAt(10)).toBe(100);
    expect(c.tickAt(11)).toBeUndefined();
    expect(c.tickAt(16)).toBe(200);
    expect(c.tickAt(17)).toBeUndefined();
    c.ticks(17, 1, 300);
    c.ticks(18, 1, 400);
    expect(c.tickAt(1)).toBeUndefined();
    expect(c.tickAt(12)).toBe(200);
    expect(c.tickAt(18)).toBe(400);
  });

  it('remembers records by seq and kind until a later seq takes their slot', () => {
    const c = new CauseTimes(16);
    c.note(5, CAUSE_SIGNAL, 1.5, 1.25);
    expect(c.at(5, CAUSE_SIGNAL)).toBe(1.5);
    expect(c.originOf(5, CAUSE_SIGNAL)).toBe(1.25);
    expect(c.originOf(5, CAUSE_VALIDATED)).toBeUndefined();
    expect(c.at(5, CAUSE_VALIDATED)).toBeUndefined();
    expect(c.at(21, CAUSE_SIGNAL)).toBeUndefined();
    c.note(21, CAUSE_VALIDATED, 2, undefined);
    expect(c.at(5, CAUSE_SIGNAL)).toBeUndefined();
    expect(c.originOf(5, CAUSE_SIGNAL)).toBeUndefined();
    expect(c.at(21, CAUSE_VALIDATED)).toBe(2);
    // A chain no tick started has no origin.
    expect(c.originOf(21, CAUSE_VALIDATED)).toBeUndefined();
    expect(() => new CauseTimes(100)).toThrow(/power of two, received 100/);
  });
});
