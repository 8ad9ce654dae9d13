import { describe, expect, it } from 'vitest';
import {
  alwaysOpen,
  CalendarError,
  MarketCalendar,
  type CalendarYear,
  type DailyMarks,
  type MarketMark,
} from './calendar.js';

/** Epoch ms of an IST wall-clock time, 'YYYY-MM-DD HH:MM[:SS]'. */
const ist = (s: string): number => Date.parse(`${s.replace(' ', 'T')}+05:30`);
const m = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

const SESSIONS = {
  preOpen: { start: m('09:00'), orderEntryEnd: m('09:08'), end: m('09:15') },
  regular: { start: m('09:15'), end: m('15:30') },
  closing: { start: m('15:40'), end: m('16:00') },
};

/** NSE 2026 as the reference gives it, with the Muhurat time assumed as in the config file. */
const NSE_2026: CalendarYear = {
  exchange: 'NSE',
  year: 2026,
  sessions: SESSIONS,
  holidays: [
    ['2026-01-15', 'Municipal Corporation Election (Maharashtra)'],
    ['2026-01-26', 'Republic Day'],
    ['2026-03-03', 'Holi'],
    ['2026-03-26', 'Shri Ram Navami'],
    ['2026-03-31', 'Shri Mahavir Jayanti'],
    ['2026-04-03', 'Good Friday'],
    ['2026-04-14', 'Dr. Baba Saheb Ambedkar Jayanti'],
    ['2026-05-01', 'Maharashtra Day'],
    ['2026-05-28', 'Bakri Id'],
    ['2026-06-26', 'Muharram'],
    ['2026-09-14', 'Ganesh Chaturthi'],
    ['2026-10-02', 'Mahatma Gandhi Jayanti'],
    ['2026-10-20', 'Dussehra'],
    ['2026-11-10', 'Diwali-Balipratipada'],
    ['2026-11-24', 'Prakash Gurpurb Sri Guru Nanak Dev'],
    ['2026-12-25', 'Christmas'],
  ].map(([date, occasion]) => ({ date: date!, occasion: occasion! })),
  specialSessions: [
    { date: '2026-11-08', name: 'Muhurat trading', start: m('18:00'), end: m('19:00') },
  ],
  source: 'test fixture',
};

const nse = new MarketCalendar([NSE_2026]);
const MARKS: DailyMarks = { misEntryCutoff: m('15:00'), misSquareOff: m('15:20') };

/** The CalendarError `new MarketCalendar(years)` throws. */
function calendarError(years: CalendarYear[]): CalendarError {
  try {
    new MarketCalendar(years);
  } catch (err) {
    expect(err).toBeInstanceOf(CalendarError);
    return err as CalendarError;
  }
  throw new Error('MarketCalendar accepted the years');
}

