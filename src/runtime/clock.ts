/** Clocks: the only module that reads the wall clock (ARCHITECTURE invariant 1). */

export interface Clock {
  /** Current time, epoch ms. */
  now(): number;
  /** Monotonic time in ns for latency measurement only; never part of journaled data. */
  monotonicNs(): bigint;
}

/** Reads the host's wall clock. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
  monotonicNs(): bigint {
    return process.hrtime.bigint();
  }
}

/**
 * A clock that moves only when told: tests, backtests and replay. In replay it follows record
 * time (`set`), so actors see the time the journal saw.
 */
export class SimulatedClock implements Clock {
  private t: number;
  private mono = 0n;
  constructor(startMs: number) {
    this.t = startMs;
  }
  now(): number {
    return this.t;
  }
  monotonicNs(): bigint {
    return this.mono;
  }
  /** Moves time forward by `ms` (never back). */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`a simulated clock cannot go back (advance ${ms} ms)`);
    this.t += ms;
    this.mono += BigInt(Math.round(ms * 1e6));
  }
  /** Sets time to `ms` when it is later than now. */
  set(ms: number): void {
    if (ms > this.t) this.advance(ms - this.t);
  }
}

/** Real monotonic time for benchmarks, independent of any simulated clock. */
export function hrtimeNs(): bigint {
  return process.hrtime.bigint();
}

/**
 * Recovery's clock: follows record time while the journal is replayed (`set`), then, after
 * `goLive()`, the host's wall clock, never going back. The same actors run across both.
 */
export class RecoveryClock implements Clock {
  private t: number;
  private live = false;
  /** `wall`: the clock it follows once live (the host's; simulated in tests). */
  constructor(
    startMs: number,
    private readonly wall: Clock = new SystemClock(),
  ) {
    this.t = startMs;
  }
  now(): number {
    if (this.live) this.t = Math.max(this.t, this.wall.now());
    return this.t;
  }
  monotonicNs(): bigint {
    return this.wall.monotonicNs();
  }
  /** Sets time to `ms` when it is later than now (replay). */
  set(ms: number): void {
    if (!this.live && ms > this.t) this.t = ms;
  }
  goLive(): void {
    this.live = true;
  }
}

/**
 * The journal time of the input being handled: the switchboard sets it as each input (or tick
 * batch) is journaled, and replay reproduces it exactly, so actors and simulated brokers can
 * take time-based decisions deterministically. Created before the parts that read it, so a
 * broker adapter built ahead of its system can be given it.
 */
export class InputClock implements Clock {
  private t = 0;
  constructor(private readonly monotonic: () => bigint = hrtimeNs) {}
  now(): number {
    return this.t;
  }
  set(ms: number): void {
    this.t = ms;
  }
  monotonicNs(): bigint {
    return this.monotonic();
  }
}
