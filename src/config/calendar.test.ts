import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFile } from '../../test/helpers/fixtures.js';
import { MarketCalendar } from '../model/index.js';
import { ConfigError } from '../runtime/index.js';
import { loadCalendar, parseCalendarFiles, parseCalendarYaml } from './calendar.js';

const NSE_2026 = configFile('calendar/NSE-2026.yaml');
const PATH = 'config/calendar/NSE-2026.yaml';

/** `text` with `from` replaced by `to`; fails when `from` is not in it, so edits cannot miss. */
function edit(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

/** The ConfigError message `f` throws. */
function configError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('the calendar was accepted');
}

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh folder holding `files` (name to text), removed after the tests. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const ist = (s: string): number => Date.parse(`${s.replace(' ', 'T')}+05:30`);

describe('config/calendar/NSE-2026.yaml', () => {
  const year = parseCalendarYaml(NSE_2026, PATH);

  it('gives the NSE sessions as minutes after IST midnight', () => {
    expect(year.exchange).toBe('NSE');
    expect(year.year).toBe(2026);
    expect(year.sessions).toEqual({
      preOpen: { start: 9 * 60, orderEntryEnd: 9 * 60 + 8, end: 9 * 60 + 15 },
      regular: { start: 9 * 60 + 15, end: 15 * 60 + 30 },
      closing: { start: 15 * 60 + 40, end: 16 * 60 },
    });
  });

  it('lists the 16 weekday holidays of the reference', () => {
    expect(year.holidays.map((h) => h.date)).toEqual([
      '2026-01-15',
      '2026-01-26',
      '2026-03-03',
      '2026-03-26',
      '2026-03-31',
      '2026-04-03',
      '2026-04-14',
      '2026-05-01',
      '2026-05-28',
      '2026-06-26',
      '2026-09-14',
      '2026-10-02',
      '2026-10-20',
      '2026-11-10',
      '2026-11-24',
      '2026-12-25',
    ]);
    expect(year.holidays[2]).toEqual({ date: '2026-03-03', occasion: 'Holi' });
    for (const h of year.holidays)
      expect([0, 6], h.date).not.toContain(new Date(h.date).getUTCDay());
  });

  it('has the Muhurat session, marked as an assumed time, and names its sources', () => {
    expect(year.specialSessions).toEqual([
      { date: '2026-11-08', name: 'Muhurat trading', start: 18 * 60, end: 19 * 60 },
    ]);
    expect(NSE_2026).toMatch(/18:00-19:00 is ASSUMED until NSE's circular/);
    expect(year.source).toMatch(/stocktrack\.co\.in/);
    expect(year.source).toMatch(/Muhurat session time: assumed/);
  });

  it('makes a calendar closed on Holi and open in the Muhurat session', () => {
    const nse = new MarketCalendar(loadCalendar(folder({ 'NSE-2026.yaml': NSE_2026 })));
    expect(nse.phase(ist('2026-03-03 10:00'))).toBe('CLOSED');
    expect(nse.phase(ist('2026-03-04 10:00'))).toBe('REGULAR');
    expect(nse.isOpen(ist('2026-11-08 18:30'))).toBe(true);
  });

  it('gives 2026 its 245 regular sessions (261 weekdays less 16 holidays) and the Muhurat one', () => {
    const nse = new MarketCalendar([year]);
    const marks = { misEntryCutoff: 15 * 60, misSquareOff: 15 * 60 + 20 };
    const fires = nse.marksBetween(ist('2026-01-01 00:00'), ist('2027-01-01 00:00'), marks);
    const count = (kind: string) => fires.filter((f) => f.kind === kind).length;
    expect([count('SESSION_OPEN'), count('SESSION_CLOSE'), count('MIS_CUTOFF')]).toEqual([
      246, 246, 245,
    ]);
    expect(count('IST_MIDNIGHT')).toBe(365);
  });
});

describe('loadCalendar', () => {
  it('reads every .yaml file, sorted by exchange and year, and leaves other files alone', () => {
    const head = NSE_2026.slice(0, NSE_2026.indexOf('holidays:'));
    const nse2027 = `${edit(head, 'year: 2026', 'year: 2027')}holidays: []\n`;
    const dir = folder({
      'NSE-2027.yaml': nse2027,
      'NSE-2026.yaml': NSE_2026,
      'README.md': '# not a calendar',
    });
    const years = loadCalendar(dir);
    expect(years.map((y) => `${y.exchange}-${y.year}`)).toEqual(['NSE-2026', 'NSE-2027']);
    expect(years[1]!.specialSessions).toEqual([]);
    const nse = new MarketCalendar(years);
    expect(nse.nextOpen(ist('2026-12-31 16:00'))).toBe(ist('2027-01-01 09:15'));
  });

  it('names the folder when it is missing or holds no calendar file', () => {
    const missing = join(tmpdir(), 'calendar-missing', 'nowhere');
    expect(configError(() => loadCalendar(missing))).toMatch(
      /cannot read the calendar folder .*nowhere/,
    );
    const empty = folder({ 'README.md': 'x' });
    expect(configError(() => loadCalendar(empty))).toMatch(/holds no calendar file; add one/);
  });

  it('refuses a .yml file rather than skip it', () => {
    const dir = folder({ 'NSE-2026.yaml': NSE_2026, 'NSE-2027.yml': NSE_2026 });
    expect(configError(() => loadCalendar(dir))).toMatch(
      /NSE-2027\.yml: .*rename it to NSE-2027\.yaml/,
    );
  });

  it('names the file of an invalid calendar', () => {
    const dir = folder({ 'NSE-2026.yaml': edit(NSE_2026, 'date: 2026-03-03', 'date: 2026-02-30') });
    expect(configError(() => loadCalendar(dir))).toContain(join(dir, 'NSE-2026.yaml'));
  });
});

describe('calendar file errors', () => {
  const parse = (text: string, path = PATH) => configError(() => parseCalendarYaml(text, path));

  it('names the nearest key for an unknown one, and does not also call it missing', () => {
    const msg = parse(edit(NSE_2026, 'occasion: Holi', 'ocasion: Holi'));
    expect(msg).toBe(`${PATH}: holidays[2]: unknown key "ocasion"; did you mean "occasion"?`);
    expect(parse(edit(NSE_2026, 'orderEntryEnd:', 'orderEntry:'))).toMatch(
      /sessions\.preOpen: unknown key "orderEntry"; did you mean "orderEntryEnd"\?/,
    );
    expect(parse(edit(NSE_2026, 'specialSessions:', 'specialSession:'))).toMatch(
      /: unknown key "specialSession"; did you mean "specialSessions"\?/,
    );
    expect(parse(`${NSE_2026}timezone: IST\n`)).toMatch(
      /unknown key "timezone"; the keys here are exchange, year, source, sessions/,
    );
  });

  it('names a bad date, its field and the fix', () => {
    expect(parse(edit(NSE_2026, 'date: 2026-03-03', 'date: 2026-02-30'))).toBe(
      `${PATH}: holidays[2].date: "2026-02-30" is not a date; write YYYY-MM-DD`,
    );
    expect(parse(edit(NSE_2026, 'date: 2026-03-03', 'date: 2026-3-3'))).toMatch(
      /holidays\[2\]\.date: "2026-3-3" is not a date/,
    );
    expect(parse(edit(NSE_2026, 'date: 2026-11-08', 'date: 2027-11-08'))).toMatch(
      /specialSessions\[0\]\.date: 2027-11-08 is not in 2026; move it to the 2027 file/,
    );
  });

  it('names a bad or inverted time', () => {
    expect(parse(edit(NSE_2026, "end: '19:00'", "end: '25:00'"))).toMatch(
      /specialSessions\[0\]\.end: must be an IST time in quotes, "HH:MM"/,
    );
    expect(parse(edit(NSE_2026, "end: '19:00'", 'end: 1900'))).toMatch(
      /specialSessions\[0\]\.end: must be an IST time/,
    );
    expect(parse(edit(NSE_2026, "end: '15:30'", "end: '15:50'"))).toMatch(
      /sessions\.closing\.start: 15:40 must be at or after sessions\.regular\.end \(15:50\)/,
    );
  });

  it('names a missing field and what it holds', () => {
    expect(
      parse(edit(NSE_2026, /source: [^]*?\nsessions:/.exec(NSE_2026)![0], 'sessions:')),
    ).toMatch(/source: is missing; add it \(must say where the dates and times come from\)/);
    expect(parse('')).toMatch(/exchange: is missing.*holidays: is missing/);
    expect(parse('- NSE\n')).toMatch(/\(file\): must be a mapping of exchange, year/);
  });

  it('refuses a file whose name does not match its content', () => {
    expect(parse(NSE_2026, 'config/calendar/NSE-2027.yaml')).toBe(
      'config/calendar/NSE-2027.yaml: the file says year: 2026 but is named NSE-2027.yaml; ' +
        'rename the file to NSE-2026.yaml or correct the field',
    );
    expect(parse(NSE_2026, 'BSE-2026.yaml')).toMatch(/says exchange: NSE but is named BSE-2026/);
    for (const name of ['nse-2026.yaml', 'NSE_2026.yaml', 'NSE-26.yaml', 'MCX-2026.yaml'])
      expect(parse(NSE_2026, name), name).toMatch(/is named <EXCHANGE>-<YEAR>\.yaml/);
  });

  it('refuses two files for one exchange-year, naming both', () => {
    const dirs = ['a', 'b'].map((d) => join(d, 'NSE-2026.yaml'));
    const msg = configError(() =>
      parseCalendarFiles(dirs.map((path) => ({ path, text: NSE_2026 }))),
    );
    expect(msg).toBe(
      `${dirs[1]}: NSE-2026 is also given by ${dirs[0]}; keep one file per exchange and year`,
    );
    const other = edit(
      edit(NSE_2026, 'exchange: NSE', 'exchange: BSE'),
      'NSE market',
      'BSE market',
    );
    const both = parseCalendarFiles([
      { path: dirs[0]!, text: NSE_2026 },
      { path: 'BSE-2026.yaml', text: other },
    ]);
    expect(both.map((y) => y.exchange)).toEqual(['BSE', 'NSE']);
  });

  it('names a file that is not valid YAML', () => {
    expect(parse('exchange: [')).toMatch(/^config\/calendar\/NSE-2026\.yaml: not valid YAML/);
  });
});
