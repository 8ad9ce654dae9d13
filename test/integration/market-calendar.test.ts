/** The calendar at work: with MARKET_HOURS=calendar no order is placed outside NSE's sessions. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadStrategies } from '../../src/config/index.js';
import type { JournalRecord, SignalRejected } from '../../src/model/index.js';
import { ist, marketRun, type MarketRun } from '../helpers/market-run.js';
import { tempDir } from '../helpers/system.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** IST date and minute of day of a record. */
function istOf(r: JournalRecord): { day: string; minute: number; weekday: number } {
  const d = new Date(r.ts + 5.5 * 3_600_000);
  return {
    day: d.toISOString().slice(0, 10),
    minute: d.getUTCHours() * 60 + d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

describe('MARKET_HOURS=calendar', () => {
  it('places no order on a weekend, on Holi (2026-03-03) or outside 09:15-15:30, and trades on the days around them', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    // Friday 2026-02-27 09:00 IST to Wednesday 2026-03-04 about 14:00 IST: a weekend, a normal
    // Monday, Holi on Tuesday. One tick every 5 s over the 20 instruments.
    const run: MarketRun = await marketRun({
      dir: dir.path,
      env: { MARKET_HOURS: 'calendar', RISK__MAX_DAILY_TRADES: '100000' },
      strategies: loadStrategies('config'),
      startMs: ist('2026-02-27T09:00:00'),
      ticks: 88_000,
      tickMs: 5_000,
      batch: 50,
    });
    cleanups.push(() => run.close());
    const records = await run.records();
    const orders = records.filter((r) => r.type === 'SubmitOrder');
    const days = new Set(orders.map((r) => istOf(r).day));
    expect([...days].sort()).toEqual(['2026-02-27', '2026-03-02', '2026-03-04']);
    for (const r of orders) {
      const { minute } = istOf(r);
      expect(minute).toBeGreaterThanOrEqual(9 * 60 + 15);
      expect(minute).toBeLessThan(15 * 60 + 30);
    }
    // The signals of the closed days were refused as such, not lost.
    const closed = records.filter(
      (r) => r.type === 'SignalRejected' && (r.data as SignalRejected).code === 'MARKET_CLOSED',
    );
    expect(new Set(closed.map((r) => istOf(r).day))).toContain('2026-03-03');
    expect(closed.some((r) => [0, 6].includes(istOf(r).weekday))).toBe(true);
    // The session's timers are journaled inputs: one close per trading day, none on Holi.
    const closes = records
      .filter(
        (r) =>
          r.type === 'MarketTimerFired' && (r.data as { kind: string }).kind === 'SESSION_CLOSE',
      )
      .map((r) => (r.data as { tradingDay: string }).tradingDay);
    expect(closes).toEqual(['2026-02-27', '2026-03-02']);
  });
});
