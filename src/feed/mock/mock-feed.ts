/**
 * The live mock feed: on a timer, draws the ticks due since the last batch from the seeded
 * MockMarket and hands them to ingress as one delivery batch. Tick times come from the clock.
 * How many are due is paced by the clock's monotonic time since start, not by counting timer
 * fires: a timer of a few ms fires late under load, and the feed still keeps its rate (a late
 * batch carries the ticks of the time it missed, at most one second's worth).
 */
import type { MarketTick } from '../../model/index.js';
import type { Clock } from '../../runtime/index.js';
import type { MockMarket } from './mock-market.js';

export interface MockFeedOptions {
  /** Ticks per second over all instruments. */
  readonly ticksPerSecond: number;
  /** Batch interval, ms: small intervals (1-5 ms) keep a tick's wait for its batch short. */
  readonly batchMs: number;
  /** Stop after delivering this many ticks (none: run until stopped). */
  readonly maxTicks?: number;
}

export class MockFeed {
  private timer: NodeJS.Timeout | null = null;
  private due = 0;
  private delivered = 0;
  /** Monotonic time of start(), ns; null when not started by start(). */
  private startNs: bigint | null = null;
  /** Ticks due (delivered or skipped) since start(). */
  private paced = 0;
  private lastTickMs: number | null = null;

  constructor(
    private readonly market: MockMarket,
    private readonly clock: Clock,
    private readonly options: MockFeedOptions,
    private readonly deliver: (ticks: MarketTick[]) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.startNs = this.clock.monotonicNs();
    this.paced = 0;
    this.timer = setInterval(() => this.batch(), this.options.batchMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.startNs = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Ticks delivered so far. */
  get ticks(): number {
    return this.delivered;
  }

  /** Time of the last tick, epoch ms (null before the first). */
  get lastTickAt(): number | null {
    return this.lastTickMs;
  }

  /** Draws and delivers one batch (called by the timer; public for tests). */
  batch(): void {
    let n = this.dueNow();
    if (n <= 0) return;
    const max = this.options.maxTicks;
    if (max !== undefined) {
      n = Math.min(n, max - this.delivered);
      if (n <= 0) {
        this.stop();
        return;
      }
    }
    const now = this.clock.now();
    const ticks = new Array<MarketTick>(n);
    for (let i = 0; i < n; i++) ticks[i] = this.market.next(now);
    this.delivered += n;
    this.paced += n;
    this.lastTickMs = now;
    this.deliver(ticks);
  }

  /**
   * Ticks due now: since start(), the rate times the monotonic time elapsed, less those already
   * due; a gap of more than a second is not made up beyond one second's worth. Without start()
   * (a caller driving batch() itself), one interval's worth per call.
   */
  private dueNow(): number {
    const { ticksPerSecond, batchMs } = this.options;
    if (this.startNs === null) {
      this.due += (ticksPerSecond * batchMs) / 1000;
      const n = Math.floor(this.due);
      this.due -= n;
      return n;
    }
    const elapsedMs = Number(this.clock.monotonicNs() - this.startNs) / 1e6;
    const n = Math.floor((ticksPerSecond * elapsedMs) / 1000) - this.paced;
    const cap = Math.max(1, Math.ceil(ticksPerSecond));
    if (n > cap) this.paced += n - cap;
    return Math.min(n, cap);
  }
}
