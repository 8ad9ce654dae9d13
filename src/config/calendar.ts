/**
 * Reads the market calendar: one `<EXCHANGE>-<YEAR>.yaml` per exchange and year in a folder.
 *
 *   exchange: NSE                      # NSE or BSE, as in the file name
 *   year: 2026                         # as in the file name
 *   source: where the facts come from
 *   sessions:                          # IST times, quoted "HH:MM"
 *     preOpen: { start: '09:00', orderEntryEnd: '09:08', end: '09:15' }
 *     regular: { start: '09:15', end: '15:30' }
 *     closing: { start: '15:40', end: '16:00' }
 *   holidays: [{ date: 2026-03-03, occasion: Holi }]   # [] for none
 *   specialSessions: [{ date, name, start, end }]      # optional
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { CALENDAR_EXCHANGES, calendarYearIssues, type CalendarYear } from '../model/index.js';
import { ConfigError } from '../runtime/index.js';
import { didYouMean, nearest } from './nearest.js';
import { schemaKeysAt } from './yaml-file.js';

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const TIME_HINT = 'must be an IST time in quotes, "HH:MM" from "00:00" to "24:00"';

/** An IST time of day, "HH:MM", as minutes after IST midnight. */
const time = z
  .string({ error: TIME_HINT })
  .regex(HHMM, TIME_HINT)
  .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));

/** A date, checked as a calendar date of the file's year by the model. */
const date = z.string({ error: 'must be a date YYYY-MM-DD' });
const text = (what: string) => z.string({ error: `must say ${what}` }).min(1, `must say ${what}`);
const window = z.strictObject({ start: time, end: time });

/** One calendar file. Times are "HH:MM" in the file and minutes after IST midnight here. */
const CalendarFileSchema = z.strictObject({
  exchange: z.enum(CALENDAR_EXCHANGES, { error: `must be ${CALENDAR_EXCHANGES.join(' or ')}` }),
  year: z.number({ error: 'must be a year, e.g. 2027' }).int('must be a whole year'),
  source: text('where the dates and times come from'),
  sessions: z.strictObject({
    preOpen: z.strictObject({ start: time, orderEntryEnd: time, end: time }),
    regular: window,
    closing: window,
  }),
  holidays: z.array(z.strictObject({ date, occasion: text('what the holiday is') }), {
    error: 'must be a list of { date, occasion } (write [] for none)',
  }),
  specialSessions: z
    .array(z.strictObject({ date, name: text('what the session is'), start: time, end: time }), {
      error: 'must be a list of { date, name, start, end }',
    })
    .default([]),
});

const FILE_NAME = /^([A-Z]+)-(\d{4})\.yaml$/;

