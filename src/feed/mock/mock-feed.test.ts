/** Tests for MockFeed's pacing: ticks due by the clock's monotonic time, not by timer fires. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configFile } from '../../../test/helpers/fixtures.js';
import { parseInstrumentsCsv, type MarketTick } from '../../model/index.js';
import { SeededRandom, type Clock } from '../../runtime/index.js';
import { MockFeed, type MockFeedOptions } from './mock-feed.js';
import { MockMarket } from './mock-market.js';

const INSTRUMENTS = parseInstrumentsCsv(configFile('instruments.csv'), 'config/instruments.csv');

/** A clock whose wall and monotonic time the test sets. */
class TestClock implements Clock {
  ms = 1_750_000_000_000;
  mono = 5_000_000_000n;
  now(): number {
    return this.ms;
  }
  monotonicNs(): bigint {
    return this.mono;
  }
  /** Moves both times on by `ms`. */
  advance(ms: number): void {
    this.ms += ms;
    this.mono += BigInt(Math.round(ms * 1e6));
  }
}

let clock: TestClock;
let batches: number[];
function feed(options: MockFeedOptions): MockFeed {
  const market = new MockMarket(INSTRUMENTS, new SeededRandom(7));
  return new MockFeed(market, clock, options, (ticks: MarketTick[]) => batches.push(ticks.length));
}

beforeEach(() => {
  vi.useFakeTimers();
  clock = new TestClock();
  batches = [];
});
afterEach(() => vi.useRealTimers());

describe('MockFeed pacing', () => {
  it('delivers the ticks due by the time elapsed, however late its timer fires', () => {
    const f = feed({ ticksPerSecond: 10_000, batchMs: 2 });
    f.start();
    clock.advance(2);
    vi.advanceTimersByTime(2);
    // The next fire comes 5 ms of clock time later (a busy event loop): it carries 5 ms of ticks.
    clock.advance(5);
    vi.advanceTimersByTime(2);
    clock.advance(0.05);
    vi.advanceTimersByTime(2); // less than one tick due: no batch
    clock.advance(2.95);
    vi.advanceTimersByTime(2);
    f.stop();
    expect(batches).toEqual([20, 50, 30]);
    expect(f.ticks).toBe(100);
  });

  it('makes up at most one second of a stall, then keeps the rate', () => {
    const f = feed({ ticksPerSecond: 1_000, batchMs: 10 });
    f.start();
    clock.advance(3_000);
    vi.advanceTimersByTime(10);
    clock.advance(10);
    vi.advanceTimersByTime(10);
    f.stop();
    expect(batches).toEqual([1_000, 10]);
  });

  it('stops at maxTicks, and steps one interval per call when driven without start()', () => {
    const f = feed({ ticksPerSecond: 1_000, batchMs: 10, maxTicks: 25 });
    f.batch();
    f.batch();
    f.batch();
    expect(batches).toEqual([10, 10, 5]);
    const g = feed({ ticksPerSecond: 150, batchMs: 10 });
    batches = [];
    for (let i = 0; i < 4; i++) g.batch();
    expect(batches).toEqual([1, 2, 1, 2]);
  });
});
