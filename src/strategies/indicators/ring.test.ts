import { describe, expect, it } from 'vitest';
import {
  ring,
  ringAt,
  ringClone,
  ringFull,
  ringLast,
  ringLength,
  ringPush,
  ringValues,
  type Ring,
} from './index.js';

describe('ring', () => {
  it('keeps the newest `capacity` values, oldest first', () => {
    const r = ring(3);
    ringPush(r, 1);
    ringPush(r, 2);
    expect(ringLength(r)).toBe(2);
    expect(ringFull(r)).toBe(false);
    expect(ringValues(r)).toEqual([1, 2]);
    expect(ringAt(r, 0)).toBe(1);
    expect(ringLast(r)).toBe(2);
    ringPush(r, 3);
    ringPush(r, 4);
    expect(ringFull(r)).toBe(true);
    expect(ringValues(r)).toEqual([2, 3, 4]);
    expect(ringAt(r, 0)).toBe(2);
    expect(ringAt(r, 2)).toBe(4);
    expect(ringAt(r, 3)).toBeUndefined();
    expect(ringAt(r, -1)).toBeUndefined();
    expect(ringLast(r, 1)).toBe(3);
    expect(ringLast(r, 2)).toBe(2);
    expect(ringLast(r, 3)).toBeUndefined();
  });

  it('survives JSON and carries on where it was', () => {
    const r = ring(3);
    for (const v of [1, 2, 3, 4]) ringPush(r, v);
    const back = JSON.parse(JSON.stringify(r)) as Ring;
    ringPush(back, 5);
    expect(ringValues(back)).toEqual([3, 4, 5]);
  });

  it('clones without sharing', () => {
    const r = ring(2);
    ringPush(r, 1);
    const c = ringClone(r);
    ringPush(c, 2);
    expect(ringValues(r)).toEqual([1]);
    expect(ringValues(c)).toEqual([1, 2]);
  });

  it('holds objects too, and refuses a capacity below 1', () => {
    const r = ring<{ close: number }>(1);
    ringPush(r, { close: 1 });
    ringPush(r, { close: 2 });
    expect(ringValues(r)).toEqual([{ close: 2 }]);
    expect(() => ring(0)).toThrow(/ring capacity must be an integer >= 1, got 0/);
  });
});
