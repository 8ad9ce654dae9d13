/**
 * GET /instruments/historical/:token/:interval: candles for the asked range in the shape of
 * historical_minute.json (historical_oi.json with oi=1): `[time, open, high, low, close, volume]`
 * on every minute-multiple of the interval in NSE's 09:15-15:30 IST session of each weekday
 * (a day candle dated 00:00 IST, as Kite dates them); prices a deterministic walk of the token
 * and time. FakeKite.requests records each request (its time and query).
 */
import type { Route, Script } from './http-routes.js';
import { inputError, KiteError } from './kite-error.js';

const IST_MS = 330 * 60_000;
const DAY_MS = 86_400_000;
const MINUTES: Readonly<Record<string, number>> = {
  minute: 1,
  '3minute': 3,
  '5minute': 5,
  '10minute': 10,
  '15minute': 15,
  '30minute': 30,
  '60minute': 60,
  day: 0,
};

/** `2026-01-05 09:15:00` (IST) → epoch ms. */
function parseQueryTime(s: string | null, name: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s ?? '');
  if (m === null) throw inputError(`Invalid \`${name}\`: expected yyyy-mm-dd hh:mm:ss.`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - IST_MS;
}

const kiteTime = (t: number): string => `${new Date(t + IST_MS).toISOString().slice(0, 19)}+0530`;

/** Rupees with at most two decimals, as Kite writes them. */
const rupees = (paise: number): number => Number((paise / 100).toFixed(2));

function candle(token: number, t: number, oi: boolean): unknown[] {
  const k = Math.floor(t / 60_000) + token;
  const base = 100_000 + ((k * 7919) % 2000) * 5;
  const open = base;
  const close = base + (((k * 31) % 9) - 4) * 5;
  const high = Math.max(open, close) + 10;
  const low = Math.min(open, close) - 10;
  const row: unknown[] = [kiteTime(t), rupees(open), rupees(high), rupees(low), rupees(close)];
  row.push(100 + ((k * 13) % 900));
  if (oi) row.push(10_000 + (k % 100));
  return row;
}

/** The candle times in from..to (both included). */
function times(from: number, to: number, minutes: number): number[] {
  const out: number[] = [];
  const firstDay = Math.floor((from + IST_MS) / DAY_MS);
  const lastDay = Math.floor((to + IST_MS) / DAY_MS);
  for (let d = firstDay; d <= lastDay; d++) {
    const weekday = (d + 4) % 7; // 1970-01-01 was a Thursday
    if (weekday === 0 || weekday === 6) continue;
    const midnight = d * DAY_MS - IST_MS;
    if (minutes === 0) {
      if (midnight + DAY_MS > from && midnight <= to) out.push(midnight);
      continue;
    }
    for (let m = 9 * 60 + 15; m < 15 * 60 + 30; m += minutes) {
      const t = midnight + m * 60_000;
      if (t >= from && t <= to) out.push(t);
    }
  }
  return out;
}

/** The route. */
export function historicalRoute(script: Script): Route {
  return {
    method: 'GET',
    pattern: ['instruments', 'historical', ':token', ':interval'],
    auth: true,
    handle(r) {
      if ((script.throttleHistorical ?? 0) > 0) {
        script.throttleHistorical!--;
        throw new KiteError(429, 'NetworkException', 'Too many requests');
      }
      const token = Number(r.params['token']);
      const interval = r.params['interval']!;
      const minutes = MINUTES[interval];
      if (!Number.isSafeInteger(token) || token <= 0)
        throw inputError('Invalid `instrument_token`.');
      if (minutes === undefined) throw inputError('Invalid `interval`.');
      const from = parseQueryTime(r.query.get('from'), 'from');
      const to = parseQueryTime(r.query.get('to'), 'to');
      const oi = r.query.get('oi') === '1';
      return {
        kind: 'json',
        data: { candles: times(from, to, minutes).map((t) => candle(token, t, oi)) },
      };
    },
  };
}