describe('MarketCalendar phases', () => {
  it('is CLOSED on a Sunday at the hour a weekday trades', () => {
    expect(nse.phase(ist('2026-01-04 10:00'))).toBe('CLOSED'); // Sunday
    expect(nse.isOpen(ist('2026-01-04 10:00'))).toBe(false);
    expect(nse.isTradingDay('2026-01-04')).toBe(false);
    expect(nse.phase(ist('2026-01-05 10:00'))).toBe('REGULAR'); // Monday
  });

  it('is CLOSED on Holi (Tuesday 2026-03-03) and open the day after', () => {
    expect(nse.isTradingDay('2026-03-03')).toBe(false);
    expect(nse.phase(ist('2026-03-03 10:00'))).toBe('CLOSED');
    expect(nse.isOpen(ist('2026-03-03 10:00'))).toBe(false);
    expect(nse.isTradingDay('2026-03-04')).toBe(true);
    expect(nse.isOpen(ist('2026-03-04 10:00'))).toBe(true);
  });

  it('moves through the sessions of a normal weekday at their exact edges', () => {
    const at = (time: string) => nse.phase(ist(`2026-01-06 ${time}`));
    expect(at('08:59:59')).toBe('CLOSED');
    expect(at('09:00:00')).toBe('PRE_OPEN');
    expect(at('09:14:59')).toBe('PRE_OPEN');
    expect(at('09:15:00')).toBe('REGULAR');
    expect(at('15:29:59')).toBe('REGULAR');
    expect(at('15:30:00')).toBe('CLOSED');
    expect(at('15:39:59')).toBe('CLOSED');
    expect(at('15:45:00')).toBe('CLOSING');
    expect(at('16:00:00')).toBe('CLOSED');
    expect(nse.isOpen(ist('2026-01-06 09:14:59'))).toBe(false);
    expect(nse.isOpen(ist('2026-01-06 15:29:59'))).toBe(true);
    expect(nse.isOpen(ist('2026-01-06 15:30:00'))).toBe(false);
    expect(nse.isOpen(ist('2026-01-06 15:45:00'))).toBe(false);
  });

  it('is open in the Muhurat session on Sunday 2026-11-08 and closed outside it', () => {
    expect(nse.isOpen(ist('2026-11-08 18:30'))).toBe(true);
    expect(nse.phase(ist('2026-11-08 18:30'))).toBe('REGULAR');
    expect(nse.isOpen(ist('2026-11-08 17:00'))).toBe(false);
    expect(nse.phase(ist('2026-11-08 10:00'))).toBe('CLOSED');
    expect(nse.isOpen(ist('2026-11-08 19:00'))).toBe(false);
    expect(nse.isTradingDay('2026-11-08')).toBe(true);
  });

  it('lets a special session on a weekday replace its regular session', () => {
    const cal = new MarketCalendar([
      { ...NSE_2026, specialSessions: [{ date: '2026-01-06', name: 'DR', start: 600, end: 660 }] },
    ]);
    expect(cal.phase(ist('2026-01-06 09:05'))).toBe('CLOSED');
    expect(cal.isOpen(ist('2026-01-06 09:30'))).toBe(false);
    expect(cal.isOpen(ist('2026-01-06 10:30'))).toBe(true);
    expect(cal.phase(ist('2026-01-06 15:45'))).toBe('CLOSED');
    expect(cal.isOpen(ist('2026-01-07 09:30'))).toBe(true);
  });

  it('gives the IST date of an instant as its trading day', () => {
    expect(nse.tradingDay(Date.parse('2026-01-05T20:00:00Z'))).toBe('2026-01-06');
    expect(nse.tradingDay(Date.parse('2026-01-05T18:29:59.999Z'))).toBe('2026-01-05');
    expect(nse.tradingDay(Date.parse('2026-01-05T18:30:00Z'))).toBe('2026-01-06');
  });

  it('treats a weekday of a year without a file as CLOSED and says it is not covered', () => {
    const t = ist('2027-01-05 10:00'); // a Tuesday
    expect(nse.covers(t)).toBe(false);
    expect(nse.phase(t)).toBe('CLOSED');
    expect(nse.isOpen(t)).toBe(false);
    expect(nse.isTradingDay('2027-01-05')).toBe(false);
    expect(nse.covers(ist('2026-12-31 23:59:59'))).toBe(true);
    expect(nse.covers(ist('2027-01-01 00:00'))).toBe(false); // still 2026 in UTC
  });
});

