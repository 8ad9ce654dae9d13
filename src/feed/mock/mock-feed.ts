/**
 * The live mock feed: on a timer, draws the ticks due since the last batch from the seeded
 * MockMarket and hands them to ingress as one delivery batch. Tick times come from the clock.
 */
import type { MarketTick } from '../../model/index.js';
import type { Clock } from '../../runtime/index.js';
import type { MockMarket } from './mock-market.js';

export interface MockFeedOptions {
  /** Ticks per second over all instruments. */
  readonly ticksPerSecond: number;
  /** Batch interval, ms. */
  readonly batchMs: number;
  /** Stop after delivering this many ticks (none: run until stopped). */
  readonly maxTicks?: number;
}

export class MockFeed {
  private timer: NodeJS.Timeout | null = null;
  private due = 0;
  private delivered = 0;
  private lastTickMs: number | null = null;

  constructor(
    private readonly market: MockMarket,
    private readonly clock: Clock,
    private readonly options: MockFeedOptions,
    private readonly deliver: (ticks: MarketTick[]) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.batch(), this.options.batchMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
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
    this.due += (this.options.ticksPerSecond * this.options.batchMs) / 1000;
    let n = Math.floor(this.due);
    if (n === 0) return;
    this.due -= n;
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
    this.lastTickMs = now;
    this.deliver(ticks);
  }
}
