import { describe, expect, it } from 'vitest';
import {
  candlesCsv,
  chunkRange,
  kiteQueryTime,
  RateLimiter,
  type HistoricalClock,
} from './historical.js';

/** A clock that moves only when slept on. */
function manualClock(start = 0): HistoricalClock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

describe('Kite historical', () => {
  it('splits a range into chunks of the day limit, both ends included', () => {
    const day = 86_400_000;
    const chunks = chunkRange(0, 150 * day, 60);
    expect(chunks).toEqual([
      { from: 0, to: 60 * day - 1000 },
      { from: 60 * day, to: 120 * day - 1000 },
      { from: 120 * day, to: 150 * day },
    ]);
    expect(chunkRange(0, 10 * day, 60)).toHaveLength(1);
  });

  it('spaces calls 1000/perSecond ms apart on its clock', async () => {
    const clock = manualClock(1_000);
    const limiter = new RateLimiter(3, clock);
    const at = [await limiter.acquire(), await limiter.acquire(), await limiter.acquire()];
    expect(at[0]).toBe(1_000);
    expect(at[1]! - at[0]!).toBe(334);
    expect(at[2]! - at[1]!).toBe(334);
    clock.t += 5_000;
    expect(await limiter.acquire()).toBe(clock.t);
  });

  it("writes Kite's query times in IST and candles as Kite CSV", () => {
    expect(kiteQueryTime(Date.UTC(2026, 0, 5, 3, 45))).toBe('2026-01-05 09:15:00');
    expect(
      candlesCsv([['2017-12-15T09:15:00+0530', 1704.5, 1705, 1699.25, 1702.8, 2499]], false),
    ).toBe(
      'date,open,high,low,close,volume\n2017-12-15T09:15:00+0530,1704.5,1705,1699.25,1702.8,2499\n',
    );
    expect(candlesCsv([['2019-12-04T09:15:00+0530', 1, 2, 1, 2, 5, 13667775]], true)).toContain(
      ',5,13667775\n',
    );
  });
});
