/**
 * The market calendar: when an exchange trades, from one CalendarYear per exchange and year.
 * IST is kept as a fixed UTC+05:30 offset (India has had no daylight saving since 1945), so no
 * timezone library is needed. Times of day are minutes after IST midnight; instants are epoch ms.
 */

export const CALENDAR_EXCHANGES = ['NSE', 'BSE'] as const;
export type CalendarExchange = (typeof CALENDAR_EXCHANGES)[number];

/** A window of one IST day, [start, end), in minutes after IST midnight (0 to 1440). */
export interface SessionWindow {
  readonly start: number;
  readonly end: number;
}

/** The pre-open session: orders are entered until `orderEntryEnd`, then matched until `end`. */
export interface PreOpenWindow extends SessionWindow {
  readonly orderEntryEnd: number;
}

/** The sessions of a normal trading day, in minutes after IST midnight. */
export interface ExchangeSessions {
  readonly preOpen: PreOpenWindow;
  readonly regular: SessionWindow;
  readonly closing: SessionWindow;
}

/** A day the exchange is closed; `date` is the IST date, 'YYYY-MM-DD'. */
export interface Holiday {
  readonly date: string;
  readonly occasion: string;
}

/**
 * A session on a non-trading day (Muhurat trading on a Sunday) or one replacing the day's
 * regular session: on its date only the special sessions trade, with no pre-open or closing.
 */
export interface SpecialSession extends SessionWindow {
  readonly date: string;
  readonly name: string;
}

/** One exchange's calendar for one year, as one configuration file gives it. */
export interface CalendarYear {
  readonly exchange: CalendarExchange;
  readonly year: number;
  readonly sessions: ExchangeSessions;
  readonly holidays: readonly Holiday[];
  readonly specialSessions: readonly SpecialSession[];
  /** Where the facts come from. */
  readonly source: string;
}

export type SessionPhase = 'PRE_OPEN' | 'REGULAR' | 'CLOSING' | 'CLOSED';

/** The broker's own daily marks (Zerodha's, not the exchange's), in minutes after IST midnight. */
export interface DailyMarks {
  readonly misEntryCutoff: number;
  readonly misSquareOff: number;
}

export type MarketMarkKind =
  'SESSION_OPEN' | 'MIS_CUTOFF' | 'MIS_SQUARE_OFF' | 'SESSION_CLOSE' | 'IST_MIDNIGHT';

/** One timer fire: `at` in epoch ms, `tradingDay` the IST date the mark belongs to. */
export interface MarketMark {
  readonly kind: MarketMarkKind;
  readonly at: number;
  readonly tradingDay: string;
}

export type MarketHoursMode = 'calendar' | 'always';

/** What the runtime asks about market hours; t is epoch ms. */
export interface MarketHours {
  readonly mode: MarketHoursMode;
  phase(t: number): SessionPhase;
  isOpen(t: number): boolean;
  /** The IST date of t, 'YYYY-MM-DD'. */
  tradingDay(t: number): string;
  /** The timer fires with from < at <= to, ordered by `at` (epoch ms). */
  marksBetween(from: number, to: number, marks: DailyMarks): MarketMark[];
}

/** A problem with one calendar year: the field (as the file spells it) and what to do. */
export type CalendarIssue = { readonly field: string; readonly message: string };

