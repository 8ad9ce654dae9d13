import { describe, expect, it } from 'vitest';
import type { MarketTick } from '../model/index.js';
import { TickFanout } from './tick-fanout.js';

const tick = (token: number): MarketTick => ({ token }) as MarketTick;

describe('TickFanout', () => {
  it('gives each subscriber its instruments’ ticks with their seqs, in subscription order', () => {
    const f = new TickFanout();
    f.subscribe('a', [1]);
    f.subscribe('all', null);
    f.subscribe('b', [2, 3]);
    const out = f.split([tick(1), tick(2), tick(4), tick(3), tick(1)], 10);
    expect(out.map((o) => [o.to, o.event.ticks.map((t) => t.token), o.event.seqs])).toEqual([
      ['a', [1, 1], [10, 14]],
      ['all', [1, 2, 4, 3, 1], [10, 11, 12, 13, 14]],
      ['b', [2, 3], [11, 13]],
    ]);
  });

  it('skips a subscriber that does not want this batch, asking once per batch', () => {
    const f = new TickFanout();
    let wants = false;
    let asked = 0;
    f.subscribe('p', [1], () => {
      asked++;
      return wants;
    });
    expect(f.split([tick(1), tick(1)], 1)).toEqual([]);
    wants = true;
    expect(f.split([tick(1), tick(1)], 3).map((o) => o.event.seqs)).toEqual([[3, 4]]);
    expect(asked).toBe(2);
  });

  it('replaces a subscription, and sees instruments subscribed after a first split', () => {
    const f = new TickFanout();
    f.subscribe('a', [1]);
    expect(f.split([tick(2)], 1)).toEqual([]);
    f.subscribe('a', [2]);
    expect(f.split([tick(1), tick(2)], 2).map((o) => [o.to, o.event.seqs])).toEqual([['a', [3]]]);
  });
});