describe('MarketCalendar next open and close', () => {
  it('lands on Tuesday 09:15 from the Friday evening before a Monday holiday', () => {
    // Monday 2026-01-26 is Republic Day.
    expect(nse.nextOpen(ist('2026-01-23 18:00'))).toBe(ist('2026-01-27 09:15'));
    expect(nse.nextClose(ist('2026-01-23 18:00'))).toBe(ist('2026-01-27 15:30'));
  });

  it('counts only opens and closes strictly after t', () => {
    expect(nse.nextOpen(ist('2026-01-06 09:15'))).toBe(ist('2026-01-07 09:15'));
    expect(nse.nextOpen(ist('2026-01-06 09:14:59'))).toBe(ist('2026-01-06 09:15'));
    expect(nse.nextClose(ist('2026-01-06 10:00'))).toBe(ist('2026-01-06 15:30'));
    expect(nse.nextClose(ist('2026-01-06 15:30'))).toBe(ist('2026-01-07 15:30'));
  });

  it('finds the Muhurat session over a weekend', () => {
    expect(nse.nextOpen(ist('2026-11-06 16:00'))).toBe(ist('2026-11-08 18:00'));
    expect(nse.nextClose(ist('2026-11-08 18:30'))).toBe(ist('2026-11-08 19:00'));
    // Monday 11-09 trades; Tuesday 11-10 is Diwali-Balipratipada.
    expect(nse.nextOpen(ist('2026-11-09 09:15'))).toBe(ist('2026-11-11 09:15'));
  });

  it('crosses into the next year file, and returns null past the last one', () => {
    const nse2027: CalendarYear = { ...NSE_2026, year: 2027, holidays: [], specialSessions: [] };
    const two = new MarketCalendar([NSE_2026, nse2027]);
    expect(two.nextOpen(ist('2026-12-31 15:30'))).toBe(ist('2027-01-01 09:15'));
    expect(nse.nextOpen(ist('2026-12-31 15:30'))).toBeNull();
    expect(nse.nextClose(ist('2026-12-31 15:29'))).toBe(ist('2026-12-31 15:30'));
    expect(nse.nextClose(ist('2026-12-31 15:30'))).toBeNull();
    expect(nse.nextOpen(ist('2025-12-31 12:00'))).toBe(ist('2026-01-01 09:15'));
  });
});

