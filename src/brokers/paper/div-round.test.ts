import { describe, expect, it } from 'vitest';
import { divRound } from './div-round.js';

describe('divRound', () => {
  it('rounds half away from zero on both signs', () => {
    expect(divRound(5n, 2n)).toBe(3n);
    expect(divRound(-5n, 2n)).toBe(-3n);
    expect(divRound(5n, -2n)).toBe(-3n);
    expect(divRound(7n, 3n)).toBe(2n);
    expect(divRound(-7n, 3n)).toBe(-2n);
    expect(divRound(8n, 3n)).toBe(3n);
  });

  it('refuses division by zero', () => {
    expect(() => divRound(1n, 0n)).toThrow(RangeError);
  });
});