/** `holidays[2].date` for the path ['holidays', 2, 'date']. */
const fieldOf = (path: readonly PropertyKey[]): string =>
  path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`))
    .join('') || '(file)';

/**
 * One line per problem: the field, what is wrong and how to fix it. Unknown keys come first, and
 * a missing field an unknown key is suggested for is not repeated as missing.
 */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines: string[] = [];
  const suggested = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = schemaKeysAt(CalendarFileSchema, issue.path);
    const at = issue.path.length === 0 ? '' : `${fieldOf(issue.path)}: `;
    for (const k of issue.keys) {
      const hint = didYouMean(k, known);
      const near = nearest(k, known);
      if (near !== undefined) suggested.add(fieldOf([...issue.path, near]));
      const fix = hint === '' ? `; the keys here are ${known.join(', ')}` : hint;
      lines.push(`${at}unknown key ${JSON.stringify(k)}${fix}`);
    }
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const field = fieldOf(issue.path);
    const keys = schemaKeysAt(CalendarFileSchema, issue.path);
    const shape = keys.length > 0 ? `a mapping of ${keys.join(', ')}` : undefined;
    if (issue.input !== undefined)
      lines.push(
        `${field}: ${issue.code === 'invalid_type' && shape ? `must be ${shape}` : issue.message}`,
      );
    else if (!suggested.has(field))
      lines.push(`${field}: is missing; add it (${shape === undefined ? issue.message : shape})`);
  }
  return lines.join('; ');
}

/**
 * Parses one calendar file. `path` names it in errors, and its file name must be
 * `<EXCHANGE>-<YEAR>.yaml` agreeing with the content. Throws ConfigError naming the file, the
 * field and how to fix it.
 */
export function parseCalendarYaml(text: string, path: string): CalendarYear {
  const name = basename(path);
  const named = FILE_NAME.exec(name);
  if (named === null || !(CALENDAR_EXCHANGES as readonly string[]).includes(named[1]!))
    throw new ConfigError(
      `${path}: a calendar file is named <EXCHANGE>-<YEAR>.yaml with EXCHANGE one of ` +
        `${CALENDAR_EXCHANGES.join(', ')} (e.g. NSE-2027.yaml); rename it`,
    );
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid YAML: ${String(err)}`);
  }
  const parsed = CalendarFileSchema.safeParse(doc ?? {}, { reportInput: true });
  if (!parsed.success) throw new ConfigError(`${path}: ${describeIssues(parsed.error.issues)}`);
  const year: CalendarYear = parsed.data;
  const [, exchange, fileYear] = named;
  const mismatch = [
    year.exchange !== exchange ? `exchange: ${year.exchange}` : '',
    year.year !== Number(fileYear) ? `year: ${year.year}` : '',
  ].filter((x) => x !== '');
  if (mismatch.length > 0)
    throw new ConfigError(
      `${path}: the file says ${mismatch.join(', ')} but is named ${name}; ` +
        `rename the file to ${year.exchange}-${year.year}.yaml or correct the field`,
    );
  const issues = calendarYearIssues(year);
  if (issues.length > 0)
    throw new ConfigError(`${path}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  return year;
}

/**
 * Parses calendar files given as text, sorted by exchange and year. Throws ConfigError for any
 * file parseCalendarYaml refuses and for two files of one exchange-year (as from two folders).
 */
export function parseCalendarFiles(
  files: readonly { readonly path: string; readonly text: string }[],
): CalendarYear[] {
  const seen = new Map<string, string>();
  const years = files.map((f) => {
    const y = parseCalendarYaml(f.text, f.path);
    const label = `${y.exchange}-${y.year}`;
    const other = seen.get(label);
    if (other !== undefined)
      throw new ConfigError(
        `${f.path}: ${label} is also given by ${other}; keep one file per exchange and year`,
      );
    seen.set(label, f.path);
    return y;
  });
  return years.sort((a, b) => a.exchange.localeCompare(b.exchange) || a.year - b.year);
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/**
 * Reads every `*.yaml` in `dir` as a calendar year (other files are left alone). Throws
 * ConfigError when the folder cannot be read, holds no calendar file or a `.yml` one, or a file
 * is invalid.
 */
export function loadCalendar(dir: string): CalendarYear[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    throw new ConfigError(
      `cannot read the calendar folder ${dir}: ${(err as Error).message}; ` +
        'point it at the folder holding NSE-<YEAR>.yaml (config/calendar)',
    );
  }
  const yml = names.find((n) => n.endsWith('.yml'));
  if (yml !== undefined)
    throw new ConfigError(
      `${join(dir, yml)}: calendar files end in .yaml; rename it to ${yml.slice(0, -4)}.yaml`,
    );
  const files = names
    .filter((n) => n.endsWith('.yaml'))
    .map((n) => ({ path: join(dir, n), text: read(join(dir, n)) }));
  if (files.length === 0)
    throw new ConfigError(
      `${dir} holds no calendar file; add one <EXCHANGE>-<YEAR>.yaml per year, e.g. NSE-2026.yaml`,
    );
  return parseCalendarFiles(files);
}
