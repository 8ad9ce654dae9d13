import { describe, expect, it } from 'vitest';
import { checksum } from './checksum.js';

describe('checksum', () => {
  it('is CRC-32C: the check value of "123456789" is 0xE3069283', () => {
    expect(checksum(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('of several parts equals that of their concatenation, and sees one changed bit', () => {
    const a = Buffer.from('journal');
    const b = new Uint8Array([1, 2, 3, 4]);
    const whole = checksum(Buffer.concat([a, b]));
    expect(checksum(a, b)).toBe(whole);
    const flipped = Buffer.concat([a, b]);
    flipped[3]! ^= 0x10;
    expect(checksum(flipped)).not.toBe(whole);
  });
});
