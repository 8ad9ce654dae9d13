/** Kite's timestamp format: "YYYY-MM-DD HH:MM:SS" in IST (UTC+05:30), from epoch ms. */
import { IST_OFFSET_MS } from '../../src/model/index.js';

/** Formats epoch ms `t` as Kite does ("2021-05-31 09:18:57", IST). */
export function kiteTime(t: number): string {
  return new Date(t + IST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The IST date of `t` as Kite's order ids start: YYMMDD. */
export function kiteOrderDay(t: number): string {
  return kiteTime(t).slice(2, 10).replaceAll('-', '');
}