/** A calendar that cannot be used; the message names the exchange-year and each field. */
export class CalendarError extends Error {
  constructor(
    /** `<EXCHANGE>-<YEAR>`, as the file is named. */
    readonly label: string,
    readonly issues: readonly CalendarIssue[],
  ) {
    super(`calendar ${label}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    this.name = 'CalendarError';
  }
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** IST is UTC+05:30 all year. */
export const IST_OFFSET_MS = 330 * MINUTE_MS;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The IST day number of t: whole days since 1970-01-01 IST. */
export function istDay(t: number): number {
  if (!Number.isFinite(t)) throw new TypeError(`an instant must be epoch ms, got ${t}`);
  return Math.floor((t + IST_OFFSET_MS) / DAY_MS);
}

/** The IST date of t, 'YYYY-MM-DD': its trading day, whatever the calendar. */
export function istDate(t: number): string {
  return dateOf(istDay(t));
}

/** t as an IST date-time, `2026-01-05T09:15:00.000+05:30`. */
export function istIso(t: number): string {
  return new Date(t + IST_OFFSET_MS).toISOString().replace('Z', '+05:30');
}

/** Epoch ms of the IST midnight that starts t's IST day. */
export function istMidnight(t: number): number {
  return dayStart(istDay(t));
}

/** Minutes since IST midnight of t (0 to 1439). */
export function istMinuteOfDay(t: number): number {
  return Math.floor((t + IST_OFFSET_MS) / MINUTE_MS) % 1440;
}

/** Epoch ms of IST midnight starting IST day `day`. */
const dayStart = (day: number): number => day * DAY_MS - IST_OFFSET_MS;

/** 'YYYY-MM-DD' of IST day `day`. */
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The IST day number of a 'YYYY-MM-DD' date, or undefined when it is not a calendar date. */
function dayOfDate(date: string): number | undefined {
  const m = DATE.exec(date);
  if (m === null) return undefined;
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
  return dateOf(day) === date ? day : undefined;
}

/** Minutes after midnight as 'HH:MM', for messages. */
const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const isMinute = (m: number): boolean => Number.isInteger(m) && m >= 0 && m <= 1440;

/** The issues of one calendar year (empty when it is valid), each naming its field. */
export function calendarYearIssues(y: CalendarYear): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  const add = (field: string, message: string): void => void issues.push({ field, message });
  if (!Number.isInteger(y.year) || y.year < 1970 || y.year > 9999)
    add('year', `must be a year from 1970 to 9999, got ${y.year}`);
  if (y.source.trim() === '') add('source', 'must name where the dates and times come from');
  const { preOpen, regular, closing } = y.sessions;
  // The session times in the order they rise; `strict`: must differ from the one before.
  const chain: [string, number, boolean][] = [
    ['sessions.preOpen.start', preOpen.start, false],
    ['sessions.preOpen.orderEntryEnd', preOpen.orderEntryEnd, true],
    ['sessions.preOpen.end', preOpen.end, false],
    ['sessions.regular.start', regular.start, false],
    ['sessions.regular.end', regular.end, true],
    ['sessions.closing.start', closing.start, false],
    ['sessions.closing.end', closing.end, true],
  ];
  const bad = chain.filter(([, m]) => !isMinute(m));
  for (const [f, m] of bad) add(f, `must be whole minutes after IST midnight (0-1440), got ${m}`);
  if (bad.length === 0) {
    for (let i = 1; i < chain.length; i++) {
      const [pf, pm] = chain[i - 1]!;
      const [f, m, strict] = chain[i]!;
      const after = strict ? 'after' : 'at or after';
      if (m < pm || (strict && m === pm))
        add(f, `${hhmm(m)} must be ${after} ${pf} (${hhmm(pm)}); sessions must not overlap`);
    }
  }
  const inYear = (field: string, date: string): number | undefined => {
    const day = dayOfDate(date);
    if (day === undefined) add(field, `${JSON.stringify(date)} is not a date; write YYYY-MM-DD`);
    else if (date.startsWith(`${y.year}-`)) return day;
    else add(field, `${date} is not in ${y.year}; move it to the ${date.slice(0, 4)} file`);
    return undefined;
  };
  const holidays = new Map<number, number>();
  y.holidays.forEach((h, i) => {
    const day = inYear(`holidays[${i}].date`, h.date);
    if (h.occasion.trim() === '') add(`holidays[${i}].occasion`, 'must say what the holiday is');
    if (day === undefined) return;
    const first = holidays.get(day);
    if (first !== undefined)
      add(`holidays[${i}].date`, `${h.date} is listed already as holidays[${first}]; keep one`);
    else holidays.set(day, i);
  });
  const specials: { i: number; day: number; start: number; end: number }[] = [];
  y.specialSessions.forEach((s, i) => {
    const f = `specialSessions[${i}]`;
    const day = inYear(`${f}.date`, s.date);
    if (s.name.trim() === '') add(`${f}.name`, 'must say what the session is');
    if (!isMinute(s.start) || !isMinute(s.end)) {
      add(`${f}.${isMinute(s.start) ? 'end' : 'start'}`, 'must be whole minutes (0-1440)');
    } else if (s.end <= s.start) {
      add(`${f}.end`, `${hhmm(s.end)} must be after ${f}.start (${hhmm(s.start)})`);
    } else if (day !== undefined) {
      const clash = specials.find((o) => o.day === day && o.start < s.end && s.start < o.end);
      if (clash !== undefined)
        add(f, `${s.date} ${hhmm(s.start)}-${hhmm(s.end)} overlaps specialSessions[${clash.i}]`);
      specials.push({ i, day, start: s.start, end: s.end });
    }
  });
  return issues;
}

/** Everything asked of one IST day; its windows are in epoch ms here, not minutes. */
interface DayPlan {
  readonly day: number;
  readonly date: string;
  readonly phases: readonly (SessionWindow & { readonly phase: SessionPhase })[];
  /** The sessions that trade: the regular one, or the day's special sessions. */
  readonly sessions: readonly SessionWindow[];
  /** Whether the sessions are special ones, which have no MIS marks. */
  readonly special: boolean;
}

/** One covered year, indexed by IST day number. */
interface YearIndex {
  readonly sessions: ExchangeSessions;
  readonly holidays: ReadonlySet<number>;
  readonly special: ReadonlyMap<number, readonly SpecialSession[]>;
}

function checkMarks(marks: DailyMarks): void {
  for (const [k, m] of Object.entries(marks))
    if (!isMinute(m as number))
      throw new RangeError(`${k} must be whole minutes after IST midnight (0-1440), got ${m}`);
}

/** IST midnights with from < at <= to. */
function midnights(from: number, to: number): MarketMark[] {
  const out: MarketMark[] = [];
  for (let day = istDay(from) + 1; dayStart(day) <= to; day++)
    out.push({ kind: 'IST_MIDNIGHT', at: dayStart(day), tradingDay: dateOf(day) });
  return out;
}

/**
 * One exchange's market hours from its calendar years. A day of a year without a file is
 * CLOSED (conservative); `covers` tells the caller so it can warn. Plans are cached per IST day.
 */
export class MarketCalendar implements MarketHours {
  readonly mode = 'calendar' as const;
  /** The years this calendar has a file for, ascending. */
  readonly years: readonly number[];
  private readonly byYear = new Map<number, YearIndex>();
  private readonly firstDay: number;
  private readonly lastDay: number;
  private readonly cache = new Map<number, DayPlan>();
  private last: DayPlan | undefined;

  /** Throws CalendarError for an invalid or repeated exchange-year, or none for `exchange`. */
  constructor(
    years: readonly CalendarYear[],
    readonly exchange: CalendarExchange = 'NSE',
  ) {
    const fail = (label: string, message: string) =>
      new CalendarError(label, [{ field: 'year', message }]);
    const seen = new Set<string>();
    for (const y of years) {
      const label = `${y.exchange}-${y.year}`;
      const issues = calendarYearIssues(y);
      if (issues.length > 0) throw new CalendarError(label, issues);
      if (seen.has(label))
        throw fail(label, `two calendars for ${label}; keep one per exchange-year`);
      seen.add(label);
      if (y.exchange !== exchange) continue;
      const special = new Map<number, SpecialSession[]>();
      for (const s of [...y.specialSessions].sort((a, b) => a.start - b.start)) {
        const day = dayOfDate(s.date)!;
        special.set(day, [...(special.get(day) ?? []), s]);
      }
      const holidays = new Set(y.holidays.map((h) => dayOfDate(h.date)!));
      this.byYear.set(y.year, { sessions: y.sessions, holidays, special });
    }
    this.years = [...this.byYear.keys()].sort((a, b) => a - b);
    if (this.years.length === 0)
      throw fail(`${exchange}-?`, `no calendar year for ${exchange}; add ${exchange}-<YEAR>`);
    this.firstDay = dayOfDate(`${this.years[0]}-01-01`)!;
    this.lastDay = dayOfDate(`${this.years[this.years.length - 1]}-12-31`)!;
  }

  phase(t: number): SessionPhase {
    for (const p of this.plan(istDay(t)).phases) if (t >= p.start && t < p.end) return p.phase;
    return 'CLOSED';
  }

  /** True in the regular session and in special sessions. */
  isOpen(t: number): boolean {
    return this.phase(t) === 'REGULAR';
  }

  tradingDay(t: number): string {
    return this.plan(istDay(t)).date;
  }

  /** Whether the IST date 'YYYY-MM-DD' has a regular or special session; throws on a bad date. */
  isTradingDay(date: string): boolean {
    const day = dayOfDate(date);
    if (day === undefined) throw new TypeError(`${JSON.stringify(date)} is not a YYYY-MM-DD date`);
    return this.plan(day).sessions.length > 0;
  }

  /** Epoch ms of the next (regular or special) session open after t; null past the last year. */
  nextOpen(t: number): number | null {
    return this.nextEdge(t, 'start');
  }

  /** Epoch ms of the next session close after t; null past the last year. */
  nextClose(t: number): number | null {
    return this.nextEdge(t, 'end');
  }

  /** Whether this calendar has a file for t's IST year. */
  covers(t: number): boolean {
    return this.byYear.has(Number(this.tradingDay(t).slice(0, 4)));
  }

  /**
   * Session opens and closes, MIS marks on days with a regular session (only those inside it,
   * [start, end)) and every IST midnight, with from < at <= to, ordered by `at`.
   */
  marksBetween(from: number, to: number, marks: DailyMarks): MarketMark[] {
    checkMarks(marks);
    const out: MarketMark[] = [];
    for (let day = istDay(from); day <= istDay(to); day++) {
      const p = this.plan(day);
      const mark = (kind: MarketMarkKind, at: number) => ({ kind, at, tradingDay: p.date });
      const today = [mark('IST_MIDNIGHT', dayStart(day))];
      for (const s of p.sessions)
        today.push(mark('SESSION_OPEN', s.start), mark('SESSION_CLOSE', s.end));
      const r = p.special ? undefined : p.sessions[0];
      const cutoff = dayStart(day) + marks.misEntryCutoff * MINUTE_MS;
      const squareOff = dayStart(day) + marks.misSquareOff * MINUTE_MS;
      if (r && cutoff >= r.start && cutoff < r.end) today.push(mark('MIS_CUTOFF', cutoff));
      if (r && squareOff >= r.start && squareOff < r.end)
        today.push(mark('MIS_SQUARE_OFF', squareOff));
      // A stable sort keeps the order above at one instant: a close before the next open.
      today.sort((a, b) => a.at - b.at);
      for (const m of today) if (m.at > from && m.at <= to) out.push(m);
    }
    return out;
  }

  private nextEdge(t: number, edge: 'start' | 'end'): number | null {
    for (let day = Math.max(istDay(t), this.firstDay); day <= this.lastDay; day++)
      for (const s of this.plan(day).sessions) if (s[edge] > t) return s[edge];
    return null;
  }

  private plan(day: number): DayPlan {
    if (this.last?.day === day) return this.last;
    let p = this.cache.get(day);
    if (p === undefined) {
      p = this.build(day);
      // Only covered days are cached, so the cache is bounded by the years held.
      if (day >= this.firstDay && day <= this.lastDay) this.cache.set(day, p);
    }
    this.last = p;
    return p;
  }

  private build(day: number): DayPlan {
    const date = dateOf(day);
    const closed: DayPlan = { day, date, phases: [], sessions: [], special: false };
    const y = this.byYear.get(Number(date.slice(0, 4)));
    if (y === undefined) return closed;
    const at = (m: number): number => dayStart(day) + m * MINUTE_MS;
    const span = (w: SessionWindow): SessionWindow => ({ start: at(w.start), end: at(w.end) });
    const special = y.special.get(day);
    if (special !== undefined) {
      const sessions = special.map(span);
      const phases = sessions.map((s) => ({ ...s, phase: 'REGULAR' as const }));
      return { day, date, phases, sessions, special: true };
    }
    const wd = (((day + 4) % 7) + 7) % 7; // 0 = Sunday: 1970-01-01 was a Thursday
    if (wd === 0 || wd === 6 || y.holidays.has(day)) return closed;
    const regular = span(y.sessions.regular);
    const phases = [
      { ...span(y.sessions.preOpen), phase: 'PRE_OPEN' as const },
      { ...regular, phase: 'REGULAR' as const },
      { ...span(y.sessions.closing), phase: 'CLOSING' as const },
    ];
    return { day, date, phases, sessions: [regular], special: false };
  }
}

/** Market hours that never close: always REGULAR; the only marks are IST midnights. */
export function alwaysOpen(): MarketHours {
  return {
    mode: 'always',
    phase: () => 'REGULAR',
    isOpen: () => true,
    tradingDay: istDate,
    marksBetween: (from, to, marks) => {
      checkMarks(marks);
      return midnights(from, to);
    },
  };
}
