import { describe, expect, it } from 'vitest';
import { derivedBelow, derivedU32 } from './derived-random.js';

describe('derived randomness', () => {
  it('is a pure function of seed and key', () => {
    expect(derivedU32(1, 'P0000001000000001')).toBe(derivedU32(1, 'P0000001000000001'));
    expect(derivedU32(1, 'a')).not.toBe(derivedU32(2, 'a'));
    expect(derivedU32(1, 'a')).not.toBe(derivedU32(1, 'b'));
    expect(derivedU32(2 ** 40, 'a')).not.toBe(derivedU32(0, 'a'));
    expect(derivedU32(-1, 'a')).toBeGreaterThanOrEqual(0);
  });

  it('spreads draws over [0, n)', () => {
    const draws = Array.from({ length: 2_000 }, (_, i) => derivedBelow(7, `k${i}`, 10));
    expect(Math.min(...draws)).toBe(0);
    expect(Math.max(...draws)).toBe(9);
    for (let v = 0; v < 10; v++) {
      const count = draws.filter((d) => d === v).length;
      expect(count).toBeGreaterThan(120);
      expect(count).toBeLessThan(280);
    }
    expect(() => derivedBelow(1, 'x', 0)).toThrow(RangeError);
  });
});
