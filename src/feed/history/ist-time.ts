/**
 * Times as data files write them, to epoch ms: Kite's `2017-12-15T09:15:00+0530` (any offset,
 * with or without its colon), `YYYY-MM-DD HH:MM[:SS]` taken as IST, a plain `YYYY-MM-DD` (a day
 * candle: the session open, 09:15 IST) and, where allowed, epoch milliseconds.
 */

const IST_OFFSET_MIN = 330;
/** A day candle's time: NSE's regular session opens at 09:15 IST. */
export const DAY_CANDLE_MINUTE = 9 * 60 + 15;

const WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})$/;
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EPOCH_MS = /^\d{11,15}$/;

function utc(y: string, mo: string, d: string, h: string, mi: string, s = '0', ms = '0'): number {
  const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, '0'));
  // Date.UTC rolls 2026-02-30 over to March: refuse instead.
  const back = new Date(t);
  if (back.getUTCDate() !== +d || back.getUTCMonth() !== +mo - 1 || +h > 23 || +mi > 59 || +s > 59)
    return NaN;
  return t;
}

function offsetMinutes(z: string): number {
  if (z === 'Z') return 0;
  const sign = z.startsWith('-') ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}

/**
 * Epoch ms of a data file's time, or null when `text` is none of the accepted forms (or not a
 * real date). `epochMs`: also accept epoch milliseconds (the tick format).
 */
export function parseDataTime(text: string, epochMs = false): number | null {
  const s = text.trim();
  let m = WITH_OFFSET.exec(s);
  if (m) {
    const t = utc(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6], m[7]);
    return Number.isNaN(t) ? null : t - offsetMinutes(m[8]!) * 60_000;
  }
  m = NAIVE.exec(s);
  if (m) {
    const t = utc(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]);
    return Number.isNaN(t) ? null : t - IST_OFFSET_MIN * 60_000;
  }
  m = DATE_ONLY.exec(s);
  if (m) {
    const t = utc(m[1]!, m[2]!, m[3]!, '0', '0');
    return Number.isNaN(t) ? null : t + (DAY_CANDLE_MINUTE - IST_OFFSET_MIN) * 60_000;
  }
  if (epochMs && EPOCH_MS.test(s)) return Number(s);
  return null;
}

/** `t` as Kite writes a candle's time: `2026-01-05T09:15:00+0530`. */
export function kiteCandleTime(t: number): string {
  const ist = new Date(t + IST_OFFSET_MIN * 60_000).toISOString();
  return `${ist.slice(0, 19)}+0530`;
}

/** `t` as Kite's historical API takes `from`/`to`: `2026-01-05 09:15:00` (IST). */
export function kiteQueryTime(t: number): string {
  const ist = new Date(t + IST_OFFSET_MIN * 60_000).toISOString();
  return `${ist.slice(0, 10)} ${ist.slice(11, 19)}`;
}
