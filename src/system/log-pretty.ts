/**
 * The `pretty` log format: one readable line per entry, `time LEVEL [actor] message key=value...`
 * (local time; an error's stack follows on indented lines).
 */

const LEVELS: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

/** ANSI colours of the level labels, when the output is a terminal. */
const COLOURS: Readonly<Record<number, string>> = {
  10: '\u001b[90m',
  20: '\u001b[36m',
  30: '\u001b[32m',
  40: '\u001b[33m',
  50: '\u001b[31m',
  60: '\u001b[35m',
};
const RESET = '\u001b[0m';
const DIM = '\u001b[2m';

/** Fields of a pino entry that the line shows in its own place, or not at all. */
const PLACED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'actor', 'err']);

/** Formats one parsed (and already redacted) pino entry as a line, with its newline. */
export function prettyLine(entry: Readonly<Record<string, unknown>>, colours: boolean): string {
  const level = typeof entry['level'] === 'number' ? entry['level'] : 30;
  let label = LEVELS[level] ?? String(level);
  if (colours) label = `${COLOURS[level] ?? ''}${label}${RESET}`;
  const parts = [timeOf(entry['time']), label];
  if (typeof entry['actor'] === 'string') {
    const actor = `[${entry['actor']}]`;
    parts.push(colours ? `${DIM}${actor}${RESET}` : actor);
  }
  if (entry['msg'] !== undefined) parts.push(oneLine(String(entry['msg'])));
  for (const [k, v] of Object.entries(entry)) {
    if (PLACED.has(k) || v === undefined) continue;
    parts.push(`${k}=${valueText(v)}`);
  }
  const err = entry['err'];
  let stack = '';
  if (typeof err === 'object' && err !== null) {
    const e = err as { type?: unknown; message?: unknown; stack?: unknown };
    parts.push(`err=${valueText(`${String(e.type ?? 'Error')}: ${String(e.message ?? '')}`)}`);
    if (typeof e.stack === 'string') {
      const lines = e.stack.split('\n').slice(1);
      if (lines.length > 0) stack = lines.map((l) => `\n    ${l.trim()}`).join('');
    }
  } else if (err !== undefined) parts.push(`err=${valueText(err)}`);
  return `${parts.join(' ')}${stack}\n`;
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in local time, from epoch ms. */
function timeOf(t: unknown): string {
  if (typeof t !== 'number') return typeof t === 'string' ? t : '-';
  const d = new Date(t);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
  );
}

/** A value as `key=` shows it: bare when it is a plain word or number, else as JSON. */
function valueText(v: unknown): string {
  if (typeof v === 'string') return /^[\w.:/@+-]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

/** A message on one line: line breaks are shown escaped. */
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '\\n');
}