describe('MarketCalendar marksBetween', () => {
  const mark = (kind: MarketMark['kind'], at: string): MarketMark => ({
    kind,
    at: ist(at),
    tradingDay: at.slice(0, 10),
  });
  const day = (date: string): MarketMark[] => [
    mark('IST_MIDNIGHT', `${date} 00:00`),
    mark('SESSION_OPEN', `${date} 09:15`),
    mark('MIS_CUTOFF', `${date} 15:00`),
    mark('MIS_SQUARE_OFF', `${date} 15:20`),
    mark('SESSION_CLOSE', `${date} 15:30`),
  ];

  it('lists exactly the fires of a week with a holiday (Holi, Tuesday 2026-03-03)', () => {
    const marks = nse.marksBetween(ist('2026-03-02 00:00'), ist('2026-03-09 00:00'), MARKS);
    expect(marks).toEqual([
      ...day('2026-03-02').slice(1), // from itself is excluded
      mark('IST_MIDNIGHT', '2026-03-03 00:00'),
      ...day('2026-03-04'),
      ...day('2026-03-05'),
      ...day('2026-03-06'),
      mark('IST_MIDNIGHT', '2026-03-07 00:00'),
      mark('IST_MIDNIGHT', '2026-03-08 00:00'),
      mark('IST_MIDNIGHT', '2026-03-09 00:00'), // to itself is included
    ]);
  });

  it('takes from < at <= to inside a day', () => {
    const marks = nse.marksBetween(ist('2026-03-04 09:15'), ist('2026-03-04 15:20'), MARKS);
    expect(marks.map((x) => x.kind)).toEqual(['MIS_CUTOFF', 'MIS_SQUARE_OFF']);
    expect(nse.marksBetween(ist('2026-03-04 10:00'), ist('2026-03-04 10:00'), MARKS)).toEqual([]);
  });

  it('gives a special session its open and close but no MIS marks, even inside it', () => {
    const inside = { misEntryCutoff: m('18:15'), misSquareOff: m('18:45') };
    const marks = nse.marksBetween(ist('2026-11-08 00:00'), ist('2026-11-08 23:59'), inside);
    expect(marks).toEqual([
      mark('SESSION_OPEN', '2026-11-08 18:00'),
      mark('SESSION_CLOSE', '2026-11-08 19:00'),
    ]);
  });

  it('drops MIS marks outside the regular session', () => {
    // 09:14 is before the open; 15:30 is the close itself, when the session is over.
    for (const [cutoff, squareOff] of [
      ['09:14', '15:30'],
      ['15:30', '09:14'],
    ]) {
      const marks = { misEntryCutoff: m(cutoff!), misSquareOff: m(squareOff!) };
      const fires = nse.marksBetween(ist('2026-03-04 00:00'), ist('2026-03-05 00:00'), marks);
      expect(fires.map((x) => x.kind)).toEqual(['SESSION_OPEN', 'SESSION_CLOSE', 'IST_MIDNIGHT']);
    }
  });

  it('orders fires at one instant: open before MIS marks, a close before the next open', () => {
    const atOpen = { misEntryCutoff: m('09:15'), misSquareOff: m('09:15') };
    const opening = nse.marksBetween(ist('2026-03-04 00:00'), ist('2026-03-04 09:15'), atOpen);
    expect(opening.map((x) => x.kind)).toEqual(['SESSION_OPEN', 'MIS_CUTOFF', 'MIS_SQUARE_OFF']);
    const adjacent = [
      { date: '2026-11-08', name: 'second', start: m('19:00'), end: m('19:30') },
      { date: '2026-11-08', name: 'first', start: m('18:00'), end: m('19:00') },
    ];
    const cal = new MarketCalendar([{ ...NSE_2026, specialSessions: adjacent }]);
    const marks = cal.marksBetween(ist('2026-11-08 00:00'), ist('2026-11-08 23:59'), MARKS);
    expect(marks.map((x) => [x.kind, x.at])).toEqual([
      ['SESSION_OPEN', ist('2026-11-08 18:00')],
      ['SESSION_CLOSE', ist('2026-11-08 19:00')],
      ['SESSION_OPEN', ist('2026-11-08 19:00')],
      ['SESSION_CLOSE', ist('2026-11-08 19:30')],
    ]);
    expect(cal.isOpen(ist('2026-11-08 19:00'))).toBe(true);
  });

  it('gives the same list however the range is split', () => {
    const a = ist('2026-03-01 12:00');
    const b = ist('2026-03-05 15:20');
    const c = ist('2026-03-12 12:00');
    const whole = nse.marksBetween(a, c, MARKS);
    expect([...nse.marksBetween(a, b, MARKS), ...nse.marksBetween(b, c, MARKS)]).toEqual(whole);
    expect(whole.map((x) => x.at)).toEqual([...whole.map((x) => x.at)].sort((x, y) => x - y));
  });

  it('refuses marks that are not minutes of a day', () => {
    const bad = { misEntryCutoff: 15.5, misSquareOff: m('15:20') };
    expect(() => nse.marksBetween(0, 1, bad)).toThrow(/misEntryCutoff/);
  });
});

