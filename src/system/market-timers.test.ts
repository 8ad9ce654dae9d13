import { describe, expect, it } from 'vitest';
import { loadCalendar, loadMarketRules } from '../config/index.js';
import { alwaysOpen, MarketCalendar } from '../model/index.js';
import { MarketTimers } from './market-timers.js';

const calendar = new MarketCalendar(loadCalendar('config/calendar'));
const rules = loadMarketRules('config');
const marks = {
  misEntryCutoff: rules.misEntryCutoffMinute,
  misSquareOff: rules.misSquareOffMinute,
};
/** Epoch ms of an IST wall time. */
const ist = (s: string) => Date.parse(`${s}+05:30`);

describe('MarketTimers', () => {
  it('hands out each market mark once, in order, across a weekend', () => {
    const t = new MarketTimers(calendar, marks, 0, ist('2026-01-09T15:00:00'));
    const fired = t.due(ist('2026-01-12T09:30:00'));
    expect(fired.map((f) => [f.kind, new Date(f.at).toISOString(), f.tradingDay])).toEqual([
      ['MIS_CUTOFF', '2026-01-09T09:45:00.000Z', '2026-01-09'],
      ['MIS_SQUARE_OFF', '2026-01-09T09:50:00.000Z', '2026-01-09'],
      ['SESSION_CLOSE', '2026-01-09T10:00:00.000Z', '2026-01-09'],
      ['IST_MIDNIGHT', '2026-01-09T18:30:00.000Z', '2026-01-10'],
      ['IST_MIDNIGHT', '2026-01-10T18:30:00.000Z', '2026-01-11'],
      ['IST_MIDNIGHT', '2026-01-11T18:30:00.000Z', '2026-01-12'],
      ['SESSION_OPEN', '2026-01-12T03:45:00.000Z', '2026-01-12'],
    ]);
    // The cursor moved: asking again for the same time gives nothing.
    expect(t.due(ist('2026-01-12T09:30:00'))).toEqual([]);
  });

  it('gives only the latest PnL interval, placed in time order among the marks', () => {
    const t = new MarketTimers(calendar, marks, 60_000, ist('2026-01-09T15:29:30'));
    const fired = t.due(ist('2026-01-09T15:32:10'));
    expect(fired.map((f) => [f.kind, new Date(f.at).toISOString()])).toEqual([
      ['SESSION_CLOSE', '2026-01-09T10:00:00.000Z'],
      ['PNL_INTERVAL', '2026-01-09T10:02:00.000Z'],
    ]);
  });

  it('does not hand out again what a journaled fire already covered', () => {
    const t = new MarketTimers(alwaysOpen(), marks, 0, ist('2026-01-09T12:00:00'));
    t.seen({
      type: 'MarketTimerFired',
      kind: 'IST_MIDNIGHT',
      at: ist('2026-01-10T00:00:00'),
      tradingDay: '2026-01-10',
    });
    expect(t.due(ist('2026-01-10T00:00:00'))).toEqual([]);
    expect(t.due(ist('2026-01-11T00:00:01')).map((f) => f.tradingDay)).toEqual(['2026-01-11']);
  });
});
