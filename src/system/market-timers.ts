/**
 * Market timers: which timer fires fall due as time moves (session open, MIS cut-off and
 * square-off, close, IST midnight from the market hours; the PnL interval from the settings).
 * The daemon and the backtest ask before each tick batch (and the daemon every second), and each
 * fire is journaled as an input, so replay sees it at the same point and never computes its own.
 */
import {
  alwaysOpen,
  MarketCalendar,
  type DailyMarks,
  type MarketHours,
  type MarketSpec,
  type MarketTimerFired,
} from '../model/index.js';

/** The market hours a run traded by: its recorded calendar, or 24x7. */
export function marketHoursOf(market: MarketSpec): MarketHours {
  return market.hours === 'calendar' ? new MarketCalendar(market.calendar) : alwaysOpen();
}

export class MarketTimers {
  /** Fires up to here have been handed out (or were journaled before a recovery). */
  private cursor: number;

  constructor(
    private readonly hours: MarketHours,
    private readonly marks: DailyMarks,
    /** Interval of PNL_INTERVAL fires, ms; 0: none. */
    private readonly pnlIntervalMs: number,
    start: number,
  ) {
    this.cursor = start;
  }

  /** A fire journaled earlier (replay, recovery) moves the cursor past it. */
  seen(t: MarketTimerFired): void {
    if (t.at > this.cursor) this.cursor = t.at;
  }

  /**
   * The fires due in (cursor, now], in time order, and moves the cursor to `now`. Every market
   * mark is returned, even after a long stop (a missed close still expires DAY orders); of the
   * PnL interval only the latest is, since older ones would report nothing new.
   */
  due(now: number): MarketTimerFired[] {
    if (now <= this.cursor) return [];
    const from = this.cursor;
    this.cursor = now;
    const out: MarketTimerFired[] = this.hours
      .marksBetween(from, now, this.marks)
      .map((m) => ({ type: 'MarketTimerFired', kind: m.kind, at: m.at, tradingDay: m.tradingDay }));
    const every = this.pnlIntervalMs;
    if (every > 0) {
      const last = Math.floor(now / every) * every;
      if (last > from) {
        const pnl: MarketTimerFired = {
          type: 'MarketTimerFired',
          kind: 'PNL_INTERVAL',
          at: last,
          tradingDay: this.hours.tradingDay(last),
        };
        let i = out.length;
        while (i > 0 && out[i - 1]!.at > last) i--;
        out.splice(i, 0, pnl);
      }
    }
    return out;
  }
}