describe('MarketCalendar validation', () => {
  it('refuses two calendars for one exchange-year', () => {
    const err = calendarError([NSE_2026, { ...NSE_2026, source: 'again' }]);
    expect(err.message).toMatch(/NSE-2026.*two calendars/);
  });

  it('keeps BSE and NSE of one year apart', () => {
    const both = new MarketCalendar([NSE_2026, { ...NSE_2026, exchange: 'BSE', holidays: [] }]);
    expect(both.isTradingDay('2026-03-03')).toBe(false);
    const bse = new MarketCalendar(
      [NSE_2026, { ...NSE_2026, exchange: 'BSE', holidays: [] }],
      'BSE',
    );
    expect(bse.isTradingDay('2026-03-03')).toBe(true);
    expect(() => new MarketCalendar([NSE_2026], 'BSE')).toThrow(/no calendar year for BSE/);
  });

  it('names the year and field of an invalid or misplaced date', () => {
    const holiday = (date: string) =>
      calendarError([{ ...NSE_2026, holidays: [{ date, occasion: 'x' }] }]).message;
    expect(holiday('2026-02-30')).toMatch(/NSE-2026: holidays\[0\]\.date: "2026-02-30" is not a/);
    expect(holiday('2026-2-3')).toMatch(/holidays\[0\]\.date/);
    expect(holiday('2027-01-01')).toMatch(/holidays\[0\]\.date: 2027-01-01 is not in 2026/);
    const twice = [NSE_2026.holidays[0]!, NSE_2026.holidays[0]!];
    expect(calendarError([{ ...NSE_2026, holidays: twice }]).message).toMatch(/holidays\[1\]/);
  });

  it('requires a source, an occasion for each holiday and a name for each special session', () => {
    expect(calendarError([{ ...NSE_2026, source: ' ' }]).message).toMatch(/NSE-2026: source: /);
    const holidays = [{ date: '2026-03-03', occasion: '' }];
    expect(calendarError([{ ...NSE_2026, holidays }]).message).toMatch(/holidays\[0\]\.occasion/);
    const specialSessions = [{ date: '2026-11-08', name: '', start: 1080, end: 1140 }];
    const named = calendarError([{ ...NSE_2026, specialSessions }]).message;
    expect(named).toMatch(/specialSessions\[0\]\.name/);
  });

  it('accepts a holiday on a weekend', () => {
    const weekend = [{ date: '2026-08-15', occasion: 'Independence Day' }]; // a Saturday
    expect(new MarketCalendar([{ ...NSE_2026, holidays: weekend }]).years).toEqual([2026]);
  });

  it('names overlapping and inverted session times', () => {
    const sessions = (s: Partial<typeof SESSIONS>) =>
      calendarError([{ ...NSE_2026, sessions: { ...SESSIONS, ...s } }]).message;
    expect(sessions({ regular: { start: m('09:10'), end: m('15:30') } })).toMatch(
      /sessions\.regular\.start: 09:10 must be at or after sessions\.preOpen\.end \(09:15\)/,
    );
    expect(sessions({ closing: { start: m('16:00'), end: m('15:40') } })).toMatch(
      /sessions\.closing\.end: 15:40 must be after sessions\.closing\.start \(16:00\)/,
    );
    expect(sessions({ regular: { start: m('09:15'), end: 1500 } })).toMatch(
      /sessions\.regular\.end: must be whole minutes/,
    );
    const special = (start: number, end: number) => ({ date: '2026-11-08', name: 'M', start, end });
    const specials = (...s: ReturnType<typeof special>[]) =>
      calendarError([{ ...NSE_2026, specialSessions: s }]).message;
    expect(specials(special(1140, 1080))).toMatch(/specialSessions\[0\]\.end: 18:00 must be after/);
    expect(specials(special(1080, 1140), special(1100, 1200))).toMatch(
      /specialSessions\[1\]: 2026-11-08 18:20-20:00 overlaps specialSessions\[0\]/,
    );
  });
});

describe('alwaysOpen', () => {
  const always = alwaysOpen();

  it('is REGULAR at any hour of any day, with the IST date as its trading day', () => {
    expect(always.mode).toBe('always');
    expect(always.phase(ist('2026-03-03 03:00'))).toBe('REGULAR');
    expect(always.isOpen(ist('2026-01-04 23:00'))).toBe(true);
    expect(always.tradingDay(Date.parse('2026-01-05T20:00:00Z'))).toBe('2026-01-06');
    expect(nse.mode).toBe('calendar');
  });

  it('marks only IST midnights', () => {
    expect(always.marksBetween(ist('2026-03-02 00:00'), ist('2026-03-04 10:00'), MARKS)).toEqual([
      { kind: 'IST_MIDNIGHT', at: ist('2026-03-03 00:00'), tradingDay: '2026-03-03' },
      { kind: 'IST_MIDNIGHT', at: ist('2026-03-04 00:00'), tradingDay: '2026-03-04' },
    ]);
  });
});
